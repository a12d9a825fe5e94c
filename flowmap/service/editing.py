"""Changes to the map, one entity at a time: checked against the current map, committed with their audit entry.

Each edit is validated as a whole model (the same rules as the seed files) and its references are
checked against the latest snapshot before anything is written; the store then writes the entity,
the revision and the audit entry in one transaction. Edits are serialised in this process, so the
check and the write see the same map.

Engagements carry an optimistic version (how many single edits each has had). A caller that states the version
it read gets a ``Conflict`` if it moved meanwhile, with nothing written; every write is also conditional, inside
its transaction, on the version the change was computed from, so a writer in another process (Neo4j) can never be
overwritten unseen: a caller that stated no version is then retried on the fresh map (serialised), one that did
gets the conflict.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from pydantic import ValidationError

from flowmap.domain.audit import AuditRecord
from flowmap.domain.models import (
    Certification,
    Document,
    Engagement,
    Evidence,
    Model,
    Organization,
    evidence_paths,
)
from flowmap.errors import Conflict, Issue, NotFound, PathKey, ValidationFailed, format_path, pydantic_messages, shown
from flowmap.service.snapshot import MapSnapshot, SnapshotCache
from flowmap.store import GraphStore

M = TypeVar("M", bound=Model)
log = logging.getLogger("flowmap.editing")
# Attempts of an edit that stated no version, when another process's write overtook it between check and write.
RETRIES = 3


@dataclass(frozen=True)
class Actor:
    """Who makes a change, as the audit log records it."""

    name: str
    role: str


@dataclass(frozen=True)
class SavedEngagement:
    """An engagement as written, with the version that write gave it."""

    model: Engagement
    version: int


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

    def __init__(self, snapshot: MapSnapshot, argument: str, new_documents: frozenset[str] | set[str] = frozenset()):
        self.snapshot = snapshot
        self.argument = argument
        self.new_documents = new_documents
        self.issues: list[Issue] = []

    def organization(self, org_id: str | None, path: PathKey) -> None:
        if org_id is not None and org_id not in self.snapshot.organizations:
            self.issues.append(Issue(self.argument, format_path(path), f"{org_id!r} is not an organisation in the map"))

    def evidence(self, model: Model, prefix: PathKey = ()) -> None:
        for path, ev in evidence_paths(model, prefix):
            if ev.document not in self.snapshot.documents and ev.document not in self.new_documents:
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

    async def _organization(
        self,
        actor: Actor,
        operation: str,
        org_id: str,
        change: Callable[[MapSnapshot, Organization | None], Organization],
        must_exist: str | None = None,
        documents: Sequence[Document] = (),
    ) -> Organization:
        """Read the latest map, build the new state, save it with its audit entry; all under the edit lock.

        ``must_exist`` names the argument to blame when the organisation is missing; None allows creating it.
        """
        async with self._lock, self.snapshots.editing() as edit:
            snapshot = edit.base
            before = snapshot.organizations.get(org_id)
            if before is None and must_exist:
                raise NotFound(must_exist, f"{must_exist}: no organisation {shown(org_id)} in the map")
            after = change(snapshot, before)
            record = self._record(actor, operation, f"organization:{org_id}", before, after)
            revision = await self.store.save_organization(after, record, documents)
            log.info("%s on organization %r: revision %d", operation, org_id[:200], revision)
            edit.committed(revision, lambda: snapshot.with_organization(revision, after, documents))
            return after

    async def _engagement(
        self,
        actor: Actor,
        operation: str,
        engagement_id: str,
        change: Callable[[MapSnapshot, Engagement | None], Engagement],
        must_exist: str | None = None,
        expected_version: int | None = None,
    ) -> SavedEngagement:
        """As ``_organization``, for engagements, with the optimistic version check (see the module's docstring)."""
        for attempt in range(1, RETRIES + 1):
            try:
                return await self._engagement_once(
                    actor, operation, engagement_id, change, must_exist, expected_version
                )
            except Conflict:
                if expected_version is not None or attempt == RETRIES:
                    raise
        raise AssertionError("unreachable")

    async def _engagement_once(
        self,
        actor: Actor,
        operation: str,
        engagement_id: str,
        change: Callable[[MapSnapshot, Engagement | None], Engagement],
        must_exist: str | None,
        expected_version: int | None,
    ) -> SavedEngagement:
        async with self._lock, self.snapshots.editing() as edit:
            snapshot = edit.base
            before = snapshot.tables.engagement(engagement_id)
            if before is None and must_exist:
                raise NotFound(must_exist, f"{must_exist}: no engagement {shown(engagement_id)} in the map")
            current = snapshot.version(engagement_id)
            if expected_version is not None and expected_version != current:
                raise Conflict(engagement_id, expected_version, current)
            after = change(snapshot, before)
            record = self._record(actor, operation, f"engagement:{engagement_id}", before, after)
            saved = await self.store.save_engagement(after, before, record, expected_version=current)
            version = saved.version if saved.version is not None else current + 1
            log.info(
                "%s on engagement %r: revision %d, version %d", operation, engagement_id[:200], saved.revision, version
            )
            edit.committed(saved.revision, lambda: snapshot.with_engagement(saved.revision, after, version))
            return SavedEngagement(after, version)

    async def upsert_organization(self, actor: Actor, org: Organization, argument: str = "input") -> Organization:
        def change(snapshot: MapSnapshot, _: Organization | None) -> Organization:
            refs = _References(snapshot, argument)
            refs.organization(org.parent, ("parent",))
            refs.evidence(org)
            refs.check()
            return org

        return await self._organization(actor, "upsertOrganization", org.id, change)

    async def upsert_engagement(
        self, actor: Actor, engagement: Engagement, argument: str = "input", expected_version: int | None = None
    ) -> SavedEngagement:
        def change(snapshot: MapSnapshot, _: Engagement | None) -> Engagement:
            refs = _References(snapshot, argument)
            refs.organization(engagement.exporter, ("exporter",))
            refs.organization(engagement.importer, ("importer",))
            refs.evidence(engagement)
            refs.check()
            return engagement

        return await self._engagement(
            actor, "upsertEngagement", engagement.key, change, expected_version=expected_version
        )

    async def retire_engagement(
        self,
        actor: Actor,
        engagement_id: str,
        valid_to: date,
        evidence: Evidence | None,
        expected_version: int | None = None,
    ) -> SavedEngagement:
        """Ends an engagement on ``valid_to`` (its last day); it stays in the map for dates before that."""

        def change(snapshot: MapSnapshot, e: Engagement | None) -> Engagement:
            assert e is not None  # must_exist
            _check_evidence(snapshot, evidence, "evidence")
            data = e.model_dump() | {"valid_to": valid_to, "evidence": _with(e.evidence, evidence)}
            return revalidate(Engagement, data, "validTo")

        return await self._engagement(
            actor, "retireEngagement", engagement_id, change, must_exist="id", expected_version=expected_version
        )

    async def record_tia(
        self,
        actor: Actor,
        engagement_id: str,
        reference: str,
        evidence: Evidence | None,
        expected_version: int | None = None,
    ) -> SavedEngagement:
        def change(snapshot: MapSnapshot, e: Engagement | None) -> Engagement:
            assert e is not None  # must_exist
            _check_evidence(snapshot, evidence, "evidence")
            data = e.model_dump() | {"tia_ref": reference, "evidence": _with(e.evidence, evidence)}
            return revalidate(Engagement, data, "reference")

        return await self._engagement(
            actor, "recordTia", engagement_id, change, must_exist="engagementId", expected_version=expected_version
        )

    async def record_certification(
        self, actor: Actor, org_id: str, certification: Certification, documents: Sequence[Document] = ()
    ) -> Organization:
        """Replaces the organisation's record for that framework (DPF status as last checked).

        ``documents``: the sources the evidence cites that the map may not hold yet (the list entry checked),
        written in the same transaction. The Certification model already refuses a framework that is not a
        certification list.
        """

        def change(snapshot: MapSnapshot, org: Organization | None) -> Organization:
            assert org is not None  # must_exist
            refs = _References(snapshot, "evidence", {doc.id for doc in documents})
            refs.evidence(certification)
            refs.check()
            others = [c for c in org.certifications if c.framework is not certification.framework]
            return revalidate(Organization, org.model_dump() | {"certifications": [*others, certification]}, "input")

        return await self._organization(
            actor, "recordDpfStatus", org_id, change, must_exist="organizationId", documents=documents
        )

    async def attach_evidence_to_organization(self, actor: Actor, org_id: str, evidence: Evidence) -> Organization:
        def change(snapshot: MapSnapshot, org: Organization | None) -> Organization:
            assert org is not None  # must_exist
            _check_evidence(snapshot, evidence, "evidence")
            return org.model_copy(update={"evidence": _with(org.evidence, evidence)})

        return await self._organization(actor, "attachEvidence", org_id, change, must_exist="targetId")

    async def attach_evidence_to_engagement(
        self, actor: Actor, engagement_id: str, evidence: Evidence, expected_version: int | None = None
    ) -> SavedEngagement:
        def change(snapshot: MapSnapshot, e: Engagement | None) -> Engagement:
            assert e is not None  # must_exist
            _check_evidence(snapshot, evidence, "evidence")
            return e.model_copy(update={"evidence": _with(e.evidence, evidence)})

        return await self._engagement(
            actor, "attachEvidence", engagement_id, change, must_exist="targetId", expected_version=expected_version
        )


def _with(existing: list[Evidence], evidence: Evidence | None) -> list[Evidence]:
    """The evidence list with one more item, unless it is already there (attaching twice changes nothing)."""
    return existing if evidence is None or evidence in existing else [*existing, evidence]


def _check_evidence(snapshot: MapSnapshot, evidence: Evidence | None, argument: str) -> None:
    if evidence is not None:
        refs = _References(snapshot, argument)
        refs.evidence(evidence)
        refs.check()
