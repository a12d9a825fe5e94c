"""Maintaining the map: each mutation needs the edit permission, is validated whole, atomic and audited."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from flowmap.api.auth import CanEdit
from flowmap.api.context import Context
from flowmap.api.inputs import DpfStatusInput, EngagementInput, EvidenceInput, OrganizationInput, to_model, to_text
from flowmap.api.types.organizations import Engagement, Organization
from flowmap.domain import models
from flowmap.errors import Issue, ValidationFailed
from flowmap.service.editing import SavedEngagement
from flowmap.service.evidence import DPF_FRAMEWORKS

Ctx = Info[Context, Any]


@strawberry.enum
class EvidenceTarget(Enum):
    ORGANIZATION = "ORGANIZATION"
    ENGAGEMENT = "ENGAGEMENT"


Evidenced = Annotated[Organization | Engagement, strawberry.union("Evidenced")]


def _evidence(value: EvidenceInput | None, argument: str) -> models.Evidence | None:
    return to_model(models.Evidence, value, argument) if value is not None else None


def _saved(saved: SavedEngagement) -> Engagement:
    return Engagement(model=saved.model, saved_version=saved.version)


EXPECTED_VERSION = (
    "The engagement's version as last read: the change is made only if it is still that (else CONFLICT, nothing "
    "written). Omitted: made on whatever the engagement is now."
)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Create or replace an organisation.", permission_classes=[CanEdit])
    async def upsert_organization(self, info: Ctx, input: OrganizationInput) -> Organization:
        org = to_model(models.Organization, input, "input")
        saved = await info.context.services.editor.upsert_organization(info.context.actor, org)
        info.context.changed()
        return Organization(model=saved)

    @strawberry.mutation(
        description="Create or replace an engagement (its id defaults to 'exporter>importer').",
        permission_classes=[CanEdit],
    )
    async def upsert_engagement(
        self,
        info: Ctx,
        input: EngagementInput,
        expected_version: Annotated[int | None, strawberry.argument(description=EXPECTED_VERSION)] = None,
    ) -> Engagement:
        engagement = to_model(models.Engagement, input, "input")
        saved = await info.context.services.editor.upsert_engagement(
            info.context.actor, engagement, expected_version=expected_version
        )
        info.context.changed()
        return _saved(saved)

    @strawberry.mutation(
        description="End an engagement on validTo (its last day). It stays in the map, so earlier dates still see it.",
        permission_classes=[CanEdit],
    )
    async def retire_engagement(
        self,
        info: Ctx,
        id: strawberry.ID,
        valid_to: date,
        evidence: EvidenceInput | None = None,
        expected_version: Annotated[int | None, strawberry.argument(description=EXPECTED_VERSION)] = None,
    ) -> Engagement:
        saved = await info.context.services.editor.retire_engagement(
            info.context.actor, str(id), valid_to, _evidence(evidence, "evidence"), expected_version
        )
        info.context.changed()
        return _saved(saved)

    @strawberry.mutation(description="Record the transfer impact assessment on file.", permission_classes=[CanEdit])
    async def record_tia(
        self,
        info: Ctx,
        engagement_id: strawberry.ID,
        reference: str,
        evidence: EvidenceInput | None = None,
        expected_version: Annotated[int | None, strawberry.argument(description=EXPECTED_VERSION)] = None,
    ) -> Engagement:
        saved = await info.context.services.editor.record_tia(
            info.context.actor,
            str(engagement_id),
            to_text(reference, "reference"),
            _evidence(evidence, "evidence"),
            expected_version,
        )
        info.context.changed()
        return _saved(saved)

    @strawberry.mutation(
        description="Record an organisation's DPF listing as last checked; replaces its record for that framework.",
        permission_classes=[CanEdit],
    )
    async def record_dpf_status(self, info: Ctx, organization_id: strawberry.ID, input: DpfStatusInput) -> Organization:
        if input.framework not in DPF_FRAMEWORKS:
            allowed = ", ".join(DPF_FRAMEWORKS)
            raise ValidationFailed([Issue("input", "framework", f"{input.framework} is not a DPF list ({allowed})")])
        certification = to_model(models.Certification, input, "input")
        saved = await info.context.services.editor.record_certification(
            info.context.actor, str(organization_id), certification
        )
        info.context.changed()
        return Organization(model=saved)

    @strawberry.mutation(description="Add evidence to an organisation or engagement.", permission_classes=[CanEdit])
    async def attach_evidence(
        self,
        info: Ctx,
        target: EvidenceTarget,
        target_id: strawberry.ID,
        evidence: EvidenceInput,
        expected_version: Annotated[
            int | None, strawberry.argument(description=f"ENGAGEMENT only. {EXPECTED_VERSION}")
        ] = None,
    ) -> Evidenced:
        ev = to_model(models.Evidence, evidence, "evidence")
        editor, actor = info.context.services.editor, info.context.actor
        result: Organization | Engagement
        if target is EvidenceTarget.ORGANIZATION:
            if expected_version is not None:
                raise ValidationFailed([Issue("expectedVersion", "", "only engagements have versions")])
            result = Organization(model=await editor.attach_evidence_to_organization(actor, str(target_id), ev))
        else:
            result = _saved(await editor.attach_evidence_to_engagement(actor, str(target_id), ev, expected_version))
        info.context.changed()
        return result
