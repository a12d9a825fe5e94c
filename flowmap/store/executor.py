"""The one small interface every backend implements: read, write in one transaction, set up schema."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from flowmap.store.queries import Query
from flowmap.store.schema import Dialect

# Called after each statement of a write with (statements done, statements in total).
Progress = Callable[[int, int], None]


class Executor(Protocol):
    kind: str  # "embedded" or "neo4j", as /healthz reports it
    dialect: Dialect
    location: str  # a path or URI, for messages (never credentials)
    read_only: bool

    async def read(self, query: Query) -> list[dict[str, Any]]:
        """Run one read query; rows as dicts keyed by the RETURN aliases, values as Python types."""
        ...

    async def write(self, queries: Sequence[Query], progress: Progress | None = None) -> None:
        """Run all queries in one transaction: all of them take effect, or none."""
        ...

    async def run_schema(self, statements: Sequence[str]) -> None:
        """Run idempotent DDL, each statement on its own (DDL cannot join data transactions everywhere)."""
        ...

    async def close(self) -> None: ...
