"""Small helpers for the extraction tests: run the extractor and look at one kind of fact."""

from __future__ import annotations

from flowmap.extract import DraftFact, Extraction, FactKind, extract


def run(text: str, language: str | None = None) -> Extraction:
    extraction = extract(text, language=language)
    for fact in extraction.facts:  # every fact, in every test, quotes the text exactly
        assert text[fact.span.start : fact.span.end] == fact.span.quote
    return extraction


def facts(text: str, kind: FactKind, language: str | None = None) -> list[DraftFact]:
    return run(text, language).of(kind)


def values(text: str, kind: FactKind, language: str | None = None) -> set[str]:
    return {f.value for f in facts(text, kind, language)}


def named(text: str, language: str | None = None) -> dict[str, DraftFact]:
    """Named recipients by name."""
    return {f.value: f for f in facts(text, FactKind.RECIPIENT, language) if f.detail.get("unnamed") != "true"}


def classes(text: str, language: str | None = None) -> set[str]:
    return {f.value for f in facts(text, FactKind.RECIPIENT, language) if f.detail.get("unnamed") == "true"}
