"""The assessment: a pure function of (map, as-of date, knowledge base) -> transfers and findings.

No I/O, so it is the same for every store and testable without one.
"""

from __future__ import annotations

from datetime import date

from flowmap.domain.basis import BasisJudge
from flowmap.domain.chains import DEFAULT_MAX_DEPTH, ChainIndex, Reach
from flowmap.domain.document_rules import document_findings
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import RegimeCode
from flowmap.domain.models import Engagement, FlowMap, LocationScope, Organization
from flowmap.domain.results import Assessment, Finding, Hop, Transfer, status_of

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


def _destinations(reach: Reach, area: frozenset[str]) -> list[str | None]:
    """Countries outside the regime's area that the last hop reaches; None for an unknown one."""
    last = reach.last
    if last.location_scope in _INSIDE:
        return []
    outside: list[str | None] = [c for c in last.countries if c not in area]
    if last.location_scope in (LocationScope.UNKNOWN, LocationScope.THIRD_COUNTRY_POSSIBLE):
        outside.append(None)
    return outside


def _hop(cache: dict[str, Hop], e: Engagement) -> Hop:
    hop = cache.get(e.key)
    if hop is None:
        hop = cache[e.key] = Hop(e.key, e.exporter, e.importer, e.role, tuple(m.code for m in e.mechanisms))
    return hop


def assess(
    flow_map: FlowMap,
    day: date,
    kb: KnowledgeBase,
    *,
    clients: list[str] | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Assessment:
    orgs = {o.id: o for o in flow_map.organizations}
    index = ChainIndex(flow_map.engagements, day)
    judge = BasisJudge(kb, day)
    areas = {r.code: kb.area_on(r.code, day) for r in kb.regimes}
    hops: dict[str, Hop] = {}
    transfers: list[Transfer] = []
    for client_id in clients if clients is not None else index.clients():
        client = orgs.get(client_id)
        established = regime_of(client, kb, day) if client else None
        for reach in index.walk(client_id, max_depth):
            declared = reach.hops[0].regime
            regime = established or declared
            if regime is None:
                continue  # no regime applies to this client's data (or its country is unknown)
            destinations = _destinations(reach, areas[regime])
            if not destinations:
                continue
            last = reach.last
            path = tuple(_hop(hops, h) for h in reach.hops)
            for destination in destinations:
                verdict = judge.judge(regime, destination, last, orgs[last.importer], reach.categories, len(reach.hops))
                transfers.append(
                    Transfer(
                        client=client_id,
                        importer=last.importer,
                        destination=destination,
                        regime=regime,
                        path=path,
                        data_categories=tuple(sorted(reach.categories)),
                        basis=verdict.basis,
                        basis_reference=verdict.basis_reference,
                        status=status_of([f.severity for f in verdict.findings]),
                        findings=verdict.findings,
                    )
                )
    findings: dict[tuple[str, str, str], Finding] = {}
    for f in [*document_findings(flow_map, kb, day), *(f for t in transfers for f in t.findings)]:
        findings.setdefault((f.rule.value, f.subject, f.message), f)
    ordered = sorted(findings.values(), key=lambda f: (-f.severity, f.rule.value, f.subject))
    return Assessment(as_of=day, transfers=tuple(transfers), findings=tuple(ordered))
