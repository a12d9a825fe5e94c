"""LEGAL_REFERENCE facts: outdated laws, authorities and frameworks, by the knowledge base's own patterns.

The patterns live in ``flowmap/law/legacy_references.yaml`` (per language, lower case, matched without
regard to case), the same ones ``document_rules.outdated_references`` applies to citations. A mention in
a sentence saying the reference no longer applies ("was invalidated", "replaced") is not a citation.
"""

from __future__ import annotations

import re
from functools import lru_cache

from flowmap.domain.law import LegacyReference
from flowmap.extract.facts import DraftFact, FactKind
from flowmap.extract.text import Doc, clipped_span, no_longer_applies
from flowmap.law import load_knowledge_base


@lru_cache(maxsize=8)
def _patterns(language: str) -> tuple[tuple[LegacyReference, re.Pattern[str]], ...]:
    """Each legacy reference with its patterns for the language (English when it has none), as one regex."""
    out = []
    for ref in load_knowledge_base().legacy_references:
        source = ref.patterns.get(language) or ref.patterns.get("en") or []
        if source:
            joined = "|".join(f"(?:{p})" for p in source)
            # Written in lower case (see legacy_references.yaml), so they run on the lower-cased text, faster.
            lower_case = re.sub(r"\\.", "", joined) == re.sub(r"\\.", "", joined).lower()
            out.append((ref, re.compile(joined, 0 if lower_case else re.IGNORECASE)))
    return tuple(out)


def legal_reference_facts(doc: Doc) -> list[DraftFact]:
    """One fact per legacy reference, at its first citation; detail: when it became outdated and by what."""
    facts = []
    for ref, pattern in _patterns(doc.language if doc.language in ("en", "nl", "de", "fr") else "en"):
        hits = list(pattern.finditer(doc.lower))
        for m in hits:
            i = doc.index_at(m.start())
            if m.end() <= m.start() or (i >= 0 and no_longer_applies(doc, i)):
                continue
            detail = {
                "name": ref.name,
                "kind": ref.kind,
                "jurisdiction": ref.jurisdiction,
                "outdated_since": ref.outdated_since.isoformat(),
                "replaced_by": ref.replaced_by,
                "mentions": str(len(hits)),
            }
            span = clipped_span(doc.text, m.start(), m.end(), m.start(), m.end())
            facts.append(DraftFact(FactKind.LEGAL_REFERENCE, ref.id, span, detail))
            break
    return facts
