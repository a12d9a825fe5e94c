"""Neo4j through the official async driver: ``execute_query`` for reads, managed transactions for writes.

Managed transactions retry on transient errors, which is safe because every write here is an
idempotent MERGE/SET or DELETE.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import neo4j
from neo4j import AsyncGraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable
from neo4j.time import Date, DateTime

from flowmap.errors import StoreUnavailable
from flowmap.store.executor import Progress
from flowmap.store.queries import Query
from flowmap.store.schema import Dialect


def _native(value: Any) -> Any:
    if isinstance(value, Date | DateTime):
        return value.to_native()
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


class Neo4jExecutor:
    kind = "neo4j"
    dialect: Dialect = "neo4j"
    read_only = False

    def __init__(self, uri: str, user: str, password: str, database: str) -> None:
        self.location = uri  # the password never goes into messages
        self._database = database
        self._driver = AsyncGraphDatabase.driver(uri, auth=(user, password))

    def _unavailable(self, what: str, exc: Exception) -> StoreUnavailable:
        if isinstance(exc, AuthError):
            return StoreUnavailable(f"Neo4j at {self.location} refused the credentials ({what}).")
        return StoreUnavailable(f"Neo4j at {self.location} is unreachable ({what}): {type(exc).__name__}")

    async def read(self, query: Query) -> list[dict[str, Any]]:
        try:
            records, _, _ = await self._driver.execute_query(
                query.cypher, dict(query.params), database_=self._database, routing_=RoutingControl.READ
            )
        except (ServiceUnavailable, AuthError, OSError) as exc:
            raise self._unavailable("read", exc) from exc
        return [{k: _native(v) for k, v in r.data().items()} for r in records]

    async def write(self, queries: Sequence[Query], progress: Progress | None = None) -> None:
        async def work(tx: neo4j.AsyncManagedTransaction) -> None:
            for done, query in enumerate(queries, start=1):
                result = await tx.run(query.cypher, dict(query.params))
                await result.consume()
                if progress:
                    progress(done, len(queries))

        try:
            async with self._driver.session(database=self._database) as session:
                await session.execute_write(work)
        except (ServiceUnavailable, AuthError, OSError) as exc:
            raise self._unavailable("write", exc) from exc

    async def run_schema(self, statements: Sequence[str]) -> None:
        for statement in statements:
            try:
                await self._driver.execute_query(statement, database_=self._database)
            except (ServiceUnavailable, AuthError, OSError) as exc:
                raise self._unavailable("schema", exc) from exc

    async def close(self) -> None:
        await self._driver.close()
