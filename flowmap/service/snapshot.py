"""An indexed, immutable view of the whole map at one store revision, shared by every request until a write.

Reading the map is a fixed number of round-trips however large the page a client asks for, and the
revision check that guards the cache is one more: that is what keeps the API free of N+1 queries.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from flowmap.domain.chains import FIRST_HOP_ROLES
from flowmap.domain.models import Document, Engagement, FlowMap, Organization, Role
from flowmap.store import GraphStore


class OrganizationRole(StrEnum):
    """What an organisation is in the map, from its engagements (one can be several)."""

    CLIENT = "CLIENT"  # sends data as a controller (C2P or C2C)
    PROCESSOR = "PROCESSOR"  # receives a controller's data (C2P)
    SUBPROCESSOR = "SUBPROCESSOR"  # receives it from a processor (P2P)
    CONTROLLER = "CONTROLLER"  # receives data as a controller (C2C or P2C)


def _roles_of(outgoing: list[Engagement], incoming: list[Engagement]) -> frozenset[OrganizationRole]:
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
    flow_map: FlowMap
    organizations: dict[str, Organization] = field(init=False)
    engagements: dict[str, Engagement] = field(init=False)
    documents: dict[str, Document] = field(init=False)
    outgoing: dict[str, list[Engagement]] = field(init=False)
    incoming: dict[str, list[Engagement]] = field(init=False)

    def __post_init__(self) -> None:
        outgoing: dict[str, list[Engagement]] = defaultdict(list)
        incoming: dict[str, list[Engagement]] = defaultdict(list)
        for e in self.flow_map.engagements:
            outgoing[e.exporter].append(e)
            incoming[e.importer].append(e)
        set_ = object.__setattr__  # frozen: the indexes are derived once, here
        set_(self, "organizations", {o.id: o for o in self.flow_map.organizations})
        set_(self, "engagements", {e.key: e for e in self.flow_map.engagements})
        set_(self, "documents", {d.id: d for d in self.flow_map.documents})
        set_(self, "outgoing", dict(outgoing))
        set_(self, "incoming", dict(incoming))

    @cached_property
    def roles(self) -> dict[str, frozenset[OrganizationRole]]:
        return {o: _roles_of(self.outgoing.get(o, []), self.incoming.get(o, [])) for o in self.organizations}


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
                cached = self._current = MapSnapshot(revision, await self.store.read_map())
            return cached
