"""Findings on documents and organisations, independent of any chain: what a policy says that dates it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from flowmap.domain.law import KnowledgeBase, LegacyReference
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import Document, Organization, RetentionBasis
from flowmap.domain.results import Finding, Rule, Severity
from flowmap.domain.tables import Edge, MapTables, is_active


def _compiled(ref: LegacyReference) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for patterns in ref.patterns.values() for p in patterns]


def outdated_references(tables: MapTables, kb: KnowledgeBase, day: date) -> Iterator[Finding]:
    """Matched on the document's own words (the citation quote), never on our catalogue's description."""
    legacy = [(ref, _compiled(ref)) for ref in kb.legacy_references if ref.outdated_since <= day]
    for doc in tables.documents.values():
        flagged: set[str] = set()
        for citation in doc.citations:
            for ref, patterns in legacy:
                if ref.id not in flagged and any(p.search(citation.quote) for p in patterns):
                    flagged.add(ref.id)
                    yield Finding(
                        Rule.OUTDATED_LEGAL_REFERENCE,
                        Severity.MEDIUM,
                        f"{doc.title} cites {ref.name} ({citation.quote!r}), outdated since "
                        f"{ref.outdated_since.isoformat()}.",
                        "; ".join(ref.source),
                        f"Update the document to cite {ref.replaced_by}.",
                        f"document:{doc.id}",
                    )


def indefinite_retention(tables: MapTables) -> Iterator[Finding]:
    for org in tables.organizations.values():
        for r in org.retention:
            if r.basis is RetentionBasis.INDEFINITE:
                yield Finding(
                    Rule.INDEFINITE_RETENTION,
                    Severity.MEDIUM,
                    f"{org.name} keeps data indefinitely ({r.scope}).",
                    "GDPR Art. 5(1)(e) (storage limitation); Art. 13(2)(a) (retention period or criteria)",
                    "Ask for a retention period per category, or the criteria that set it, and deletion on expiry.",
                    f"organization:{org.id}",
                )


def unnamed_recipients(tables: MapTables, day: date) -> Iterator[Finding]:
    placeholders: dict[str, Organization] = tables.memo(
        "unnamed recipients", None, lambda: {o.id: o for o in tables.organizations.values() if o.unnamed}
    )  # the same every day, and a registry holds a hundred thousand organisations
    by_exporter: dict[str, list[str]] = {}
    for importer, placeholder in placeholders.items():
        for e in tables.incoming.get(importer, ()):
            if is_active(e, day):
                by_exporter.setdefault(e.exporter, []).append(placeholder.recipient_class or importer)
    for exporter, classes in sorted(by_exporter.items()):
        org = tables.organizations.get(exporter)
        yield Finding(
            Rule.UNNAMED_RECIPIENTS,
            Severity.LOW,
            f"{org.name if org else exporter} names only classes of recipient: {', '.join(sorted(set(classes)))}.",
            "GDPR Art. 28(2) and (4) (sub-processor authorisation); Art. 13(1)(e) (recipients)",
            "Ask for the named list of sub-processors, with their locations and the safeguard for each.",
            f"organization:{exporter}",
        )


def _organization_facts(tables: MapTables) -> Iterator[tuple[str, MechanismCode]]:
    """(document id, mechanism) for every fact about a mechanism an organisation states, by its evidence."""
    for org in tables.organizations.values():
        for c in org.certifications:
            yield from ((ev.document, c.framework) for ev in c.evidence)
        for s in org.transfer_statements:
            yield from ((ev.document, m) for ev in s.evidence for m in s.mechanisms)


def _engagement_facts(e: Edge) -> Iterator[tuple[str, MechanismCode]]:
    """The same for one engagement's declared mechanisms (their own evidence, else the engagement's)."""
    for m in e.mechanisms:
        yield from (((ev.document, m.code) for ev in m.evidence) if m.evidence else ((d, m.code) for d in e.documents))


def _mechanism_facts(tables: MapTables) -> list[tuple[str, MechanismCode]]:
    """Every (document, mechanism) fact of the map, distinct and sorted: the engagements' are tallied with the
    map (patched, not recounted, after an edit), the organisations' read each time."""
    engagements = tables.tally("mechanism facts", _engagement_facts)
    return sorted({*_organization_facts(tables), *engagements}, key=lambda f: (f[0], f[1].value))


def stale_documents(tables: MapTables, kb: KnowledgeBase, day: date) -> Iterator[Finding]:
    """Evidence dated before a mechanism it speaks of ended, judged after that end."""
    docs: dict[str, Document] = tables.documents
    facts = tables.memo("mechanism facts", None, lambda: _mechanism_facts(tables))
    for doc_id, code in facts:
        doc, mech = docs.get(doc_id), kb.mechanism(code)
        if doc is None or doc.effective_date is None or mech is None:
            continue
        for w in mech.final_windows():
            if w.valid_until and doc.effective_date <= w.valid_until < day:
                ended = w.valid_until + timedelta(days=1)
                yield Finding(
                    Rule.STALE_DOCUMENT,
                    Severity.MEDIUM,
                    f"{doc.title} ({doc.effective_date.isoformat()}) relies on {code.value}, which ended on "
                    f"{ended.isoformat()} under {w.regime.value}.",
                    "; ".join(x for x in (w.ended_by, w.source[0]) if x),
                    "Obtain the current version of the document and re-check the facts it supports.",
                    f"document:{doc_id}",
                )
                break


def document_findings(tables: MapTables, kb: KnowledgeBase, day: date) -> list[Finding]:
    return [
        *outdated_references(tables, kb, day),
        *tables.memo("indefinite retention", None, lambda: list(indefinite_retention(tables))),
        *unnamed_recipients(tables, day),
        *stale_documents(tables, kb, day),
    ]


def map_document_findings(tables: MapTables, kb: KnowledgeBase, day: date) -> list[Finding]:
    """``document_findings``, kept with the map: every client's assessment on the day lists them."""
    return tables.memo(("document findings", day), kb, lambda: document_findings(tables, kb, day))
