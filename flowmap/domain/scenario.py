"""What-if: judge the map again on a modified knowledge base, and diff it against the baseline.

Only transfers whose verdict can change are judged twice: those at an engagement that declares a
changed mechanism or reaches a country whose adequacy changed ("touched"). Every other transfer keeps
its verdict by construction, so the walk is pruned to the engagements that can lead to a touched one.
A touched transfer is decided (basis and status, ``BasisJudge.decide``) once per shape of its terms,
and the answer is counts per client, with each page's rows rebuilt from its clients' walks: "DPF
revoked" over the synthetic L map touches 5.4M transfers and holds none of them (bench/README.md).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import accumulate
from typing import Any, overload

from flowmap import NOT_LEGAL_ADVICE
from flowmap.domain.assess import Engine, destinations
from flowmap.domain.chains import DEFAULT_MAX_DEPTH, Reach, leading_to
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import FlowMap
from flowmap.domain.results import Transfer
from flowmap.domain.tables import SPECIAL_BITS, Edge, MapTables, is_active


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


ORDER = (Change.BROKEN, Change.FALLBACK, Change.UNAFFECTED)  # how rows are listed: broken first

_SHIFT = 32  # counts per change packed into one int, 32 bits each: a client touches far fewer transfers


class _WhatIf:
    """The two engines and the pruned walk. Each (regime, engagement, special categories, onward) is counted
    once whichever clients reach it (and decided once per shape, see ``BasisJudge.decide``), and a client's
    rows are rebuilt from its walk when a page needs them instead of being held."""

    def __init__(self, engines: tuple[Engine, Engine], only: frozenset[Edge], targets: frozenset[Edge]) -> None:
        self.engines, self.only, self.targets = engines, only, targets
        # (regime, special categories, onward) -> engagement -> the counts per change, packed into one int:
        # the one table a what-if keeps per touched engagement, so it is kept small
        self._counts: dict[tuple[RegimeCode, int, bool], dict[Edge, int]] = {}
        self._rows: OrderedDict[str, dict[Change, list[ScenarioRow]]] = OrderedDict()

    def changes(self, regime: RegimeCode, edge: Edge, categories: int, onward: bool) -> list[tuple[str | None, Change]]:
        """Per destination, what the scenario does to the transfer (the judge memoises both verdicts)."""
        out = []
        for destination in destinations(edge, self.engines[0].areas[regime]):
            (before, was), (now, status) = (
                e.basis_and_status(regime, destination, edge, categories, onward) for e in self.engines
            )
            if status.rank > was.rank:
                out.append((destination, Change.BROKEN))
            elif now != before:
                out.append((destination, Change.FALLBACK))
            else:
                out.append((destination, Change.UNAFFECTED))
        return out

    def counts(self, client: str) -> tuple[int, int, int]:
        packed = 0
        for regime, walk in self.engines[0].walks(client, self.only):
            for edge, bits, depth in walk.arrivals(self.targets):
                special, onward = bits & SPECIAL_BITS, depth > 1
                table = self._counts.get((regime, special, onward))
                if table is None:
                    table = self._counts[(regime, special, onward)] = {}
                found = table.get(edge)
                if found is None:
                    found = table[edge] = sum(
                        1 << (_SHIFT * ORDER.index(c)) for _, c in self.changes(regime, edge, bits, onward)
                    )
                packed += found
        mask = (1 << _SHIFT) - 1
        return packed & mask, (packed >> _SHIFT) & mask, packed >> (2 * _SHIFT)

    def rows(self, client: str) -> dict[Change, list[ScenarioRow]]:
        """The client's rows by change, in the listed order; the last few clients' are kept for paging."""
        found = self._rows.get(client)
        if found is not None:
            self._rows.move_to_end(client)
            return found
        found = {c: [] for c in ORDER}
        for f in self.engines[0].flows(client, self.only, keep=self.targets):
            for reach in f.reaches:
                for destination, change in self.changes(f.regime, reach.edge, reach.categories, reach.depth > 1):
                    found[change].append(ScenarioRow(change, client, f.regime, destination, reach, self.engines))
        for rows in found.values():
            rows.sort(key=lambda r: (r.reach.edge.key, r.destination or ""))  # stable: regimes stay in order
        self._rows[client] = found
        while len(self._rows) > 16:
            self._rows.popitem(last=False)
        return found


class ScenarioRows(Sequence[ScenarioRow]):
    """The rows with some changes, broken first, then by client, engagement and destination: indexed through
    per-client counts, so a page builds only its own clients' rows."""

    def __init__(self, result: ScenarioResult, changes: Sequence[Change]) -> None:
        self._result = result
        self._segments = [(c, result.offsets[c]) for c in ORDER if c in changes]
        self._len = sum(offsets[-1] for _, offsets in self._segments)

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, index: int) -> ScenarioRow: ...
    @overload
    def __getitem__(self, index: slice) -> list[ScenarioRow]: ...
    def __getitem__(self, index: int | slice) -> ScenarioRow | list[ScenarioRow]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self._len))]
        if index < 0:
            index += self._len
        if not 0 <= index < self._len:
            raise IndexError(index)
        for change, offsets in self._segments:
            if index < offsets[-1]:
                at = bisect_right(offsets, index) - 1
                return self._result.rows_of(self._result.clients[at])[change][index - offsets[at]]
            index -= offsets[-1]
        raise AssertionError("unreachable")

    def __iter__(self) -> Iterator[ScenarioRow]:
        for change, offsets in self._segments:
            for at, client in enumerate(self._result.clients):
                if offsets[at + 1] > offsets[at]:
                    yield from self._result.rows_of(client)[change]


class ScenarioResult:
    """The transfers the scenario touches (transfers it cannot touch are not listed): counted per client up
    front, rows built per client on demand."""

    def __init__(self, as_of: date, clients: list[str], counts: list[tuple[int, int, int]], whatif: _WhatIf) -> None:
        self.as_of = as_of
        self.disclaimer = NOT_LEGAL_ADVICE
        self.clients = clients
        self.offsets = {c: list(accumulate((n[i] for n in counts), initial=0)) for i, c in enumerate(ORDER)}
        self._whatif = whatif

    def count(self, change: Change) -> int:
        return self.offsets[change][-1]

    def rows_of(self, client: str) -> dict[Change, list[ScenarioRow]]:
        return self._whatif.rows(client)

    def rows_with(self, changes: Collection[Change] | None = None) -> ScenarioRows:
        return ScenarioRows(self, ORDER if changes is None else [c for c in ORDER if c in changes])

    @property
    def rows(self) -> ScenarioRows:
        return self.rows_with()

    def by_client(self) -> Iterator[tuple[str, dict[Change, list[ScenarioRow]]]]:
        """Every client's rows, one client at a time (one walk each, whatever the order of the listing)."""
        for client in self.clients:
            yield client, self._whatif.rows(client)

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
    engines = (Engine(tables, day, kb, max_depth), Engine(tables, day, changed, max_depth))
    whatif = _WhatIf(engines, only, targets)
    touching, counts = [], []
    for client in sorted(clients if clients is not None else engines[0].clients()):
        n = whatif.counts(client)
        if any(n):
            touching.append(client)
            counts.append(n)
    return ScenarioResult(day, touching, counts, whatif)
