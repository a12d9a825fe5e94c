"""The map itself: organisations, the engagements between them, documents and the evidence behind each fact."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from flowmap.api.pagination import Connection, paginate
from flowmap.api.types.law import Country, DataCategory, Mechanism, mechanism, today
from flowmap.domain import models
from flowmap.domain.basis import certified
from flowmap.domain.countries import all_countries
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.tables import Edge, MapTables, is_active
from flowmap.service.snapshot import OrganizationRole


def country(code: str | None) -> Country | None:
    found = all_countries().get(code) if code else None
    return Country.of(found) if found else None


@strawberry.type(description="A published document the map's facts come from.")
class Document:
    model: strawberry.Private[models.Document]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.model.id)

    @strawberry.field
    def title(self) -> str:
        return self.model.title

    @strawberry.field
    def url(self) -> str | None:
        return self.model.url

    @strawberry.field
    def kind(self) -> models.DocumentKind:
        return self.model.kind

    @strawberry.field
    def language(self) -> str:
        return self.model.language

    @strawberry.field
    def effective_date(self) -> date | None:
        return self.model.effective_date

    @strawberry.field
    def retrieved_on(self) -> date | None:
        return self.model.retrieved_on

    @strawberry.field
    async def publisher(self, info: Info[Any, Any]) -> Organization | None:
        return await load_organization(info, self.model.publisher)


@strawberry.type(description="Where a fact comes from: a document, a section and a short quote.")
class Evidence:
    document_id: str
    section: str | None
    quote: str
    note: str | None

    @classmethod
    def of(cls, e: models.Evidence) -> Evidence:
        return cls(document_id=e.document, section=e.section, quote=e.quote, note=e.note)

    @strawberry.field
    async def document(self, info: Info[Any, Any]) -> Document | None:
        snapshot = await info.context.snapshot()
        found = snapshot.documents.get(self.document_id)
        return Document(model=found) if found else None


def evidence(items: list[models.Evidence]) -> list[Evidence]:
    return [Evidence.of(e) for e in items]


@strawberry.type(description="A listing under a self-certification framework (the DPF and its predecessors).")
class Certification:
    framework: MechanismCode
    status: models.CertificationStatus
    since: date | None
    until: date | None
    checked_on: date | None
    evidence: list[Evidence]

    @classmethod
    def of(cls, c: models.Certification) -> Certification:
        return cls(
            framework=c.framework,
            status=c.status,
            since=c.since,
            until=c.until,
            checked_on=c.checked_on,
            evidence=evidence(c.evidence),
        )


@strawberry.type(description="A mechanism an engagement declares, with its SCC module and signing date.")
class DeclaredMechanism:
    code: MechanismCode
    module: int | None
    signed_on: date | None
    evidence: list[Evidence]

    @strawberry.field
    def mechanism(self, info: Info[Any, Any]) -> Mechanism | None:
        return mechanism(info.context.kb, self.code.value)


@strawberry.type(description="One processing engagement: the exporter hands personal data to the importer.")
class Engagement:
    model: strawberry.Private[models.Engagement]
    saved_version: strawberry.Private[int | None] = None  # set by a mutation: the version its own write made

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.model.key)

    @strawberry.field(
        description="How many single edits it has had (0 for one loaded with the map). Send it as expectedVersion "
        "to change or retire it only if nobody else has since: otherwise the change fails with CONFLICT."
    )
    async def version(self, info: Info[Any, Any]) -> int:
        if self.saved_version is not None:
            return self.saved_version
        snapshot = await info.context.snapshot()
        return int(snapshot.version(self.model.key))

    @strawberry.field
    async def exporter(self, info: Info[Any, Any]) -> Organization:
        return await required_organization(info, self.model.exporter)

    @strawberry.field
    async def importer(self, info: Info[Any, Any]) -> Organization:
        return await required_organization(info, self.model.importer)

    @strawberry.field
    def role(self) -> models.Role:
        return self.model.role

    @strawberry.field
    def service(self) -> str:
        return self.model.service

    @strawberry.field
    def purpose(self) -> str:
        return self.model.purpose

    @strawberry.field
    def data_categories(self) -> list[DataCategory]:
        return [DataCategory.by_key(k) for k in self.model.categories]

    @strawberry.field(description="Countries where the importer stores or accesses the data, as stated.")
    def countries(self) -> list[Country]:
        return [c for c in map(country, self.model.countries) if c]

    @strawberry.field
    def location_scope(self) -> models.LocationScope:
        return self.model.location_scope

    @strawberry.field(description="The regime declared on the engagement, when the client's country does not say.")
    def regime(self) -> RegimeCode | None:
        return self.model.regime

    @strawberry.field(description="Primary first, then fallbacks in order.")
    def mechanisms(self) -> list[DeclaredMechanism]:
        return [
            DeclaredMechanism(code=m.code, module=m.module, signed_on=m.signed_on, evidence=evidence(m.evidence))
            for m in self.model.mechanisms
        ]

    @strawberry.field
    def valid_from(self) -> date | None:
        return self.model.valid_from

    @strawberry.field(description="Last day (inclusive); set when the engagement is retired.")
    def valid_to(self) -> date | None:
        return self.model.valid_to

    @strawberry.field(description="Whether it is in force on the date (default today).")
    def active(self, as_of: date | None = None) -> bool:
        return is_active(self.model, today(as_of))

    @strawberry.field(description="Reference of the transfer impact assessment on file.")
    def tia_ref(self) -> str | None:
        return self.model.tia_ref

    @strawberry.field
    def fictional(self) -> bool:
        return self.model.fictional

    @strawberry.field
    def evidence(self) -> list[Evidence]:
        return evidence(self.model.evidence)


async def _engagements(
    side: str, org_id: str, as_of: date | None, first: int | None, after: str | None, info: Info[Any, Any]
) -> Connection[Engagement]:
    """``side``: "outgoing" or "incoming". Models are built for the page only."""
    tables: MapTables = (await info.context.snapshot()).tables
    items: list[Edge] = getattr(tables, side).get(org_id, [])
    chosen = [e for e in items if as_of is None or is_active(e, as_of)]
    page_size = info.context.settings.max_page_size
    return paginate(chosen, first, after, page_size, lambda e: Engagement(model=tables.model(e)))


@strawberry.type(description="A client, processor, sub-processor or other recipient.")
class Organization:
    model: strawberry.Private[models.Organization]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.model.id)

    @strawberry.field
    def name(self) -> str:
        return self.model.name

    @strawberry.field
    def legal_name(self) -> str | None:
        return self.model.legal_name

    @strawberry.field
    def aliases(self) -> list[str]:
        return list(self.model.aliases)

    @strawberry.field(description="Country of establishment.")
    def country(self) -> Country | None:
        return country(self.model.country)

    @strawberry.field
    def address(self) -> str | None:
        return self.model.address

    @strawberry.field
    def website(self) -> str | None:
        return self.model.website

    @strawberry.field
    def description(self) -> str | None:
        return self.model.description

    @strawberry.field(description="A placeholder for recipients a source names only by kind.")
    def unnamed(self) -> bool:
        return self.model.unnamed

    @strawberry.field
    def recipient_class(self) -> str | None:
        return self.model.recipient_class

    @strawberry.field
    def fictional(self) -> bool:
        return self.model.fictional

    @strawberry.field
    async def parent(self, info: Info[Any, Any]) -> Organization | None:
        return await load_organization(info, self.model.parent)

    @strawberry.field(description="What it is in the map: client, processor, sub-processor, controller.")
    async def roles(self, info: Info[Any, Any]) -> list[OrganizationRole]:
        snapshot = await info.context.snapshot()
        return sorted(snapshot.roles.get(self.model.id, frozenset()))

    @strawberry.field(description="Where it is established and where it stores or accesses the data it receives.")
    async def locations(self, info: Info[Any, Any]) -> list[Country]:
        snapshot = await info.context.snapshot()
        codes = {c for e in snapshot.tables.incoming.get(self.model.id, []) for c in e.countries}
        if self.model.country:
            codes.add(self.model.country)
        return [c for c in map(country, sorted(codes)) if c]

    @strawberry.field(description="Listings under the DPF and its predecessors.")
    def certifications(self) -> list[Certification]:
        return [Certification.of(c) for c in self.model.certifications]

    @strawberry.field(description="Whether it is on the EU-US Data Privacy Framework list on the date (default today).")
    def dpf_certified(self, as_of: date | None = None) -> bool:
        return certified(self.model, MechanismCode.DPF_EU_US, today(as_of))

    @strawberry.field
    def evidence(self) -> list[Evidence]:
        return evidence(self.model.evidence)

    @strawberry.field(description="Engagements it exports data on; only those active on asOf when given.")
    async def engagements_out(
        self, info: Info[Any, Any], as_of: date | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Engagement]:
        return await _engagements("outgoing", self.model.id, as_of, first, after, info)

    @strawberry.field(description="Engagements it receives data on; only those active on asOf when given.")
    async def engagements_in(
        self, info: Info[Any, Any], as_of: date | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Engagement]:
        return await _engagements("incoming", self.model.id, as_of, first, after, info)


async def load_organization(info: Info[Any, Any], org_id: str | None) -> Organization | None:
    """Through the request's DataLoader: a page of transfers resolves all its organisations in one batch."""
    if org_id is None:
        return None
    found = await info.context.organizations.load(org_id)
    return Organization(model=found) if found else None


async def required_organization(info: Info[Any, Any], org_id: str) -> Organization:
    """An organisation the map guarantees (an engagement's end, a transfer's client): never null."""
    found = await load_organization(info, org_id)
    assert found is not None, org_id  # the store never holds an engagement without both ends
    return found


async def required_engagement(info: Info[Any, Any], engagement_id: str) -> Engagement:
    found = await info.context.engagements.load(engagement_id)
    assert found is not None, engagement_id
    return Engagement(model=found)
