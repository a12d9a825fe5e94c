"""The assessment: a pure function of (map, as-of date, knowledge base) -> transfers and findings.

No I/O, so it is the same for every store and testable without one. A transfer is one client's data
at one engagement reaching one destination (see ``chains``: the union of categories over every chain,
shown along the shortest); verdicts are memoised per (regime, destination, engagement, special
categories, onward or not), because thousands of clients reach the same cloud through the same engagement.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

from flowmap.domain.basis import BasisJudge, Verdict
from flowmap.domain.chains import DEFAULT_MAX_DEPTH, Reach, Walk
from flowmap.domain.document_rules import map_document_findings
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import RegimeCode
from flowmap.domain.models import FlowMap, LocationScope, Organization
from flowmap.domain.results import Assessment, Hop, Status, Transfer, distinct_findings
from flowmap.domain.tables import SPECIAL_BITS, DayView, Edge, MapTables, PrunedView, category_bits, category_keys

# Scopes that mean "stays inside the area": EEA states are adequate under the UK and Swiss regimes too.
_INSIDE = frozenset({LocationScope.WITHIN_EU, LocationScope.WITHIN_EEA})


def regime_of(org: Organization, kb: KnowledgeBase, day: date) -> RegimeCode | None:
    """The regime the client's data is subject to, from its country of establishment on ``day``."""
    if org.country is None:
        return None
    for regime in kb.regimes:
        if regime.holds_on(day) and any(m.country == org.country and m.holds_on(day) for m in regime.area):
            return regime.code
    return None


def destinations(edge: Edge, area: frozenset[str]) -> list[str | None]:
    """Countries outside the regime's area that the engagement reaches; None for an unknown one."""
    if edge.location_scope in _INSIDE:
        return []
    outside: list[str | None] = [c for c in edge.countries if c not in area]
    if edge.location_scope in (LocationScope.UNKNOWN, LocationScope.THIRD_COUNTRY_POSSIBLE):
        outside.append(None)
    return outside


@dataclass(frozen=True, slots=True)
class ClientFlow:
    """One client's data under one regime: the client's first hops that carry it there, and where it goes."""

    client: str
    regime: RegimeCode
    reaches: list[Reach]


class Engine:
    """The map on one day with the law of one knowledge base; shared memo tables across clients."""

    def __init__(self, tables: MapTables, day: date, kb: KnowledgeBase, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self.tables = tables
        self.view: DayView = tables.on(day)
        self.day = day
        self.kb = kb
        self.max_depth = max_depth
        self.judge = BasisJudge(kb, day)
        self.areas = {r.code: kb.area_on(r.code, day) for r in kb.regimes}
        self._verdicts: dict[tuple[RegimeCode, str | None, Edge, int, bool], tuple[Verdict, Status]] = {}
        self._hops: dict[Edge, Hop] = {}
        self._pruned_view: PrunedView | None = None

    def clients(self) -> list[str]:
        return self.view.clients()

    def walks(self, client: str, only: frozenset[Edge] | None = None) -> Iterator[tuple[RegimeCode, Walk]]:
        """The client's data per regime: its established one, else each first hop's declared one
        (first hops without either carry data no regime governs, so they are not followed). With ``only``,
        the walks keep to those engagements."""
        org = self.tables.organizations.get(client)
        established = regime_of(org, self.kb, self.day) if org else None
        groups: dict[RegimeCode, list[Edge]] = {}
        view = self.view if only is None else self._pruned(only)
        for e in view.first_hops(client):
            regime = established or e.regime
            if regime is not None:
                groups.setdefault(regime, []).append(e)
        for regime, first in groups.items():
            yield regime, Walk(view, client, first, self.max_depth)

    def _pruned(self, only: frozenset[Edge]) -> DayView:
        if self._pruned_view is None or self._pruned_view.only is not only:
            self._pruned_view = self.view.pruned(only)
        return self._pruned_view

    def flows(
        self, client: str, only: frozenset[Edge] | None = None, keep: frozenset[Edge] | None = None
    ) -> Iterator[ClientFlow]:
        """``only``: see ``chains.Walk``; ``keep``: the engagements whose reaches are wanted (default all)."""
        for regime, walk in self.walks(client, only):
            yield ClientFlow(client, regime, walk.reaches(keep))

    def verdict(
        self, regime: RegimeCode, destination: str | None, edge: Edge, categories: int, onward: bool
    ) -> tuple[Verdict, Status]:
        """``onward``: the data reaches the engagement from a processor (its shortest chain is over one hop)."""
        special = categories & SPECIAL_BITS  # all a verdict reads of the categories
        key = (regime, destination, edge, special, onward)
        found = self._verdicts.get(key)
        if found is None:
            found = self._verdicts[key] = self.judge.judge(
                regime, destination, edge, self.tables.organizations[edge.importer], _special(special), onward
            )
        return found

    def basis_and_status(
        self, regime: RegimeCode, destination: str | None, edge: Edge, categories: int, onward: bool
    ) -> tuple[str | None, Status]:
        """What ``verdict`` decides, without keeping a verdict per engagement (a what-if asks it of millions)."""
        return self.judge.decide(
            regime, destination, edge, self.tables.organizations[edge.importer], _special(categories), onward
        )

    def transfer(self, client: str, regime: RegimeCode, destination: str | None, reach: Reach) -> Transfer:
        verdict, status = self.verdict(regime, destination, reach.edge, reach.categories, reach.depth > 1)
        return Transfer(
            client=client,
            importer=reach.edge.importer,
            destination=destination,
            regime=regime,
            path=tuple(self._hop(e) for e in reach.path),
            data_categories=category_keys(reach.categories),
            basis=verdict.basis,
            basis_reference=verdict.basis_reference,
            status=status,
            findings=verdict.findings,
        )

    def transfers(self, client: str) -> Iterator[Transfer]:
        for f in self.flows(client):
            area = self.areas[f.regime]
            for reach in f.reaches:
                for destination in destinations(reach.edge, area):
                    yield self.transfer(client, f.regime, destination, reach)

    def _hop(self, e: Edge) -> Hop:
        hop = self._hops.get(e)
        if hop is None:
            hop = self._hops[e] = Hop(e.key, e.exporter, e.importer, e.role, tuple(m.code for m in e.mechanisms))
        return hop


@lru_cache(maxsize=4096)
def _special(categories: int) -> frozenset[str]:
    return frozenset(category_keys(categories & SPECIAL_BITS))


def assess(
    flow_map: MapTables | FlowMap,
    day: date,
    kb: KnowledgeBase,
    *,
    clients: list[str] | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Assessment:
    tables = flow_map if isinstance(flow_map, MapTables) else MapTables.from_map(flow_map)
    engine = Engine(tables, day, kb, max_depth)
    transfers = [
        t for client in (clients if clients is not None else engine.clients()) for t in engine.transfers(client)
    ]
    documents = map_document_findings(tables, kb, day)
    findings = distinct_findings([*documents, *(f for t in transfers for f in t.findings)])
    return Assessment(as_of=day, transfers=tuple(transfers), findings=findings)


def rejudged(assessment: Assessment, engine: Engine, old: Edge, new: Edge) -> Assessment:
    """The assessment on ``engine``'s map, after an edit that changed only what the verdicts read of one engagement
    (``tables.same_reach(old, new)``): its transfers there judged again, its hop shown anew, nothing walked."""
    hop = engine._hop(new)
    transfers = []
    for t in assessment.transfers:
        if any(h.engagement == old.key for h in t.path):
            path = tuple(hop if h.engagement == old.key else h for h in t.path)
            if path[-1] is hop:
                onward = len(path) > 1
                verdict, status = engine.verdict(t.regime, t.destination, new, category_bits(t.data_categories), onward)
                t = replace(
                    t,
                    path=path,
                    basis=verdict.basis,
                    basis_reference=verdict.basis_reference,
                    status=status,
                    findings=verdict.findings,
                )
            else:
                t = replace(t, path=path)
        transfers.append(t)
    documents = map_document_findings(engine.tables, engine.kb, engine.day)
    findings = distinct_findings([*documents, *(f for t in transfers for f in t.findings)])
    return Assessment(as_of=assessment.as_of, transfers=tuple(transfers), findings=findings)
