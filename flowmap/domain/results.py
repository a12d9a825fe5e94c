"""What an assessment produces: transfers along chains, and findings that each say why, with a citation.

Field names follow the GraphQL types (camelCase in JSON) so CLI JSON and the API agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum, StrEnum
from typing import Any

from flowmap import NOT_LEGAL_ADVICE
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import Role

ADEQUACY = "ADEQUACY"  # the basis code of a transfer covered by an adequacy decision of whole scope


class Severity(IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4


class Status(StrEnum):
    COMPLIANT = "COMPLIANT"
    NEEDS_REVIEW = "NEEDS_REVIEW"
    NON_COMPLIANT = "NON_COMPLIANT"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {s: i for i, s in enumerate(Status)}  # worst last; a dict, as exposure ranks thousands per request


def status_of(severities: list[Severity]) -> Status:
    """A critical finding means no lawful basis; high or medium ones need a person to look."""
    worst = max(severities, default=Severity.INFO)
    if worst is Severity.CRITICAL:
        return Status.NON_COMPLIANT
    if worst >= Severity.MEDIUM:
        return Status.NEEDS_REVIEW
    return Status.COMPLIANT


def worst_status(statuses: list[Status]) -> Status:
    return max(statuses, key=lambda s: s.rank, default=Status.COMPLIANT)


class Rule(StrEnum):
    INVALIDATED_MECHANISM = "INVALIDATED_MECHANISM"
    EXPIRED_SCC = "EXPIRED_SCC"
    MISSING_MECHANISM = "MISSING_MECHANISM"
    UNSPECIFIED_MECHANISM = "UNSPECIFIED_MECHANISM"
    DPF_NOT_CERTIFIED = "DPF_NOT_CERTIFIED"
    ADEQUACY_SCOPE = "ADEQUACY_SCOPE"
    SCC_MODULE_MISMATCH = "SCC_MODULE_MISMATCH"
    TIA_MISSING = "TIA_MISSING"
    ART49_RELIANCE = "ART49_RELIANCE"
    UNKNOWN_LOCATION = "UNKNOWN_LOCATION"
    SPECIAL_CATEGORY_THIRD_COUNTRY = "SPECIAL_CATEGORY_THIRD_COUNTRY"
    ONWARD_TRANSFER = "ONWARD_TRANSFER"
    OUTDATED_LEGAL_REFERENCE = "OUTDATED_LEGAL_REFERENCE"
    INDEFINITE_RETENTION = "INDEFINITE_RETENTION"
    UNNAMED_RECIPIENTS = "UNNAMED_RECIPIENTS"
    STALE_DOCUMENT = "STALE_DOCUMENT"


@dataclass(frozen=True)
class Finding:
    rule: Rule
    severity: Severity
    message: str
    citation: str
    remediation: str
    subject: str  # "engagement:<id>", "organization:<id>" or "document:<id>"

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "severity": self.severity.name,
            "message": self.message,
            "citation": self.citation,
            "remediation": self.remediation,
            "subject": self.subject,
        }


def finding_order(f: Finding) -> tuple[int, str, str, str, str, str]:
    """Most severe first, in one total order: a list is the same however its findings were gathered (the whole map
    at once, a client at a time, or patched after an edit)."""
    return (-f.severity, f.rule.value, f.subject, f.message, f.remediation, f.citation)


def distinct_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    """Each finding once (many transfers share a verdict), in ``finding_order``. Findings that differ only in
    severity or remediation (one engagement's mechanism, judged for two destinations) are both kept."""
    return tuple(sorted(set(findings), key=finding_order))


@dataclass(frozen=True)
class Hop:
    engagement: str
    exporter: str
    importer: str
    role: Role
    mechanisms: tuple[MechanismCode, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "engagement": self.engagement,
            "exporter": self.exporter,
            "importer": self.importer,
            "role": self.role.value,
            "mechanisms": [m.value for m in self.mechanisms],
        }


@dataclass(frozen=True)
class Transfer:
    """Data of ``client`` reaching ``importer`` in ``destination`` (None: not known) over ``path``."""

    client: str
    importer: str
    destination: str | None
    regime: RegimeCode
    path: tuple[Hop, ...]
    data_categories: tuple[str, ...]
    basis: str | None  # a MechanismCode value, ADEQUACY, or None
    basis_reference: str | None  # the decision or instrument relied on
    status: Status
    findings: tuple[Finding, ...]

    @property
    def key(self) -> tuple[str, tuple[str, ...], str | None]:
        return (self.client, tuple(h.engagement for h in self.path), self.destination)

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "importer": self.importer,
            "destination": self.destination,
            "regime": self.regime.value,
            "path": [h.to_json() for h in self.path],
            "dataCategories": list(self.data_categories),
            "basis": self.basis,
            "basisReference": self.basis_reference,
            "status": self.status.value,
            "findings": [f.to_json() for f in self.findings],
        }


@dataclass(frozen=True)
class Assessment:
    as_of: date
    transfers: tuple[Transfer, ...]
    findings: tuple[Finding, ...]  # every finding: per transfer and on documents and organisations
    disclaimer: str = field(default=NOT_LEGAL_ADVICE)

    def to_json(self) -> dict[str, Any]:
        return {
            "asOf": self.as_of.isoformat(),
            "disclaimer": self.disclaimer,
            "transfers": [t.to_json() for t in self.transfers],
            "findings": [f.to_json() for f in self.findings],
        }
