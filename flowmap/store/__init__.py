"""Graph persistence: one small executor interface, an embedded backend and a Neo4j backend."""

from __future__ import annotations

from flowmap.errors import StoreLocked, StoreUnavailable
from flowmap.settings import Settings, StoreKind
from flowmap.store.executor import Executor
from flowmap.store.graph import Counts, GraphStore

__all__ = ["Counts", "Executor", "GraphStore", "open_executor", "open_store"]


def open_executor(settings: Settings, *, read_only: bool = False) -> Executor:
    if settings.store is StoreKind.NEO4J:
        if not settings.neo4j_uri:
            raise StoreUnavailable("FLOWMAP_STORE=neo4j needs FLOWMAP_NEO4J_URI (e.g. bolt://localhost:7687).")
        from flowmap.store.neo4j_backend import Neo4jExecutor

        return Neo4jExecutor(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password.get_secret_value(),
            settings.neo4j_database,
        )
    from flowmap.store.embedded import EmbeddedExecutor

    return EmbeddedExecutor(settings.embedded_path, read_only=read_only)


async def open_store(
    settings: Settings,
    *,
    read_only: bool = False,
    fallback_read_only: bool = False,
    rebuild_incompatible: bool = False,
) -> GraphStore:
    """Open the configured store with its schema ready.

    ``fallback_read_only``: if another process owns the embedded file, open a read-only snapshot
    instead of failing (fine for `flowmap stats`, never for writes). ``rebuild_incompatible``: a store
    of another schema version is emptied and rebuilt (only `flowmap seed --reset` asks for that).
    """
    try:
        executor = open_executor(settings, read_only=read_only)
    except StoreLocked:
        if not fallback_read_only:
            raise
        executor = open_executor(settings, read_only=True)
    store = GraphStore(executor)
    try:
        await store.ensure_schema(rebuild_incompatible=rebuild_incompatible)
    except BaseException:
        await store.close()
        raise
    return store
