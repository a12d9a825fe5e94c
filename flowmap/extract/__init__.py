"""Reading vendor documents into draft facts, offline and deterministically (issue 6).

``extract(text)`` returns an ``Extraction``: the text, its language and the draft facts found in it, each
with the span of words that proves it (``text[span.start:span.end] == span.quote``). Lexicons ship in this
package; nothing is downloaded. Precision comes before recall: a fact without evidence is not emitted.
"""

from __future__ import annotations

from flowmap.extract.categories import category_facts
from flowmap.extract.countries import country_facts, find_places
from flowmap.extract.facts import DraftFact, Extraction, FactKind, Span
from flowmap.extract.legal import legal_reference_facts
from flowmap.extract.mechanisms import ADEQUACY, mechanism_facts
from flowmap.extract.organization import organization_fact
from flowmap.extract.recipients import recipient_facts
from flowmap.extract.retention import retention_facts
from flowmap.extract.text import Doc
from flowmap.extract.transfers import no_transfer_facts
from flowmap.intake.language import detect_language

__all__ = ["ADEQUACY", "DraftFact", "Extraction", "FactKind", "Span", "extract"]

_KIND_ORDER = {kind: i for i, kind in enumerate(FactKind)}


def extract(text: str, *, source: str = "", language: str | None = None) -> Extraction:
    """Draft facts of every kind in ``text``; ``language`` (en, nl, de, fr) is detected when not given.

    Lexicons exist for en, nl, de and fr; a text in another language (or "und") is read with the English ones.
    """
    lang = (language or detect_language(text)).lower()
    doc = Doc.of(text, lang)
    mechanisms = mechanism_facts(doc)  # first: it marks framework names ("EU-U.S. DPF") as not places
    places = find_places(doc)
    organization, org = organization_fact(doc, places)
    own = [org.name, org.short_name] if org else []
    facts: list[DraftFact] = [
        *([organization] if organization else []),
        *recipient_facts(doc, places, own),
        *country_facts(doc, places),
        *no_transfer_facts(doc, places, mechanisms),
        *mechanisms,
        *category_facts(doc),
        *retention_facts(doc),
        *legal_reference_facts(doc),
    ]
    facts.sort(key=lambda f: (_KIND_ORDER[f.kind], f.span.start, f.value))
    return Extraction(source=source, language=lang, text=text, facts=tuple(facts))
