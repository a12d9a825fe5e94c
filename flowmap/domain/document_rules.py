"""Findings on documents and organisations, independent of any chain: what a policy says that dates it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

from flowmap.domain.chains import is_active
from flowmap.domain.law import KnowledgeBase, LegacyReference
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import Document, FlowMap, RetentionBasis
from flowmap.domain.results import Finding, Rule, Severity


def _compiled(ref: LegacyReference) -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for patterns in ref.patterns.values() for p in patterns]


def outdated_references(flow_map: FlowMap, kb: KnowledgeBase, day: date) -> Iterator[Finding]:
    """Matched on the document's own words (the citation quote), never on our catalogue's description."""
    legacy = [(ref, _compiled(ref)) for ref in kb.legacy_references if ref.outdated_since <= day]
    for doc in flow_map.documents:
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


def indefinite_retention(flow_map: FlowMap) -> Iterator[Finding]:
    for org in flow_map.organizations:
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


def unnamed_recipients(flow_map: FlowMap, day: date) -> Iterator[Finding]:
    placeholders = {o.id: o for o in flow_map.organizations if o.unnamed}
    by_exporter: dict[str, list[str]] = {}
    for e in flow_map.engagements:
        if e.importer in placeholders and is_active(e, day):
            by_exporter.setdefault(e.exporter, []).append(placeholders[e.importer].recipient_class or e.importer)
    names = {o.id: o.name for o in flow_map.organizations}
    for exporter, classes in sorted(by_exporter.items()):
        yield Finding(
            Rule.UNNAMED_RECIPIENTS,
            Severity.LOW,
            f"{names.get(exporter, exporter)} names only classes of recipient: {', '.join(sorted(set(classes)))}.",
            "GDPR Art. 28(2) and (4) (sub-processor authorisation); Art. 13(1)(e) (recipients)",
            "Ask for the named list of sub-processors, with their locations and the safeguard for each.",
            f"organization:{exporter}",
        )


def _mechanism_facts(flow_map: FlowMap) -> Iterator[tuple[str, MechanismCode]]:
    """(document id, mechanism) for every fact about a mechanism, by the document that evidences it."""
    for org in flow_map.organizations:
        for c in org.certifications:
            yield from ((ev.document, c.framework) for ev in c.evidence)
        for s in org.transfer_statements:
            yield from ((ev.document, m) for ev in s.evidence for m in s.mechanisms)
    for e in flow_map.engagements:
        for m in e.mechanisms:
            yield from ((ev.document, m.code) for ev in (m.evidence or e.evidence))


def stale_documents(flow_map: FlowMap, kb: KnowledgeBase, day: date) -> Iterator[Finding]:
    """Evidence dated before a mechanism it speaks of ended, judged after that end."""
    docs: dict[str, Document] = {d.id: d for d in flow_map.documents}
    seen: set[tuple[str, MechanismCode]] = set()
    for doc_id, code in _mechanism_facts(flow_map):
        doc, mech = docs.get(doc_id), kb.mechanism(code)
        if doc is None or doc.effective_date is None or mech is None or (doc_id, code) in seen:
            continue
        for w in mech.final_windows():
            if w.valid_until and doc.effective_date <= w.valid_until < day:
                seen.add((doc_id, code))
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


def document_findings(flow_map: FlowMap, kb: KnowledgeBase, day: date) -> list[Finding]:
    return [
        *outdated_references(flow_map, kb, day),
        *indefinite_retention(flow_map),
        *unnamed_recipients(flow_map, day),
        *stale_documents(flow_map, kb, day),
    ]
