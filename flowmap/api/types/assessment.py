"""What the engine says about the map on a date: transfers, findings, exposure per country, what-ifs, chains."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import date
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from flowmap import NOT_LEGAL_ADVICE
from flowmap.api.pagination import Connection, connection, paginate, window
from flowmap.api.types.law import Country, DataCategory, Mechanism, mechanism
from flowmap.api.types.organizations import (
    Engagement,
    Organization,
    country,
    load_organization,
    required_engagement,
    required_organization,
)
from flowmap.domain import results, scenario
from flowmap.domain.chains import Reach
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import LocationScope, Role
from flowmap.domain.tables import category_keys


@strawberry.type(description="Why a transfer or document needs attention, with the rule's citation and a fix.")
class Finding:
    rule: results.Rule
    severity: results.Severity
    message: str
    citation: str
    remediation: str
    subject: str = strawberry.field(description="'engagement:<id>', 'organization:<id>' or 'document:<id>'.")

    @classmethod
    def of(cls, f: results.Finding) -> Finding:
        return cls(
            rule=f.rule,
            severity=f.severity,
            message=f.message,
            citation=f.citation,
            remediation=f.remediation,
            subject=f.subject,
        )


@strawberry.type(description="One engagement on a transfer's path.")
class Hop:
    model: strawberry.Private[results.Hop]

    @strawberry.field
    async def engagement(self, info: Info[Any, Any]) -> Engagement:
        return await required_engagement(info, self.model.engagement)

    @strawberry.field
    async def exporter(self, info: Info[Any, Any]) -> Organization:
        return await required_organization(info, self.model.exporter)

    @strawberry.field
    async def importer(self, info: Info[Any, Any]) -> Organization:
        return await required_organization(info, self.model.importer)

    @strawberry.field
    def role(self) -> Role:
        return self.model.role

    @strawberry.field(description="Mechanisms the hop declares, primary first.")
    def mechanisms(self) -> list[MechanismCode]:
        return list(self.model.mechanisms)


@strawberry.enum(description="What a transfer rests on.")
class BasisKind(Enum):
    ADEQUACY = "ADEQUACY"  # an adequacy decision of whole scope
    MECHANISM = "MECHANISM"  # a mechanism or a framework certification
    NONE = "NONE"


def transfer_id(t: results.Transfer) -> str:
    return f"{t.client}|{'/'.join(h.engagement for h in t.path)}|{t.destination or '?'}"


@strawberry.type(description="A client's personal data reaching an importer in a destination, judged on one date.")
class Transfer:
    model: strawberry.Private[results.Transfer]
    as_of: date

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(transfer_id(self.model))

    @strawberry.field
    async def client(self, info: Info[Any, Any]) -> Organization:
        return await required_organization(info, self.model.client)

    @strawberry.field
    async def importer(self, info: Info[Any, Any]) -> Organization:
        return await required_organization(info, self.model.importer)

    @strawberry.field(description="Null when the source does not say where the data goes.")
    def destination(self) -> Country | None:
        return country(self.model.destination)

    @strawberry.field
    def regime(self) -> RegimeCode:
        return self.model.regime

    @strawberry.field(description="The engagements from the client to the importer.")
    def path(self) -> list[Hop]:
        return [Hop(model=h) for h in self.model.path]

    @strawberry.field
    def depth(self) -> int:
        return len(self.model.path)

    @strawberry.field(description="The categories that reach the importer, narrowed hop by hop.")
    def data_categories(self) -> list[DataCategory]:
        return [DataCategory.by_key(k) for k in self.model.data_categories]

    @strawberry.field(description="The mechanism relied on; null under a whole-scope adequacy decision or none.")
    def basis(self, info: Info[Any, Any]) -> Mechanism | None:
        return mechanism(info.context.kb, self.model.basis)

    @strawberry.field
    def basis_kind(self) -> BasisKind:
        if self.model.basis == results.ADEQUACY:
            return BasisKind.ADEQUACY
        return BasisKind.MECHANISM if self.model.basis else BasisKind.NONE

    @strawberry.field(description="The decision or instrument relied on.")
    def basis_reference(self) -> str | None:
        return self.model.basis_reference

    @strawberry.field
    def status(self) -> results.Status:
        return self.model.status

    @strawberry.field
    def findings(self) -> list[Finding]:
        return [Finding.of(f) for f in self.model.findings]


@strawberry.type(description="Everything reaching one destination: what the dashboard's map draws.")
class CountryExposure:
    destination: Country | None = strawberry.field(description="Null: destinations the sources leave unnamed.")
    transfer_count: int
    client_count: int
    worst_status: results.Status
    data_categories: list[DataCategory]
    mechanisms: list[Mechanism] = strawberry.field(description="The mechanisms relied on.")
    relies_on_adequacy: bool
    importer_ids: strawberry.Private[list[str]]

    @strawberry.field
    def importer_count(self) -> int:
        return len(self.importer_ids)

    @strawberry.field(description="The importers the data reaches there, by id.")
    async def importers(
        self, info: Info[Any, Any], first: int | None = None, after: str | None = None
    ) -> Connection[Organization]:
        offset, limit = window(first, after, info.context.settings.max_page_size)
        page = self.importer_ids[offset : offset + limit]
        found = await asyncio.gather(*(required_organization(info, i) for i in page))
        return connection(list(found), offset, len(self.importer_ids))


def exposure(transfers: list[results.Transfer], info: Info[Any, Any]) -> list[CountryExposure]:
    groups: dict[str | None, list[results.Transfer]] = {}
    for t in transfers:
        groups.setdefault(t.destination, []).append(t)
    out = []
    for dest in sorted(groups, key=lambda d: (d is None, d or "")):
        ts = groups[dest]
        bases = sorted({t.basis for t in ts if t.basis and t.basis != results.ADEQUACY})
        out.append(
            CountryExposure(
                destination=country(dest),
                transfer_count=len(ts),
                client_count=len({t.client for t in ts}),
                worst_status=results.worst_status([t.status for t in ts]),
                data_categories=[DataCategory.by_key(k) for k in sorted({k for t in ts for k in t.data_categories})],
                mechanisms=[m for m in (mechanism(info.context.kb, b) for b in bases) if m],
                relies_on_adequacy=any(t.basis == results.ADEQUACY for t in ts),
                importer_ids=sorted({t.importer for t in ts}),
            )
        )
    return out


@strawberry.type(description="One transfer before and after the what-if.")
class ScenarioRow:
    change: scenario.Change
    before: Transfer
    after: Transfer


@strawberry.type(
    description="A what-if: mechanisms revoked or adequacy withdrawn, and what that does to each transfer."
)
class Scenario:
    as_of: date
    effective: date
    revoked: list[MechanismCode]
    withdrawn: list[str]
    broken: int
    fallback: int
    unaffected: int
    disclaimer: str = NOT_LEGAL_ADVICE
    result: strawberry.Private[scenario.ScenarioResult]

    @strawberry.field(description="Broken first, then saved by a fallback, then unaffected.")
    def rows(
        self,
        info: Info[Any, Any],
        change: list[scenario.Change] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ScenarioRow]:
        return paginate(
            self.result.rows_with(change),
            first,
            after,
            info.context.settings.max_page_size,
            lambda r: ScenarioRow(
                change=r.change,
                before=Transfer(model=r.before, as_of=self.as_of),
                after=Transfer(model=r.after, as_of=self.as_of),
            ),
        )


@strawberry.enum
class ChainNodeKind(Enum):
    ORGANIZATION = "ORGANIZATION"
    COUNTRY = "COUNTRY"


@strawberry.type(description="A node of a client's subgraph: an organisation, or a country data is kept in.")
class ChainNode:
    id: str = strawberry.field(description="'org:<id>', 'country:<code>' or 'country:?' (unnamed destinations).")
    kind: ChainNodeKind
    label: str
    depth: int = strawberry.field(description="Hops from the client (the client is 0).")
    organization_id: strawberry.Private[str | None]
    country: Country | None

    @strawberry.field
    async def organization(self, info: Info[Any, Any]) -> Organization | None:
        return await load_organization(info, self.organization_id)


@strawberry.enum
class ChainEdgeKind(Enum):
    ENGAGEMENT = "ENGAGEMENT"  # organisation -> organisation
    LOCATION = "LOCATION"  # organisation -> country where it keeps or accesses the client's data


@strawberry.type
class ChainEdge:
    id: str
    source: str
    target: str
    kind: ChainEdgeKind
    status: results.Status | None = strawberry.field(
        description="Worst status of the transfers along this edge; null when none is a transfer (data stays inside)."
    )
    data_categories: list[DataCategory]
    engagement_id: strawberry.Private[str | None]

    @strawberry.field
    async def engagement(self, info: Info[Any, Any]) -> Engagement | None:
        return await required_engagement(info, self.engagement_id) if self.engagement_id else None


@strawberry.type(description="One client's reachable subgraph on a date, for drawing.")
class Chain:
    as_of: date
    max_depth: int
    nodes: list[ChainNode]
    edges: list[ChainEdge]
    client_id: strawberry.Private[str]

    @strawberry.field
    async def client(self, info: Info[Any, Any]) -> Organization:
        return await required_organization(info, self.client_id)


def chain_of(
    client: str,
    day: date,
    max_depth: int,
    reaches: list[Reach],
    transfers: list[results.Transfer],
    names: Mapping[str, str],
) -> Chain:
    """Nodes and edges of every engagement the data reaches; edges carry the worst status of the transfers over them."""
    depth: dict[str, int] = {f"org:{client}": 0}
    nodes: dict[str, ChainNode] = {}
    edges: dict[str, ChainEdge] = {}
    categories: dict[str, set[str]] = {}

    def node(node_id: str, d: int, org: str | None, code: str | None) -> None:
        depth[node_id] = min(depth.get(node_id, d), d)
        if node_id not in nodes:
            place = country(code)
            label = names.get(org, org) if org else (place.name if place else "unnamed destinations")
            nodes[node_id] = ChainNode(
                id=node_id,
                kind=ChainNodeKind.ORGANIZATION if org else ChainNodeKind.COUNTRY,
                label=label,
                depth=d,
                organization_id=org,
                country=place,
            )

    def edge(
        edge_id: str, source: str, target: str, kind: ChainEdgeKind, engagement: str | None, cats: frozenset[str]
    ) -> None:
        categories.setdefault(edge_id, set()).update(cats)
        if edge_id not in edges:
            edges[edge_id] = ChainEdge(
                id=edge_id,
                source=source,
                target=target,
                kind=kind,
                status=None,
                data_categories=[],
                engagement_id=engagement,
            )

    node(f"org:{client}", 0, client, None)
    for reach in reaches:
        last = reach.edge
        n = reach.depth
        cats = frozenset(category_keys(reach.categories))
        exporter, importer = f"org:{last.exporter}", f"org:{last.importer}"
        node(importer, n, last.importer, None)
        edge(f"e:{last.key}", exporter, importer, ChainEdgeKind.ENGAGEMENT, last.key, cats)
        places: list[str | None] = list(last.countries)
        if last.location_scope in (LocationScope.UNKNOWN, LocationScope.THIRD_COUNTRY_POSSIBLE):
            places.append(None)
        for code in places:
            target = f"country:{code or '?'}"
            node(target, n + 1, None, code)
            edge(f"l:{last.importer}>{code or '?'}", importer, target, ChainEdgeKind.LOCATION, None, cats)
    worst: dict[str, results.Status] = {}
    for t in transfers:
        ids = [f"e:{h.engagement}" for h in t.path] + [f"l:{t.importer}>{t.destination or '?'}"]
        for edge_id in ids:
            if edge_id in edges:
                worst[edge_id] = results.worst_status([worst.get(edge_id, results.Status.COMPLIANT), t.status])
    for edge_id, e in edges.items():
        e.status = worst.get(edge_id)
        e.data_categories = [DataCategory.by_key(k) for k in sorted(categories[edge_id])]
    for node_id, nd in nodes.items():
        nd.depth = depth[node_id]
    return Chain(
        as_of=day,
        max_depth=max_depth,
        nodes=sorted(nodes.values(), key=lambda x: (x.depth, x.id)),
        edges=sorted(edges.values(), key=lambda x: x.id),
        client_id=client,
    )
