"""The Neo4j backend works unchanged on a cluster: routing URIs give a routing driver, reads run as read
transactions (served by secondaries), writes as write transactions (the leader), every session names its database
and all share one bookmark manager (a read sees this process's earlier writes). Offline: drivers connect lazily, and
the session behaviour is watched through a stub driver.
"""

from __future__ import annotations

from typing import Any

import neo4j
import pytest
from neo4j import AsyncGraphDatabase

from flowmap.settings import Settings, StoreKind
from flowmap.store import GraphStore, open_executor
from flowmap.store.neo4j_backend import Neo4jExecutor, make_driver
from flowmap.store.queries import Query


@pytest.mark.parametrize("uri", ["neo4j://db.example:7687", "neo4j+s://db.example:7687", "neo4j+ssc://db.example"])
async def test_routing_uris_give_a_routing_driver_without_connecting(uri: str) -> None:
    executor = open_executor(Settings(store=StoreKind.NEO4J, neo4j_uri=uri))
    try:
        assert isinstance(executor, Neo4jExecutor)
        assert isinstance(executor.driver, neo4j.AsyncNeo4jDriver)  # the async twin of neo4j.Neo4jDriver
    finally:
        await executor.close()


async def test_bolt_uris_still_give_a_direct_driver() -> None:
    driver = make_driver("bolt://db.example:7687", "neo4j", "x")
    try:
        assert isinstance(driver, neo4j.AsyncBoltDriver) and not isinstance(driver, neo4j.AsyncNeo4jDriver)
    finally:
        await driver.close()


class _Result:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self._rows = rows

    async def data(self) -> list[dict[str, Any]]:
        return self._rows

    async def consume(self) -> None:
        return None


class _Session:
    def __init__(self, driver: _StubDriver, config: dict[str, Any]) -> None:
        self.driver, self.config = driver, config

    async def __aenter__(self) -> _Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def _work(self, kind: str, work: Any) -> Any:
        session = self

        class Tx:
            async def run(self, cypher: str, params: dict[str, Any] | None = None) -> _Result:
                session.driver.calls.append((kind, session.config, cypher))
                return _Result([{"value": "41"}] if "RETURN" in cypher else [])

        return await work(Tx())

    async def execute_read(self, work: Any) -> Any:
        return await self._work("execute_read", work)

    async def execute_write(self, work: Any) -> Any:
        return await self._work("execute_write", work)


class _StubDriver:
    """Records how each query reaches the server: which session configuration, which kind of transaction."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any], str]] = []

    def session(self, **config: Any) -> _Session:
        return _Session(self, config)

    async def execute_query(self, cypher: str, *args: Any, **config: Any) -> None:
        self.calls.append(("execute_query", config, cypher))

    async def close(self) -> None:
        return None


def _executor(stub: _StubDriver) -> Neo4jExecutor:
    return Neo4jExecutor("neo4j://db.example:7687", "neo4j", "x", "flowmap", driver=stub)  # type: ignore[arg-type]


async def test_reads_are_read_transactions_and_writes_write_transactions_on_the_named_database() -> None:
    stub = _StubDriver()
    store = GraphStore(_executor(stub))
    assert await store.revision() == 41  # a map-level read, as the API's revision check does it
    await store.executor.write([Query("MERGE (m:FlowmapMeta {key: $k})", {"k": "x"})])
    await store.executor.run_schema(["CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.id)"])
    (read_kind, read_cfg, read_cypher), (write_kind, write_cfg, _), (schema_kind, schema_cfg, _) = stub.calls
    assert read_kind == "execute_read" and "FlowmapMeta" in read_cypher
    assert read_cfg["default_access_mode"] == neo4j.READ_ACCESS and read_cfg["database"] == "flowmap"
    assert write_kind == "execute_write"
    assert write_cfg["default_access_mode"] == neo4j.WRITE_ACCESS and write_cfg["database"] == "flowmap"
    assert schema_kind == "execute_query" and schema_cfg["database_"] == "flowmap"
    assert schema_cfg["routing_"] == neo4j.RoutingControl.WRITE
    # one bookmark manager for every session: reads wait for this process's own writes (causal consistency)
    manager = read_cfg["bookmark_manager"]
    assert isinstance(manager, type(AsyncGraphDatabase.bookmark_manager()))
    assert write_cfg["bookmark_manager"] is manager and schema_cfg["bookmark_manager_"] is manager


async def test_a_transaction_that_reads_then_writes_is_a_write_transaction() -> None:
    stub = _StubDriver()
    executor = _executor(stub)

    async def work(run: Any) -> Any:
        return await run(Query("MATCH (m:FlowmapMeta {key: $k}) RETURN m.value AS value", {"k": "revision"}))

    assert await executor.transaction(work) == [{"value": "41"}]
    ((kind, config, _),) = stub.calls
    assert kind == "execute_write" and config["default_access_mode"] == neo4j.WRITE_ACCESS
