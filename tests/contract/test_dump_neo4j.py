"""Backup and restore on Neo4j: `flowmap export` reads through the store interface, `import` restores through the
staged import; the same map gives the same dump on both backends, and the round trip gives the same bytes.

Runs against Neo4j when one is reachable (FLOWMAP_NEO4J_URI, or Docker for testcontainers; see tests/conftest.py),
and is skipped with the reason otherwise. WARNING: it deletes every flowmap node in that database. The embedded
half is tests/robustness/test_backup.py.
"""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from flowmap.domain.models import FlowMap
from flowmap.errors import ValidationFailed
from flowmap.store import GraphStore, open_store
from flowmap.store import neo4j_bulk as nb
from flowmap.store.bulk import BulkSource
from flowmap.store.dump import export_dump, import_dump
from flowmap.store.embedded import EmbeddedExecutor
from flowmap.store.graph import Restore
from flowmap.store.queries import Query
from flowmap.store.schema import NODE_TABLES

pytestmark = pytest.mark.neo4j


async def _empty(store: GraphStore) -> None:
    labels = [t.name for t in NODE_TABLES] + [nb.STAGED, nb.RETIRED]
    await store.executor.write([Query(f"MATCH (n:{label}) DETACH DELETE n") for label in labels])
    await store.ensure_schema()


@pytest.fixture
async def neo4j_store(neo4j_target: Any) -> AsyncIterator[GraphStore]:
    """An empty Neo4j store with its schema; skipped, with the reason, when no Neo4j is reachable."""
    if neo4j_target.settings is None:
        pytest.skip(neo4j_target.skip_reason)
    store = await open_store(neo4j_target.settings)
    await _empty(store)
    try:
        yield store
    finally:
        await store.close()


async def _export(store: GraphStore) -> str:
    out = io.StringIO()
    await export_dump(store, out)
    return out.getvalue()


async def _restore(store: GraphStore, dump: Path) -> int:
    async def load(source: BulkSource, restore: Restore, described: dict[str, Any]) -> int:
        return await nb.import_neo4j(store, source, batch_size=1000, restore=restore, described=described)

    return await import_dump(dump, load)


def _map_part(text: str) -> str:
    """The dump without its header and audit log: the map alone (audit entries carry ids and times)."""
    return text.split('"audit": [')[0].split('"organizations": [')[1]


async def test_the_same_map_gives_the_same_dump_on_both_backends(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path
) -> None:
    await neo4j_store.write_map(mini_map)
    embedded = GraphStore(EmbeddedExecutor(tmp_path / "x.lbug"))
    await embedded.ensure_schema()
    try:
        await embedded.write_map(mini_map)
        assert _map_part(await _export(neo4j_store)) == _map_part(await _export(embedded))
    finally:
        await embedded.close()


async def test_export_import_export_gives_the_same_bytes(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path
) -> None:
    await neo4j_store.write_map(mini_map)
    renamed = mini_map.organizations[0].model_copy(update={"description": "edited once"})
    from flowmap.domain.audit import AuditRecord

    record = AuditRecord("test", "editor", "upsertOrganization", f"organization:{renamed.id}", None, {})
    await neo4j_store.save_organization(renamed, record)
    first = await _export(neo4j_store)
    dump = tmp_path / "map.json"
    dump.write_text(first, encoding="utf-8")
    await _empty(neo4j_store)
    assert await _restore(neo4j_store, dump) == 2  # the dump's revision: a store never written is recreated
    assert await _export(neo4j_store) == first
    assert json.loads(first)["revision"] == 2 and len(json.loads(first)["audit"]) == 2


async def test_a_bad_dump_leaves_the_neo4j_store_as_it_was(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path
) -> None:
    await neo4j_store.write_map(mini_map)
    before = await _export(neo4j_store)
    data = json.loads(before)
    data["engagements"][0]["to"] = "nobody"
    dump = tmp_path / "bad.json"
    dump.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationFailed, match=r"engagements\[0\]\.to: names organisation 'nobody'"):
        await _restore(neo4j_store, dump)
    assert await _export(neo4j_store) == before
