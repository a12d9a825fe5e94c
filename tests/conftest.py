"""Shared fixtures. The ``store`` fixture runs a test once per backend present.

- LadybugDB (embedded): always.
- Neo4j: when FLOWMAP_NEO4J_URI is set (plus FLOWMAP_NEO4J_USER / _PASSWORD / _DATABASE), or when a
  Docker engine is reachable (testcontainers, image pinned in docker-compose.yml). Otherwise the
  Neo4j runs are skipped and the reason is printed in the summary (pytest -ra).
  WARNING: the suite deletes every flowmap node in that Neo4j database. Use a disposable one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import SecretStr

from flowmap.domain.models import FlowMap
from flowmap.ingest.seeds import load_seed_map
from flowmap.settings import PROJECT_ROOT, Settings, StoreKind
from flowmap.store import GraphStore, open_store
from flowmap.store.queries import Query
from flowmap.store.schema import NODE_TABLES

FIXTURES = Path(__file__).parent / "fixtures"
MINI_SEEDS = FIXTURES / "mini_seeds"
SEEDS = PROJECT_ROOT / "seeds"


def neo4j_image() -> str:
    """The one pinned Neo4j image tag, read from docker-compose.yml so tests and compose never disagree."""
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
    return str(compose["services"]["neo4j"]["image"])


class _Neo4jTarget:
    """Resolves once per session where (and whether) a Neo4j can be had."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.skip_reason = ""
        self._container: Any = None

    def resolve(self) -> None:
        uri = os.environ.get("FLOWMAP_NEO4J_URI")
        if uri:
            self.settings = Settings(store=StoreKind.NEO4J, neo4j_uri=uri)
            return
        try:
            import docker

            docker.from_env().ping()
        except Exception as exc:  # any failure means: no usable Docker engine here
            self.skip_reason = (
                "Neo4j contract run skipped: FLOWMAP_NEO4J_URI is not set and no Docker engine is reachable "
                f"for testcontainers ({type(exc).__name__})"
            )
            return
        from testcontainers.neo4j import Neo4jContainer

        self._container = Neo4jContainer(neo4j_image(), password="flowmap-test-password")
        self._container.start()
        self.settings = Settings(
            store=StoreKind.NEO4J,
            neo4j_uri=self._container.get_connection_url(),
            neo4j_user="neo4j",
            neo4j_password=SecretStr("flowmap-test-password"),
        )

    def stop(self) -> None:
        if self._container is not None:
            self._container.stop()


@pytest.fixture(scope="session")
def neo4j_target() -> Iterator[_Neo4jTarget]:
    target = _Neo4jTarget()
    target.resolve()
    yield target
    target.stop()


@pytest.fixture(params=["embedded", "neo4j"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[GraphStore]:
    """An empty store with its schema set up, once per backend."""
    if request.param == "embedded":
        settings = Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path / "data")
    else:
        target: _Neo4jTarget = request.getfixturevalue("neo4j_target")
        if target.settings is None:
            pytest.skip(target.skip_reason)
        settings = target.settings
    opened = await open_store(settings)
    if request.param == "neo4j":  # a shared server: start from nothing
        await opened.executor.write([Query(f"MATCH (n:{t.name}) DETACH DELETE n") for t in NODE_TABLES])
        await opened.ensure_schema()
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture(scope="session")
def mini_map() -> FlowMap:
    return load_seed_map(MINI_SEEDS)


@pytest.fixture
def mini_seeds_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture seeds, for tests that break them."""
    target = tmp_path / "seeds"
    shutil.copytree(MINI_SEEDS, target)
    return target


@pytest.fixture
def embedded_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Points FLOWMAP_* at a fresh embedded store for CLI tests; returns the data directory."""
    from flowmap.settings import get_settings

    data = tmp_path / "data"
    monkeypatch.setenv("FLOWMAP_STORE", "embedded")
    monkeypatch.setenv("FLOWMAP_DATA_DIR", str(data))
    monkeypatch.setenv("FLOWMAP_SEEDS_DIR", str(MINI_SEEDS))
    get_settings.cache_clear()
    yield data
    get_settings.cache_clear()
