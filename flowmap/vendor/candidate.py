"""Turns a candidate vendor's draft facts into map entities: the vendor, its engagement by the client, its recipients.

The result is an overlay (the real map plus these entities, ids under ``candidate.``), so the issue 3
engine judges the candidate exactly as it judges the map. Evidence quotes are the extractor's spans.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import (
    MAX_QUOTE_WORDS,
    Citation,
    DeclaredMechanism,
    Document,
    DocumentKind,
    Engagement,
    Evidence,
    LegalReference,
    LegalReferenceKind,
    LocationScope,
    Organization,
    Retention,
    RetentionBasis,
    Role,
)
from flowmap.domain.tables import MapTables
from flowmap.extract.facts import DraftFact, Extraction, FactKind

PREFIX = "candidate."
REGIONS = {"EU": LocationScope.WITHIN_EU, "EEA": LocationScope.WITHIN_EEA}
DEFAULT_CATEGORY = "user"  # nothing stated: assume any user data, and ask


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80] or "unnamed"


def _evidence(doc_id: str, fact: DraftFact) -> Evidence:
    words = fact.span.quote.split()
    quote = " ".join(words[:MAX_QUOTE_WORDS]) + ("…" if len(words) > MAX_QUOTE_WORDS else "")
    return Evidence(document=doc_id, section=f"chars {fact.span.start}-{fact.span.end}", quote=quote[:400])


@dataclass(frozen=True)
class Candidate:
    """The candidate as map entities, plus where each came from."""

    vendor: Organization
    client: Organization
    organizations: list[Organization]  # the vendor, its recipients, and the client when it is hypothetical
    engagements: list[Engagement]  # client -> vendor first, then vendor -> each recipient
    documents: list[Document]
    legal_references: list[LegalReference]

    def overlay(self, base: MapTables) -> MapTables:
        """The map as it would be with the candidate engaged; the real map object is not changed."""
        return base.overlay(self.organizations, self.engagements, self.documents, self.legal_references)

    @property
    def subjects(self) -> set[str]:
        """Finding subjects that belong to the candidate (not to the rest of the map)."""
        return {
            *(f"organization:{o.id}" for o in self.organizations if o.id.startswith(PREFIX)),
            *(f"engagement:{e.key}" for e in self.engagements),
            *(f"document:{d.id}" for d in self.documents),
        }


def hypothetical_client(country: str, evidence_doc: str) -> Organization:
    return Organization(
        id=f"{PREFIX}client",
        name=f"Hypothetical client established in {country}",
        country=country,
        fictional=True,
        evidence=[Evidence(document=evidence_doc, quote="assumed client for a pre-onboarding check")],
    )


def build_candidate(
    extractions: list[Extraction], client: Organization | None, client_country: str, kb: KnowledgeBase, day: date
) -> Candidate:
    """Vendor from the first ORGANIZATION fact (else the first document's name); one chain per recipient."""
    documents = [
        Document(
            id=f"{PREFIX}doc.{i}",
            title=x.source or f"document {i}",
            kind=DocumentKind.OTHER,
            language=x.language if x.language in ("en", "nl", "de", "fr") else "en",
            retrieved_on=day,
            citations=[],
        )
        for i, x in enumerate(extractions, start=1)
    ]
    facts = [(doc.id, f) for doc, x in zip(documents, extractions, strict=True) for f in x.facts]
    texts = {doc.id: x.text for doc, x in zip(documents, extractions, strict=True)}

    def first(kind: FactKind) -> tuple[str, DraftFact] | None:
        return next(((d, f) for d, f in facts if f.kind is kind), None)

    org_fact = first(FactKind.ORGANIZATION)
    vendor_name = org_fact[1].value if org_fact else (extractions[0].source if extractions else "candidate vendor")
    vendor_id = f"{PREFIX}{slug(vendor_name)}"
    anchor = org_fact or (facts[0] if facts else None)
    vendor_evidence = [_evidence(*anchor)] if anchor else [Evidence(document=documents[0].id, quote="(no statement)")]
    retention = [
        Retention(
            scope="as stated", basis=RetentionBasis(f.value), period=f.detail.get("period"), evidence=[_evidence(d, f)]
        )
        for d, f in facts
        if f.kind is FactKind.RETENTION and f.value in RetentionBasis.__members__.values()
    ]
    vendor = Organization(
        id=vendor_id,
        name=vendor_name,
        country=org_fact[1].detail.get("country") if org_fact else None,
        evidence=vendor_evidence,
        retention=retention,
    )
    the_client = client or hypothetical_client(client_country, documents[0].id)

    categories = sorted({f.value for _, f in facts if f.kind is FactKind.CATEGORY}) or [DEFAULT_CATEGORY]
    mechanisms = _mechanisms([(d, f) for d, f in facts if "row" not in f.detail])  # a table row's are its own
    stays = next(
        (REGIONS[f.value] for _, f in facts if f.kind is FactKind.NO_TRANSFER_OUTSIDE and f.value in REGIONS), None
    )
    vendor_countries = [vendor.country] if vendor.country else []
    engagements = [
        Engagement(
            id=f"{PREFIX}{the_client.id}>{vendor_id}",
            exporter=the_client.id,
            importer=vendor_id,
            role=Role.C2P,
            service="candidate service (pre-onboarding check)",
            purpose="as the vendor's documents state",
            categories=categories,
            countries=vendor_countries,
            location_scope=stays or (LocationScope.STATED if vendor_countries else LocationScope.UNKNOWN),
            mechanisms=mechanisms,
            evidence=vendor_evidence,
        )
    ]
    organizations = [vendor, *([] if client else [the_client])]
    for doc_id, f in facts:
        if f.kind is not FactKind.RECIPIENT or f.detail.get("role") == "controller":
            continue  # a recipient acting for itself does not carry the client's data on
        unnamed = f.detail.get("unnamed") == "true"
        rid = f"{vendor_id}.{slug(f.value)}"
        if any(o.id == rid for o in organizations):
            continue
        countries = [c for c in f.detail.get("country", "").split(",") if c]  # a table row may list several
        organizations.append(
            Organization(
                id=rid,
                name=f.value,
                unnamed=unnamed,
                recipient_class=f.value if unnamed else None,
                evidence=[_evidence(doc_id, f)],
            )
        )
        engagements.append(
            Engagement(
                id=f"{vendor_id}>{rid}",
                exporter=vendor_id,
                importer=rid,
                role=Role.P2P,
                service=f.detail.get("purpose") or f.value,
                purpose=f.detail.get("purpose") or "as the vendor's documents state",
                categories=categories,
                countries=countries,
                location_scope=LocationScope.STATED if countries else (stays or LocationScope.UNKNOWN),
                mechanisms=_row_mechanisms(doc_id, f, facts, texts[doc_id]) or mechanisms,
                evidence=[_evidence(doc_id, f)],
            )
        )
    references = _legal_references(facts, kb)
    cited = {d.id: [c for c, ref_doc in references[1] if ref_doc == d.id] for d in documents}
    documents = [d.model_copy(update={"citations": cited[d.id]}) for d in documents]
    return Candidate(vendor, the_client, organizations, engagements, documents, references[0])


def _mechanisms(facts: list[tuple[str, DraftFact]]) -> list[DeclaredMechanism]:
    out: list[DeclaredMechanism] = []
    for doc_id, f in facts:
        if f.kind is not FactKind.MECHANISM or f.value not in MechanismCode.__members__:
            continue  # ADEQUACY is the engine's to judge, not a declared instrument
        code = MechanismCode(f.value)
        if all(m.code is not code for m in out):
            out.append(DeclaredMechanism(code=code, evidence=[_evidence(doc_id, f)]))
    return out


def _row_mechanisms(
    doc_id: str, recipient: DraftFact, facts: list[tuple[str, DraftFact]], text: str
) -> list[DeclaredMechanism]:
    """The mechanisms a sub-processor table states on the recipient's own row; they beat the document-wide ones."""
    if "mechanisms" not in recipient.detail:
        return []
    end = text.find("\n", recipient.span.start)
    end = len(text) if end < 0 else end
    return _mechanisms([(d, f) for d, f in facts if d == doc_id and recipient.span.start <= f.span.start < end])


def _legal_references(
    facts: list[tuple[str, DraftFact]], kb: KnowledgeBase
) -> tuple[list[LegalReference], list[tuple[Citation, str]]]:
    """Outdated references as the document cites them, so the engine's own document rule judges them."""
    legacy = {r.id: r for r in kb.legacy_references}
    refs: dict[str, LegalReference] = {}
    citations: list[tuple[Citation, str]] = []
    for doc_id, f in facts:
        ref = legacy.get(f.value) if f.kind is FactKind.LEGAL_REFERENCE else None
        if ref is None:
            continue
        ref_id = f"{PREFIX}ref.{ref.id}"
        kind = LegalReferenceKind.AUTHORITY if ref.kind == "authority" else LegalReferenceKind.LAW
        refs.setdefault(ref_id, LegalReference(id=ref_id, name=ref.name, kind=kind, jurisdiction=ref.jurisdiction))
        evidence = _evidence(doc_id, f)
        citations.append((Citation(ref=ref_id, section=evidence.section, quote=evidence.quote), doc_id))
    return list(refs.values()), citations
