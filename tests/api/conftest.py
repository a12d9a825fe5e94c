"""The API over HTTP: httpx against the ASGI app, on a real embedded store holding the seed map."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from flowmap.api.app import create_app
from flowmap.domain.models import FlowMap
from flowmap.ingest.seeds import load_seed_map
from flowmap.settings import Settings, StoreKind
from flowmap.store import GraphStore, open_store
from tests.conftest import SEEDS

EDITOR = "editor-token-0123456789abcdef"
VIEWER = "viewer-token-0123456789abcdef"
PROCUREMENT = "procurement-token-0123456789"
TOKENS = f"alice:editor:{EDITOR},vera:viewer:{VIEWER},pat:procurement:{PROCUREMENT}"
GRAPHQL_RESPONSE = "application/graphql-response+json"


@dataclass
class Api:
    http: httpx.AsyncClient
    store: GraphStore

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        accept: str = GRAPHQL_RESPONSE,
        operation_name: str | None = None,
    ) -> httpx.Response:
        headers = {"Accept": accept}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body: dict[str, Any] = {"query": query, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        return await self.http.post("/graphql", json=body, headers=headers)

    async def state(self) -> tuple[object, ...]:
        """Everything a refused or failed request must leave alone: counts, revision, audit log, the map."""
        store = self.store
        return (await store.counts(), await store.revision(), await store.audit_count(), await store.read_map())

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
        """The data of a request that must succeed without errors."""
        response = await self.post(query, variables, **kw)
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        return dict(body["data"])


@pytest.fixture(scope="session")
def seed_map() -> FlowMap:
    return load_seed_map(SEEDS)


@pytest.fixture
async def seeded(tmp_path: Path, seed_map: FlowMap) -> AsyncIterator[GraphStore]:
    store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path / "data"))
    await store.write_map(seed_map, actor="test")
    yield store
    await store.close()


@asynccontextmanager
async def serve(store: GraphStore, **settings: Any) -> AsyncIterator[Api]:
    app = create_app(Settings(**settings), store=store)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://flowmap.test") as http:
            yield Api(http, store)


@pytest.fixture
async def api(seeded: GraphStore) -> AsyncIterator[Api]:
    """A loopback server without tokens: open to its one local user (an editor)."""
    async with serve(seeded) as opened:
        yield opened


@pytest.fixture
async def secured(seeded: GraphStore) -> AsyncIterator[Api]:
    """Bound to every interface, so tokens are required."""
    async with serve(seeded, host="0.0.0.0", api_tokens=SecretStr(TOKENS)) as opened:
        yield opened


# An edit the mutation tests make: a new engagement of a seeded client, with evidence from a seeded document.
DOC = "doc.demo.contract-register"
EVIDENCE = {"document": DOC, "section": "register", "quote": "entry added by the test"}

NEW_ENGAGEMENT: dict[str, Any] = {
    "exporter": "demo.client-be",
    "importer": "google",
    "role": "C2P",
    "service": "web analytics",
    "purpose": "site statistics",
    "categories": ["user.device.cookie_id"],
    "countries": ["US"],
    "mechanisms": [{"code": "SCC_2021", "module": 2, "signedOn": "2024-03-01"}],
    "validFrom": "2024-03-01",
    "evidence": [EVIDENCE],
}
