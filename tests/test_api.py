"""The API over HTTP (httpx against the ASGI app), on a real embedded store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from flowmap.api.app import create_app
from flowmap.domain.models import FlowMap
from flowmap.settings import Settings, StoreKind
from flowmap.store import GraphStore, open_store


@pytest.fixture
async def seeded(tmp_path: Path, mini_map: FlowMap) -> AsyncIterator[GraphStore]:
    store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path))
    await store.write_map(mini_map)
    yield store
    await store.close()


@pytest.fixture
async def client(seeded: GraphStore) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(), store=seeded)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://flowmap.test") as c:
            yield c


async def test_healthz_reports_store_reachability_and_counts(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["store"] == "embedded" and body["reachable"] is True and body["status"] == "ok"
    assert body["counts"]["nodes"]["Organization"] == 4
    assert body["counts"]["relationships"]["ENGAGES"] == 2
    assert body["total"] > 0


async def test_healthz_reports_an_unreachable_store(client: httpx.AsyncClient, seeded: GraphStore) -> None:
    await seeded.close()
    response = await client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["reachable"] is False


async def test_graphql_stats_and_organization(client: httpx.AsyncClient) -> None:
    query = """
      query ($id: ID!) {
        stats { store nodes { name count } }
        organization(id: $id) { id name legalName country evidence { document quote } }
        missing: organization(id: "nope") { id }
        disclaimer
      }
    """
    response = await client.post("/graphql", json={"query": query, "variables": {"id": "acme"}})
    assert response.status_code == 200
    data = response.json()["data"]
    assert {"name": "Organization", "count": 4} in data["stats"]["nodes"]
    assert data["organization"]["legalName"] == "Acme, LLC" and data["organization"]["country"] == "US"
    assert data["organization"]["evidence"][0]["document"] == "doc.acme.policy"
    assert data["missing"] is None
    assert "not legal advice" in data["disclaimer"]
