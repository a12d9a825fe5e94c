"""Changes to the map, one entity at a time: checked against the current map, committed with their audit entry.

Each edit is validated as a whole model (the same rules as the seed files) and its references are
checked against the latest snapshot before anything is written; the store then writes the entity,
the revision and the audit entry in one transaction. Edits are serialised in this process, so the
check and the write see the same map.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic import ValidationError

from flowmap.domain.audit import AuditRecord
from flowmap.domain.mechanisms import CERTIFICATION_FRAMEWORKS
from flowmap.domain.models import Certification, Engagement, Evidence, Model, Organization, evidence_paths
from flowmap.errors import Issue, NotFound, PathKey, ValidationFailed, format_path, pydantic_messages
from flowmap.service.snapshot import MapSnapshot, SnapshotCache
from flowmap.store import GraphStore

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Actor:
    """Who makes a change, as the audit log records it."""

    name: str
    role: str


def _dump(model: Model | None) -> dict[str, Any] | None:
    return model.model_dump(mode="json", exclude_defaults=True) if model is not None else None


def revalidate(cls: type[M], data: dict[str, Any], argument: str) -> M:
    """Build ``cls`` from ``data`` with every model rule applied; errors name the argument's field.

    An error about the model as a whole (e.g. dates out of order) names the argument itself.
    """
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        issues = [
            Issue(file=argument, path=format_path(path), message=message)
            for path, message in pydantic_messages(exc.errors())
        ]
        raise ValidationFailed(issues) from None


class _References:
    """Collects every dangling reference of one edit, so one error lists them all."""

    def __init__(self, snapshot: MapSnapshot, argument: str) -> None:
        self.snapshot = snapshot
        self.argument = argument
        self.issues: list[Issue] = []

    def organization(self, org_id: str | None, path: PathKey) -> None:
        if org_id is not None and org_id not in self.snapshot.organizations:
            self.issues.append(Issue(self.argument, format_path(path), f"{org_id!r} is not an organisation in the map"))

    def evidence(self, model: Model, prefix: PathKey = ()) -> None:
        for path, ev in evidence_paths(model, prefix):
            if ev.document not in self.snapshot.documents:
                self.issues.append(
                    Issue(self.argument, format_path((*path, "document")), f"{ev.document!r} is not a known document")
                )

    def check(self) -> None:
        if self.issues:
            raise ValidationFailed(self.issues)


class MapEditor:
    def __init__(self, store: GraphStore, snapshots: SnapshotCache) -> None:
        self.store = store
        self.snapshots = snapshots
        self._lock = asyncio.Lock()

    def _record(self, actor: Actor, operation: str, target: str, before: Model | None, after: Model) -> AuditRecord:
        return AuditRecord(actor.name, actor.role, operation, target, _dump(before), _dump(after))

    async def _edit_organization(
        self,
        actor: Actor,
        operation: str,
        org_id: str,
        field: str,
        change: Callable[[MapSnapshot, Organization], Organization],
    ) -> Organization:
        async with self._lock:
            snapshot = await self.snapshots.current()
            before = snapshot.organizations.get(org_id)
            if before is None:
                raise NotFound(field, f"{field}: no organisation {org_id!r} in the map")
            after = change(snapshot, before)
            await self.store.save_organization(
                after, self._record(actor, operation, f"organization:{org_id}", before, after)
            )
            return after

    async def _edit_engagement(
        self,
        actor: Actor,
        operation: str,
        engagement_id: str,
        field: str,
        change: Callable[[MapSnapshot, Engagement], Engagement],
    ) -> Engagement:
        async with self._lock:
            snapshot = await self.snapshots.current()
            before = snapshot.engagements.get(engagement_id)
            if before is None:
                raise NotFound(field, f"{field}: no engagement {engagement_id!r} in the map")
            after = change(snapshot, before)
            record = self._record(actor, operation, f"engagement:{engagement_id}", before, after)
            await self.store.save_engagement(after, before, record)
            return after

    async def upsert_organization(self, actor: Actor, org: Organization, argument: str = "input") -> Organization:
        async with self._lock:
            snapshot = await self.snapshots.current()
            refs = _References(snapshot, argument)
            refs.organization(org.parent, ("parent",))
            refs.evidence(org)
            refs.check()
            before = snapshot.organizations.get(org.id)
            record = self._record(actor, "upsertOrganization", f"organization:{org.id}", before, org)
            await self.store.save_organization(org, record)
            return org

    async def upsert_engagement(self, actor: Actor, engagement: Engagement, argument: str = "input") -> Engagement:
        async with self._lock:
            snapshot = await self.snapshots.current()
            refs = _References(snapshot, argument)
            refs.organization(engagement.exporter, ("exporter",))
            refs.organization(engagement.importer, ("importer",))
            refs.evidence(engagement)
            refs.check()
            before = snapshot.engagements.get(engagement.key)
            record = self._record(actor, "upsertEngagement", f"engagement:{engagement.key}", before, engagement)
            await self.store.save_engagement(engagement, before, record)
            return engagement

    async def retire_engagement(
        self, actor: Actor, engagement_id: str, valid_to: date, evidence: Evidence | None
    ) -> Engagement:
        """Ends an engagement on ``valid_to`` (its last day); it stays in the map for dates before that."""

        def change(snapshot: MapSnapshot, e: Engagement) -> Engagement:
            data = e.model_dump() | {"valid_to": valid_to, "evidence": [*e.evidence, *([evidence] if evidence else [])]}
            retired = revalidate(Engagement, data, "validTo")
            _check_evidence(snapshot, evidence, "evidence")
            return retired

        return await self._edit_engagement(actor, "retireEngagement", engagement_id, "id", change)

    async def record_tia(
        self, actor: Actor, engagement_id: str, reference: str, evidence: Evidence | None
    ) -> Engagement:
        def change(snapshot: MapSnapshot, e: Engagement) -> Engagement:
            data = e.model_dump() | {"tia_ref": reference, "evidence": [*e.evidence, *([evidence] if evidence else [])]}
            updated = revalidate(Engagement, data, "reference")
            _check_evidence(snapshot, evidence, "evidence")
            return updated

        return await self._edit_engagement(actor, "recordTia", engagement_id, "engagementId", change)

    async def record_certification(self, actor: Actor, org_id: str, certification: Certification) -> Organization:
        """Replaces the organisation's record for that framework (DPF status as last checked)."""
        if certification.framework not in CERTIFICATION_FRAMEWORKS:
            raise ValidationFailed([Issue("framework", "", f"{certification.framework} is not a certification list")])

        def change(snapshot: MapSnapshot, org: Organization) -> Organization:
            refs = _References(snapshot, "evidence")
            refs.evidence(certification)
            refs.check()
            others = [c for c in org.certifications if c.framework is not certification.framework]
            return revalidate(Organization, org.model_dump() | {"certifications": [*others, certification]}, "input")

        return await self._edit_organization(actor, "recordDpfStatus", org_id, "organizationId", change)

    async def attach_evidence_to_organization(self, actor: Actor, org_id: str, evidence: Evidence) -> Organization:
        def change(snapshot: MapSnapshot, org: Organization) -> Organization:
            _check_evidence(snapshot, evidence, "evidence")
            return org.model_copy(update={"evidence": _appended(org.evidence, evidence)})

        return await self._edit_organization(actor, "attachEvidence", org_id, "targetId", change)

    async def attach_evidence_to_engagement(self, actor: Actor, engagement_id: str, evidence: Evidence) -> Engagement:
        def change(snapshot: MapSnapshot, e: Engagement) -> Engagement:
            _check_evidence(snapshot, evidence, "evidence")
            return e.model_copy(update={"evidence": _appended(e.evidence, evidence)})

        return await self._edit_engagement(actor, "attachEvidence", engagement_id, "targetId", change)


def _appended(existing: list[Evidence], evidence: Evidence) -> list[Evidence]:
    return existing if evidence in existing else [*existing, evidence]


def _check_evidence(snapshot: MapSnapshot, evidence: Evidence | None, argument: str) -> None:
    if evidence is not None:
        refs = _References(snapshot, argument)
        refs.evidence(evidence)
        refs.check()
