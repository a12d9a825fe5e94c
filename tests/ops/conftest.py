"""Operations tests: the API on a real embedded store holding the seed map, over HTTP (ASGI or a real socket)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from flowmap.store import GraphStore
from tests.api.conftest import Api, seed_map, seeded, serve

__all__ = ["seed_map", "seeded"]  # fixtures shared with tests/api


@pytest.fixture
async def api(seeded: GraphStore) -> AsyncIterator[Api]:
    """A loopback server without tokens: open to its one local user (an editor)."""
    async with serve(seeded) as opened:
        yield opened
