"""Draft facts read out of a vendor's documents: each one carries the span of text it came from.

Precision over recall: an extractor that cannot point at the words behind a fact emits nothing.
Offsets index the document text exactly as intake produced it, so ``text[start:end] == quote``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str

    def __post_init__(self) -> None:
        if not 0 <= self.start < self.end or len(self.quote) != self.end - self.start:
            raise ValueError(f"span {self.start}:{self.end} does not match its quote {self.quote[:40]!r}")


class FactKind(StrEnum):
    ORGANIZATION = "ORGANIZATION"  # the document's own organisation; value: its name; detail: country
    RECIPIENT = "RECIPIENT"  # value: a name, or a class for unnamed ones; detail: role, purpose, country, unnamed
    COUNTRY = "COUNTRY"  # value: ISO 3166-1 alpha-2, or a region: EU, EEA, WORLDWIDE
    NO_TRANSFER_OUTSIDE = "NO_TRANSFER_OUTSIDE"  # value: the area data is said to stay in: EU or EEA
    MECHANISM = "MECHANISM"  # value: a MechanismCode, or ADEQUACY; detail: version (e.g. "2021") when stated
    CATEGORY = "CATEGORY"  # value: a fideslang data-category key
    RETENTION = "RETENTION"  # value: a RetentionBasis; detail: period (ISO 8601) when stated
    LEGAL_REFERENCE = "LEGAL_REFERENCE"  # value: a legacy-reference id of the knowledge base (outdated law/authority)


@dataclass(frozen=True)
class DraftFact:
    kind: FactKind
    value: str
    span: Span
    detail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Extraction:
    source: str  # the file or upload name, for messages
    language: str  # ISO 639-1: en, nl, de, fr (or "und" when undetermined)
    text: str  # the text the spans index
    facts: tuple[DraftFact, ...]

    def of(self, kind: FactKind) -> list[DraftFact]:
        return [f for f in self.facts if f.kind is kind]
