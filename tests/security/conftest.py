"""Security tests run the real app over HTTP (httpx, ASGI) on a real embedded store holding the seed map."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from flowmap.domain.models import FlowMap
from flowmap.store import GraphStore
from tests.api.conftest import TOKENS, Api, serve
from tests.api.conftest import seed_map as seed_map  # the fixtures, shared
from tests.api.conftest import seeded as seeded


def map_digest(flow_map: FlowMap) -> str:
    """One hash of the whole map as the store returns it: any change anywhere changes it."""
    return hashlib.sha256(flow_map.model_dump_json().encode("utf-8", "surrogatepass")).hexdigest()


async def store_digest(store: GraphStore) -> str:
    """The map, its revision and the audit log's length: what a refused request must leave exactly as it was."""
    flow_map = await store.read_map()
    return f"{map_digest(flow_map)}:{await store.revision()}:{await store.audit_count()}"


@pytest.fixture
async def secured(seeded: GraphStore) -> AsyncIterator[Api]:
    """Bound to every interface, so every caller needs a token (viewer, procurement or editor)."""
    async with serve(seeded, host="0.0.0.0", api_tokens=SecretStr(TOKENS)) as opened:
        yield opened


@pytest.fixture
async def open_api(seeded: GraphStore) -> AsyncIterator[Api]:
    """Loopback without tokens: the single local user is an editor (the hostile-input runs need every mutation)."""
    async with serve(seeded) as opened:
        yield opened


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
