"""An indexed, immutable view of the whole map at one store revision, shared by every request until a write.

Reading the map is a fixed number of round-trips however large the page a client asks for, and the
revision check that guards the cache is one more: that is what keeps the API free of N+1 queries.

After this process's own single edit the next snapshot is derived in memory (the previous one with that one
engagement or organisation replaced, its indexes patched: ~5 ms at 110k engagements) instead of re-read from the
store (~1.5 s); a revision written by anyone else is always re-read.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from flowmap.domain.models import Document, Engagement, Organization, Role
from flowmap.domain.tables import FIRST_HOP_ROLES, Edge, MapTables, same_reach
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


class _Details:
    """Full engagement models for a derived snapshot: the edited ones by key, the rest from the snapshot read from
    the store (one level deep, however many edits follow)."""

    def __init__(self, root: MapTables, edited: Mapping[str, Engagement]) -> None:
        self.root, self.edited = root, edited

    def __call__(self, edge: Edge) -> Engagement:
        found = self.edited.get(edge.key)
        return found if found is not None else self.root.model(self.root.edge_by_key[edge.key])


def upstream_clients(tables: MapTables, touched: frozenset[str]) -> set[str]:
    """Every organisation whose walk could reach one of ``touched`` (or is one): the reverse of the walk's shape,
    first hops then P2P onward, ignoring dates, categories and depth, so a superset of those really affected."""
    seen, frontier = set(touched), list(touched)
    clients = set(touched)
    while frontier:
        org = frontier.pop()
        for e in tables.incoming.get(org, ()):
            if e.role in FIRST_HOP_ROLES:
                clients.add(e.exporter)
            elif e.role is Role.P2P and e.exporter not in seen:
                seen.add(e.exporter)
                frontier.append(e.exporter)
    return clients


@dataclass(frozen=True)
class MapSnapshot:
    revision: int
    tables: MapTables
    versions: Mapping[str, int] = field(default_factory=dict)  # engagement key -> optimistic version (absent: 0)
    details: _Details | None = None  # how a derived snapshot finds its engagements' models
    # A derived snapshot: the revision it was derived from, the clients whose assessments the change can touch
    # (every other client's assessment on any day carries over unchanged), and the organisations it edited (the
    # verdicts on engagements into them may change).
    derived_from: int | None = None
    affected: frozenset[str] = frozenset()
    changed_organizations: frozenset[str] = frozenset()
    # An edit that changed only what the verdicts read of one engagement (``same_reach``): the edge before and after.
    # No walk changes: answers are patched where they show that engagement, not computed again.
    retermed: tuple[Edge, Edge] | None = None

    def version(self, engagement: str) -> int:
        return self.versions.get(engagement, 0)

    def with_engagement(self, revision: int, engagement: Engagement, version: int) -> MapSnapshot:
        """This snapshot with one engagement created or replaced (same key), at ``revision``."""
        t = self.tables
        root = self.details.root if self.details else t
        old = t.edge_by_key.get(engagement.key)
        details = _Details(root, {**(self.details.edited if self.details else {}), engagement.key: engagement})
        tables = t.with_engagement(engagement, details)
        exporters = frozenset({engagement.exporter, *([old.exporter] if old is not None else [])})
        if engagement.role is not Role.P2P and (old is None or old.role is not Role.P2P):
            affected = exporters  # a controller's own engagement: only its own walk starts there
        else:  # a processor's onward engagement: every walk that reaches the processor may pass it
            affected = frozenset(upstream_clients(t, exporters) | upstream_clients(tables, exporters))
        versions = {**self.versions, engagement.key: version}
        new = tables.edge_by_key[engagement.key]
        retermed = (old, new) if old is not None and same_reach(old, new) else None
        return MapSnapshot(revision, tables, versions, details, self.revision, affected, retermed=retermed)

    def with_organization(
        self, revision: int, organization: Organization, documents: Sequence[Document] = ()
    ) -> MapSnapshot:
        """This snapshot with one organisation (and the documents written with it) created or replaced."""
        t = self.tables
        details = self.details or _Details(t, {})
        tables = t.with_organization(organization, documents, details)
        # An organisation in a group (parent or subsidiary, before or after): the whole group's engagements count,
        # as a parent's listing or rules may cover its subsidiaries.
        everyone = (*t.organizations.values(), organization)
        grouped = {o.id for o in everyone if o.parent} | {o.parent for o in everyone if o.parent}
        touched = frozenset({organization.id} | (grouped if organization.id in grouped else set()))
        affected = frozenset(upstream_clients(t, touched) | upstream_clients(tables, touched))
        return MapSnapshot(revision, tables, self.versions, details, self.revision, affected, touched)

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
        # Told of each snapshot derived after an edit (the one before, the new one), on the event loop, before any
        # request sees it: what is cached per revision follows the edit instead of being recomputed.
        self.on_derived: list[Callable[[MapSnapshot, MapSnapshot], None]] = []
        self._current: MapSnapshot | None = None
        self._lock = asyncio.Lock()
        self.loads = 0
        self.derived = 0  # snapshots built in memory after this process's own edits

    @property
    def cached_revision(self) -> int | None:
        return self._current.revision if self._current else None

    async def current(self) -> MapSnapshot:
        revision = await self.store.revision()
        cached = self._current
        if cached is not None and cached.revision == revision:
            return cached
        async with self._lock:  # concurrent requests after a write share one reload (or wait for an edit's snapshot)
            return await self._fresh(revision)

    async def _fresh(self, revision: int) -> MapSnapshot:
        """The cached snapshot if it is at ``revision`` or later (revisions only grow), else the map re-read.
        Called with the lock held."""
        cached = self._current
        if cached is None or cached.revision < revision:
            self.loads += 1
            tables = await self.store.read_tables()
            cached = self._current = MapSnapshot(revision, tables, await self.store.engagement_versions())
            # Millions of long-lived objects: keep the cyclic GC from re-scanning them on every full
            # collection (those pauses were the API's p95 at 10k engagements; bench/README.md).
            gc.freeze()
        return cached

    @asynccontextmanager
    async def editing(self) -> AsyncIterator[Edit]:
        """One edit of this process: the latest snapshot to check it against, and after its commit the next snapshot
        derived in memory. Requests that see the new revision meanwhile wait for that snapshot rather than re-read
        the whole map; requests that saw the old one are served the old one."""
        async with self._lock:
            edit = Edit(await self._fresh(await self.store.revision()))
            yield edit
            if edit.derive is not None and edit.revision == edit.base.revision + 1 and self._current is edit.base:
                derived = self._current = await asyncio.to_thread(edit.derive)
                self.derived += 1
                gc.freeze()
                for follow in self.on_derived:
                    follow(edit.base, derived)


@dataclass
class Edit:
    """What ``SnapshotCache.editing`` gives an edit: ``base`` to check against, and, once committed, the revision
    it made and how to derive the snapshot at that revision from ``base``. Anything else committed in between
    (another process) shows as a revision that does not follow ``base``'s: then the next read re-reads the map."""

    base: MapSnapshot
    revision: int | None = None
    derive: Callable[[], MapSnapshot] | None = None

    def committed(self, revision: int, derive: Callable[[], MapSnapshot]) -> None:
        self.revision, self.derive = revision, derive
