"""Per-request context: the caller, the shared services, and DataLoaders that live for one request only.

Loaders are built per request so nothing one caller loaded leaks to another and a mutation's
result is never served from a stale batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from strawberry.dataloader import DataLoader
from strawberry.fastapi import BaseContext

from flowmap.api.auth import Principal
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.models import Engagement, Organization
from flowmap.domain.results import Assessment
from flowmap.service.assessments import AssessmentKey, Assessor
from flowmap.service.editing import Actor, MapEditor
from flowmap.service.snapshot import MapSnapshot, SnapshotCache
from flowmap.settings import Settings
from flowmap.store import GraphStore


@dataclass(frozen=True)
class Services:
    """Built once per app: the store and the caches over it."""

    settings: Settings
    store: GraphStore
    kb: KnowledgeBase
    snapshots: SnapshotCache
    assessor: Assessor
    editor: MapEditor


class Context(BaseContext):
    def __init__(self, services: Services, principal: Principal) -> None:
        super().__init__()
        self.services = services
        self.principal = principal
        self.settings = services.settings
        self.kb = services.kb
        self._snapshot: asyncio.Future[MapSnapshot] | None = None
        # Entities that exist only in this request (a vendor check's candidate), resolved before the map's.
        self._overlay_organizations: dict[str, Organization] = {}
        self._overlay_engagements: dict[str, Engagement] = {}
        self.organizations = DataLoader[str, Organization | None](load_fn=self._organizations)
        self.engagements = DataLoader[str, Engagement | None](load_fn=self._engagements)
        self.assessments = DataLoader[AssessmentKey, Assessment](load_fn=self._assessments)

    @property
    def actor(self) -> Actor:
        return Actor(self.principal.name, self.principal.role.value if self.principal.role else "anonymous")

    def snapshot(self) -> asyncio.Future[MapSnapshot]:
        """The map at one revision for the whole request: a single revision check, however many fields ask."""
        if self._snapshot is None:
            self._snapshot = asyncio.ensure_future(self.services.snapshots.current())
        return self._snapshot

    def changed(self) -> None:
        """After a mutation: later fields of the same request read the new revision."""
        self._snapshot = None
        for loader in (self.organizations, self.engagements, self.assessments):
            loader.clear_all()

    def overlay(self, organizations: Sequence[Organization], engagements: Sequence[Engagement]) -> None:
        """Make request-only entities resolvable, e.g. a candidate vendor that is never written."""
        self._overlay_organizations.update((o.id, o) for o in organizations)
        self._overlay_engagements.update((e.key, e) for e in engagements)

    async def _organizations(self, ids: Sequence[str]) -> list[Organization | None]:
        snapshot = await self.snapshot()
        return [self._overlay_organizations.get(i) or snapshot.organizations.get(i) for i in ids]

    async def _engagements(self, ids: Sequence[str]) -> list[Engagement | None]:
        snapshot = await self.snapshot()
        return [self._overlay_engagements.get(i) or snapshot.tables.engagement(i) for i in ids]

    async def _assessments(self, keys: Sequence[AssessmentKey]) -> list[Assessment]:
        snapshot = await self.snapshot()
        return list(await asyncio.gather(*(self.services.assessor.assessment(snapshot, k) for k in keys)))
