"""Neo4j through the official async driver: read sessions for reads, write sessions for writes.

Works the same with ``bolt://`` (one server) and ``neo4j://`` (routing: a cluster, or one server that
routes). Every session names its database, so the driver need not ask the server for its default, and says
what it does: reads run as read transactions (``execute_read`` in a ``READ_ACCESS`` session), which a
cluster serves from its secondaries or followers; writes run as write transactions, which go to the leader.
All sessions of one executor share one bookmark manager, so a read always sees this process's own earlier
writes (causal consistency), even when a secondary that has not caught up yet would otherwise serve it.

Managed transactions retry on transient errors, which is safe because every write here is an idempotent
MERGE/SET or DELETE; the bulk import's CREATE batches are counted before they become the map
(``flowmap.store.neo4j_bulk``).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ConfigurationError, ServiceUnavailable
from neo4j.time import Date, DateTime

from flowmap.errors import StoreUnavailable
from flowmap.store.executor import Progress
from flowmap.store.queries import Query
from flowmap.store.schema import Dialect

T = TypeVar("T")
Run = Callable[[Query], Awaitable[list[dict[str, Any]]]]  # runs one query in the open transaction
_UNREACHABLE = (ServiceUnavailable, AuthError, OSError)


def _native(value: Any) -> Any:
    if isinstance(value, Date | DateTime):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


def redacted(uri: str) -> str:
    """The URI without a ``user:password@`` part, for messages: a password must never reach a log or a terminal."""
    return re.sub(r"(?<=//)[^/@]*@", "***@", uri)


def make_driver(uri: str, user: str, password: str) -> neo4j.AsyncDriver:
    """``neo4j://`` and ``neo4j+s://`` give a routing driver, ``bolt://`` a direct one. Nothing connects yet.

    A URI the driver refuses is a StoreUnavailable whose message shows the URI redacted (the driver's own error
    quotes it whole, password included).
    """
    try:
        return AsyncGraphDatabase.driver(uri, auth=(user, password))
    except (ConfigurationError, ValueError) as exc:
        problem = str(exc).replace(uri, redacted(uri))
        raise StoreUnavailable(f"FLOWMAP_NEO4J_URI {redacted(uri)} cannot be used: {problem}") from None


async def _rows(tx: neo4j.AsyncManagedTransaction, query: Query) -> list[dict[str, Any]]:
    result = await tx.run(query.cypher, dict(query.params))
    return [{k: _native(v) for k, v in row.items()} for row in await result.data()]


class Neo4jExecutor:
    kind = "neo4j"
    dialect: Dialect = "neo4j"
    read_only = False

    def __init__(
        self, uri: str, user: str, password: str, database: str, *, driver: neo4j.AsyncDriver | None = None
    ) -> None:
        self.location = redacted(uri)  # the password never goes into messages
        self._database = database
        self._driver = driver if driver is not None else make_driver(uri, user, password)
        self._bookmarks = AsyncGraphDatabase.bookmark_manager()

    @property
    def driver(self) -> neo4j.AsyncDriver:
        return self._driver

    def _session(self, access_mode: str) -> neo4j.AsyncSession:
        return self._driver.session(
            database=self._database, default_access_mode=access_mode, bookmark_manager=self._bookmarks
        )

    def _unavailable(self, what: str, exc: Exception) -> StoreUnavailable:
        if isinstance(exc, AuthError):
            return StoreUnavailable(f"Neo4j at {self.location} refused the credentials ({what}).")
        return StoreUnavailable(f"Neo4j at {self.location} is unreachable ({what}): {type(exc).__name__}")

    async def read(self, query: Query) -> list[dict[str, Any]]:
        async def work(tx: neo4j.AsyncManagedTransaction) -> list[dict[str, Any]]:
            return await _rows(tx, query)

        try:
            async with self._session(neo4j.READ_ACCESS) as session:
                return await session.execute_read(work)
        except _UNREACHABLE as exc:
            raise self._unavailable("read", exc) from exc

    async def write(self, queries: Sequence[Query], progress: Progress | None = None) -> None:
        async def work(tx: neo4j.AsyncManagedTransaction) -> None:
            for done, query in enumerate(queries, start=1):
                result = await tx.run(query.cypher, dict(query.params))
                await result.consume()
                if progress:
                    progress(done, len(queries))

        try:
            async with self._session(neo4j.WRITE_ACCESS) as session:
                await session.execute_write(work)
        except _UNREACHABLE as exc:
            raise self._unavailable("write", exc) from exc

    async def transaction(self, work: Callable[[Run], Awaitable[T]]) -> T:
        """Run ``work`` in one write transaction, with a function that runs a query and returns its rows, so it
        can read, decide and write atomically; an exception rolls everything back. The driver may run ``work``
        again after a transient error, so it must not depend on state outside the transaction."""

        async def unit(tx: neo4j.AsyncManagedTransaction) -> T:
            async def run(query: Query) -> list[dict[str, Any]]:
                return await _rows(tx, query)

            return await work(run)

        try:
            async with self._session(neo4j.WRITE_ACCESS) as session:
                return await session.execute_write(unit)
        except _UNREACHABLE as exc:
            raise self._unavailable("write", exc) from exc

    async def run_schema(self, statements: Sequence[str]) -> None:
        for statement in statements:
            try:
                await self._driver.execute_query(
                    statement,
                    database_=self._database,
                    routing_=RoutingControl.WRITE,
                    bookmark_manager_=self._bookmarks,
                )
            except _UNREACHABLE as exc:
                raise self._unavailable("schema", exc) from exc

    async def close(self) -> None:
        await self._driver.close()
