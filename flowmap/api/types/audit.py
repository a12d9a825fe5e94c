"""The audit log as the API shows it."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from flowmap.domain.audit import AuditEntry as AuditEntryModel


@strawberry.type(description="One committed change: who, when, what, and the state before and after.")
class AuditEntry:
    id: strawberry.ID
    revision: int = strawberry.field(description="The map revision this change produced.")
    at: datetime
    actor: str
    role: str
    operation: str
    target: str
    before: JSON | None = strawberry.field(description="Null when the change created the target.")
    after: JSON | None

    @classmethod
    def of(cls, e: AuditEntryModel) -> AuditEntry:
        r = e.record
        return cls(
            id=strawberry.ID(e.id),
            revision=e.revision,
            at=r.at,
            actor=r.actor,
            role=r.role,
            operation=r.operation,
            target=r.target,
            before=JSON(r.before) if r.before is not None else None,
            after=JSON(r.after) if r.after is not None else None,
        )
