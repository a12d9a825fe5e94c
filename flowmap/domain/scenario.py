"""What-if: run the same assessment on a modified knowledge base and diff it against the baseline."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from flowmap.domain.assess import assess
from flowmap.domain.chains import DEFAULT_MAX_DEPTH
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import FlowMap
from flowmap.domain.results import Assessment, Transfer


@dataclass(frozen=True)
class Revocation:
    mechanism: MechanismCode
    effective: date  # first day it no longer holds


@dataclass(frozen=True)
class Withdrawal:
    country: str
    effective: date


def _end(valid_until: date | None, effective: date) -> date:
    last = effective - timedelta(days=1)
    return min(valid_until, last) if valid_until else last


def modified(kb: KnowledgeBase, revoke: list[Revocation], withdraw: list[Withdrawal]) -> KnowledgeBase:
    """The knowledge base as it would be: revoked mechanisms (and adequacy resting on them) end early."""
    mechanisms = []
    for mech in kb.mechanisms:
        r = next((r for r in revoke if r.mechanism is mech.code), None)
        if r:
            note = f"what-if: revoked from {r.effective.isoformat()}"
            windows = [
                w.model_copy(update={"valid_until": _end(w.valid_until, r.effective), "ended_by": note})
                for w in mech.windows
            ]
            mech = mech.model_copy(update={"windows": windows})
        mechanisms.append(mech)
    adequacy = []
    for a in kb.adequacy:
        for r in revoke:
            if a.framework is r.mechanism:
                a = a.model_copy(update={"valid_until": _end(a.valid_until, r.effective)})
        for w in withdraw:
            if a.country == w.country:
                a = a.model_copy(update={"valid_until": _end(a.valid_until, w.effective)})
        if a.valid_from is None or a.valid_until is None or a.valid_from <= a.valid_until:
            adequacy.append(a)
    return kb.model_copy(update={"mechanisms": mechanisms, "adequacy": adequacy})


class Change(StrEnum):
    BROKEN = "BROKEN"  # worse status than before
    FALLBACK = "FALLBACK"  # basis changed, status not worse: saved by a fallback
    UNAFFECTED = "UNAFFECTED"


@dataclass(frozen=True)
class ScenarioRow:
    change: Change
    before: Transfer
    after: Transfer

    def to_json(self) -> dict[str, Any]:
        return {
            "change": self.change.value,
            "client": self.before.client,
            "importer": self.before.importer,
            "destination": self.before.destination,
            "path": [h.engagement for h in self.before.path],
            "basisBefore": self.before.basis,
            "basisAfter": self.after.basis,
            "statusBefore": self.before.status.value,
            "statusAfter": self.after.status.value,
            "findings": [f.to_json() for f in self.after.findings],
        }


@dataclass(frozen=True)
class ScenarioResult:
    baseline: Assessment
    scenario: Assessment
    rows: tuple[ScenarioRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "asOf": self.baseline.as_of.isoformat(),
            "disclaimer": self.baseline.disclaimer,
            "rows": [r.to_json() for r in self.rows],
        }


def run_scenario(
    flow_map: FlowMap,
    day: date,
    kb: KnowledgeBase,
    *,
    revoke: Sequence[Revocation] = (),
    withdraw: Sequence[Withdrawal] = (),
    clients: list[str] | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> ScenarioResult:
    baseline = assess(flow_map, day, kb, clients=clients, max_depth=max_depth)
    scenario = assess(flow_map, day, modified(kb, list(revoke), list(withdraw)), clients=clients, max_depth=max_depth)
    after = {t.key: t for t in scenario.transfers}
    rows = []
    for before in baseline.transfers:
        now = after[before.key]  # same map and date: the same transfers, judged differently
        if now.status.rank > before.status.rank:
            change = Change.BROKEN
        elif now.basis != before.basis:
            change = Change.FALLBACK
        else:
            change = Change.UNAFFECTED
        rows.append(ScenarioRow(change, before, now))
    order = {Change.BROKEN: 0, Change.FALLBACK: 1, Change.UNAFFECTED: 2}
    rows.sort(key=lambda r: (order[r.change], r.before.client, r.before.key))
    return ScenarioResult(baseline, scenario, tuple(rows))
