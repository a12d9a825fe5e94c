"""The audit trail: who changed what, when, with the state before and after.

The map is legal evidence, so every committed change (a mutation, a seed load) leaves one entry,
written in the same transaction as the change itself: there is no change without its entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JsonObject = dict[str, Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class AuditRecord:
    """A change about to be committed. ``before`` is None for a creation."""

    actor: str
    role: str
    operation: str
    target: str  # "organization:<id>", "engagement:<id>" or "map"
    before: JsonObject | None
    after: JsonObject | None
    at: datetime = field(default_factory=utc_now)


@dataclass(frozen=True)
class AuditEntry:
    """A committed change, numbered by the map revision it produced."""

    id: str
    revision: int
    record: AuditRecord
