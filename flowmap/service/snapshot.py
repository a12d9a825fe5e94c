"""An indexed, immutable view of the whole map at one store revision, shared by every request until a write.

Reading the map is a fixed number of round-trips however large the page a client asks for, and the
revision check that guards the cache is one more: that is what keeps the API free of N+1 queries.
"""

from __future__ import annotations

import asyncio
import gc
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from flowmap.domain.models import Document, Organization, Role
from flowmap.domain.tables import FIRST_HOP_ROLES, Edge, MapTables
from flowmap.store import GraphStore


class OrganizationRole(StrEnum):
    """What an organisation is in the map, from its engagements (one can be several)."""

    CLIENT = "CLIENT"  # sends data as a controller (C2P or C2C)
    PROCESSOR = "PROCESSOR"  # receives a controller's data (C2P)
    SUBPROCESSOR = "SUBPROCESSOR"  # receives it from a processor (P2P)
    CONTROLLER = "CONTROLLER"  # receives data as a controller (C2C or P2C)


def _roles_of(outgoing: list[Edge], incoming: list[Edge]) -> frozenset[OrganizationRole]:
    roles = set()
    if any(e.role in FIRST_HOP_ROLES for e in outgoing):
        roles.add(OrganizationRole.CLIENT)
    for e in incoming:
        if e.role is Role.C2P:
            roles.add(OrganizationRole.PROCESSOR)
        elif e.role is Role.P2P:
            roles.add(OrganizationRole.SUBPROCESSOR)
        else:
            roles.add(OrganizationRole.CONTROLLER)
    return frozenset(roles)


@dataclass(frozen=True)
class MapSnapshot:
    revision: int
    tables: MapTables

    @property
    def organizations(self) -> dict[str, Organization]:
        return self.tables.organizations

    @property
    def documents(self) -> dict[str, Document]:
        return self.tables.documents

    @cached_property
    def roles(self) -> dict[str, frozenset[OrganizationRole]]:
        t = self.tables
        return {o: _roles_of(t.outgoing.get(o, []), t.incoming.get(o, [])) for o in t.organizations}


class SnapshotCache:
    """Holds the latest snapshot; a request pays one revision read, a reload only after a write."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self._current: MapSnapshot | None = None
        self._lock = asyncio.Lock()
        self.loads = 0

    @property
    def cached_revision(self) -> int | None:
        return self._current.revision if self._current else None

    async def current(self) -> MapSnapshot:
        revision = await self.store.revision()
        cached = self._current
        if cached is not None and cached.revision == revision:
            return cached
        async with self._lock:  # concurrent requests after a write share one reload
            cached = self._current
            if cached is None or cached.revision != revision:
                self.loads += 1
                cached = self._current = MapSnapshot(revision, await self.store.read_tables())
                # Millions of long-lived objects: keep the cyclic GC from re-scanning them on every full
                # collection (those pauses were the API's p95 at 10k engagements; bench/README.md).
                gc.freeze()
            return cached
