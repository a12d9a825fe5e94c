"""Procurement's vendor check over GraphQL: documents or structured facts in, the report out; the map is not written."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.scalars import JSON

from flowmap import NOT_LEGAL_ADVICE
from flowmap.api.types.assessment import Finding, Transfer
from flowmap.api.types.law import Country
from flowmap.api.types.organizations import Organization, country
from flowmap.extract.facts import FactKind
from flowmap.vendor.check import VendorReport

strawberry.enum(FactKind, name="FactKind", description="What a draft fact read from a vendor document says.")


@strawberry.type(description="The words a draft fact was read from: character offsets into the source text.")
class Span:
    start: int
    end: int
    quote: str


@strawberry.type(description="A fact read from a vendor document, with its evidence. A draft until reviewed.")
class DraftFact:
    source: str
    kind: FactKind
    value: str
    detail: JSON
    span: Span


@strawberry.type
class VendorQuestion:
    question: str
    reason: str = strawberry.field(description="The finding rule or gap that raised it.")
    subject: str


@strawberry.type(description="A candidate vendor judged as if the client engaged it. Not legal advice.")
class VendorCheck:
    as_of: date
    disclaimer: str
    facts: list[DraftFact]
    transfers: list[Transfer] = strawberry.field(description="The client's transfers through the vendor.")
    findings: list[Finding]
    questionnaire: list[VendorQuestion]
    report: strawberry.Private[VendorReport]

    @strawberry.field(description="The vendor as the documents describe it (a draft, not in the map).")
    def vendor(self) -> Organization:
        return Organization(model=self.report.candidate.vendor)

    @strawberry.field(description="The client assumed; a hypothetical one when no clientId was given.")
    def client(self) -> Organization:
        return Organization(model=self.report.candidate.client)

    @strawberry.field(description="Destinations the client did not reach before; null: destinations not stated.")
    def new_destinations(self) -> list[Country | None]:
        return [country(d) for d in self.report.new_destinations]

    @classmethod
    def of(cls, report: VendorReport) -> VendorCheck:
        return cls(
            as_of=report.as_of,
            disclaimer=NOT_LEGAL_ADVICE,
            facts=[
                DraftFact(
                    source=x.source,
                    kind=f.kind,
                    value=f.value,
                    detail=JSON(dict(f.detail)),
                    span=Span(start=f.span.start, end=f.span.end, quote=f.span.quote),
                )
                for x in report.extractions
                for f in x.facts
            ],
            transfers=[Transfer(model=t, as_of=report.as_of) for t in report.transfers],
            findings=[Finding.of(f) for f in report.findings],
            questionnaire=[
                VendorQuestion(question=q.text, reason=q.reason, subject=q.subject) for q in report.questions
            ],
            report=report,
        )


@strawberry.input(description="A vendor document: its text (or base64 bytes for PDF and XLSX) and a file name.")
class VendorDocumentInput:
    name: str
    text: str | None = None
    base64: str | None = None


@strawberry.input(description="A fact given directly instead of a document; quote is the evidence.")
class DraftFactInput:
    kind: FactKind
    value: str
    quote: str
    detail: JSON | None = None


@strawberry.input
class VendorCheckInput:
    documents: list[VendorDocumentInput] = strawberry.field(default_factory=list)
    facts: list[DraftFactInput] = strawberry.field(default_factory=list)
    client_id: strawberry.ID | None = None
    client_country: str = "BE"
    as_of: date | None = None
