"""What-if: judge the map again on a modified knowledge base, and diff it against the baseline.

Only transfers whose verdict can change are judged twice: those at an engagement that declares a
changed mechanism or reaches a country whose adequacy changed ("touched"). Every other transfer keeps
its verdict by construction, so the walk is pruned to the engagements that can lead to a touched one.
That is what makes "DPF revoked" over a million engagements a question of seconds, not of judging
every transfer of every client twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from flowmap import NOT_LEGAL_ADVICE
from flowmap.domain.assess import Engine, destinations
from flowmap.domain.chains import DEFAULT_MAX_DEPTH, Reach, leading_to
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import FlowMap
from flowmap.domain.results import Transfer
from flowmap.domain.tables import Edge, MapTables, is_active


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
    UNAFFECTED = "UNAFFECTED"  # touched by the scenario, but the same basis and status


@dataclass(frozen=True, slots=True)
class ScenarioRow:
    """One touched transfer; its two ``Transfer``s are built when asked for (a what-if over a large map
    touches millions, and a page shows a hundred)."""

    change: Change
    client: str
    regime: RegimeCode
    destination: str | None
    reach: Reach
    engines: tuple[Engine, Engine]

    @property
    def before(self) -> Transfer:
        return self.engines[0].transfer(self.client, self.regime, self.destination, self.reach)

    @property
    def after(self) -> Transfer:
        return self.engines[1].transfer(self.client, self.regime, self.destination, self.reach)

    def to_json(self) -> dict[str, Any]:
        before, after = self.before, self.after
        return {
            "change": self.change.value,
            "client": self.client,
            "importer": before.importer,
            "destination": self.destination,
            "path": [h.engagement for h in before.path],
            "basisBefore": before.basis,
            "basisAfter": after.basis,
            "statusBefore": before.status.value,
            "statusAfter": after.status.value,
            "findings": [f.to_json() for f in after.findings],
        }


@dataclass(frozen=True)
class ScenarioResult:
    """The transfers the scenario touches, broken first; transfers it cannot touch are not listed."""

    as_of: date
    rows: tuple[ScenarioRow, ...]
    disclaimer: str = NOT_LEGAL_ADVICE

    def count(self, change: Change) -> int:
        return sum(1 for r in self.rows if r.change is change)

    def to_json(self) -> dict[str, Any]:
        return {
            "asOf": self.as_of.isoformat(),
            "disclaimer": self.disclaimer,
            "counts": {c.value: self.count(c) for c in Change},
            "rows": [r.to_json() for r in self.rows],
        }


def touched(tables: MapTables, kb: KnowledgeBase, changed: KnowledgeBase, day: date) -> frozenset[Edge]:
    """Active engagements whose verdict may differ between the two knowledge bases: a verdict reads the
    declared mechanisms' windows and the adequacy decisions for (regime, destination), nothing else of
    the law."""
    before = {m.code: m for m in kb.mechanisms}
    codes = {m.code for m in changed.mechanisms if before.get(m.code) != m}
    codes |= before.keys() - {m.code for m in changed.mechanisms}

    def decisions(k: KnowledgeBase) -> dict[tuple[RegimeCode, str], list[Any]]:
        out: dict[tuple[RegimeCode, str], list[Any]] = {}
        for a in k.adequacy:
            out.setdefault((a.regime, a.country), []).append(a)
        return out

    old, new = decisions(kb), decisions(changed)
    countries = {c for (r, c) in old.keys() | new.keys() if old.get((r, c)) != new.get((r, c))}
    return frozenset(
        e
        for e in tables.edges
        if is_active(e, day)
        and (any(m.code in codes for m in e.mechanisms) or any(c in countries for c in e.countries))
    )


def run_scenario(
    flow_map: MapTables | FlowMap,
    day: date,
    kb: KnowledgeBase,
    *,
    revoke: Sequence[Revocation] = (),
    withdraw: Sequence[Withdrawal] = (),
    clients: list[str] | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> ScenarioResult:
    tables = flow_map if isinstance(flow_map, MapTables) else MapTables.from_map(flow_map)
    changed = modified(kb, list(revoke), list(withdraw))
    targets = touched(tables, kb, changed, day)
    only = leading_to(tables, targets, day)
    baseline, scenario = Engine(tables, day, kb, max_depth), Engine(tables, day, changed, max_depth)
    engines = (baseline, scenario)
    rows = []
    for client in clients if clients is not None else baseline.clients():
        for f in baseline.flows(client, only, keep=targets):
            area = baseline.areas[f.regime]
            for reach in f.reaches:
                for destination in destinations(reach.edge, area):
                    (before, was), (now, status) = (e.verdict(f.regime, destination, reach) for e in engines)
                    if status.rank > was.rank:
                        change = Change.BROKEN
                    elif now.basis != before.basis:
                        change = Change.FALLBACK
                    else:
                        change = Change.UNAFFECTED
                    rows.append(ScenarioRow(change, client, f.regime, destination, reach, engines))
    order = {Change.BROKEN: 0, Change.FALLBACK: 1, Change.UNAFFECTED: 2}
    rows.sort(key=lambda r: (order[r.change], r.client, r.reach.edge.key, r.destination or ""))
    return ScenarioResult(day, tuple(rows))
