"""The transfer-law knowledge base: regimes, adequacy decisions, mechanisms, legacy references, country risks.

Dates are data, with sources, so legal can change one without touching code. Date convention, everywhere:
``valid_from`` is the first day a fact holds and ``valid_until`` the LAST day it holds (inclusive);
``signable_until`` is the last day a contract on that mechanism could still be signed. ``None`` is open.
Example: the Privacy Shield fell with C-311/18 on 2020-07-16, so its ``valid_until`` is 2020-07-15.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Self

from pydantic import AfterValidator, Field, model_validator

from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import CountryCode, Id, Model, Role, Text


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


Sources = Annotated[list[Text], Field(min_length=1)]


class Dated(Model):
    valid_from: date | None = None
    valid_until: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError(f"valid_until {self.valid_until} is before valid_from {self.valid_from}")
        return self

    def holds_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def overlaps(self, other: Dated) -> bool:
        start = max(self.valid_from or date.min, other.valid_from or date.min)
        end = min(self.valid_until or date.max, other.valid_until or date.max)
        return start <= end


class AreaMember(Dated):
    country: CountryCode
    source: Sources
    note: Text | None = None


class Regime(Dated):
    code: RegimeCode
    name: Text
    citation: Text  # the transfer chapter, e.g. "GDPR Chapter V (Arts. 44-50)"
    area: Annotated[list[AreaMember], Field(min_length=1)]
    source: Sources
    confidence: Confidence = Confidence.HIGH


class AdequacyScope(StrEnum):
    WHOLE = "whole"
    CERTIFIED = "certified"  # only importers certified under `framework` (Safe Harbor, Privacy Shield, DPF)
    COMMERCIAL = "commercial"  # e.g. Canada: organisations subject to PIPEDA
    PRIVATE_SECTOR = "private_sector"  # e.g. Japan: APPI business operators
    PARTIAL = "partial"  # other limits, see scope_note


class Adequacy(Dated):
    id: Id
    regime: RegimeCode
    country: CountryCode
    reference: Text
    adopted: date | None = None
    scope: AdequacyScope
    framework: MechanismCode | None = None
    scope_note: Text | None = None
    source: Sources
    confidence: Confidence = Confidence.HIGH

    @model_validator(mode="after")
    def _framework_iff_certified(self) -> Self:
        if (self.scope is AdequacyScope.CERTIFIED) != (self.framework is not None):
            raise ValueError("scope 'certified' needs a framework, and only it may have one")
        return self


class MechanismKind(StrEnum):
    FRAMEWORK = "framework"  # self-certification under an adequacy decision (US frameworks)
    SCC = "scc"
    CONTRACT = "contract"  # UK IDTA / Addendum
    BCR = "bcr"
    CODE_OF_CONDUCT = "code_of_conduct"
    CERTIFICATION = "certification"
    DEROGATION = "derogation"
    UNSPECIFIED = "unspecified"


class MechanismWindow(Dated):
    """Where and when a mechanism works under one regime."""

    regime: RegimeCode
    signable_until: date | None = None
    ended_by: Text | None = None  # what ended it, e.g. "CJEU C-311/18 (Schrems II)"
    source: Sources
    confidence: Confidence = Confidence.HIGH

    def signable_on(self, day: date) -> bool:
        return self.signable_until is None or day <= self.signable_until


class Mechanism(Model):
    code: MechanismCode
    name: Text
    kind: MechanismKind
    citation: Text  # legal basis, e.g. "GDPR Art. 46(2)(c); Decision (EU) 2021/914"
    roles: list[Role] = []  # for old SCC sets: the only roles they were written for; empty = any
    destinations: list[CountryCode] = []  # frameworks only work for importers in these countries
    windows: Annotated[list[MechanismWindow], Field(min_length=1)]
    source: Sources

    def window_on(self, regime: RegimeCode, day: date) -> MechanismWindow | None:
        """The window that holds on ``day``; else the last one that ended before it; else the next to come."""
        mine = sorted((w for w in self.windows if w.regime is regime), key=lambda w: w.valid_from or date.min)
        if not mine:
            return None
        for w in mine:
            if w.holds_on(day):
                return w
        ended = [w for w in mine if w.valid_until and w.valid_until < day]
        return ended[-1] if ended else mine[0]

    def final_windows(self) -> list[MechanismWindow]:
        """Per regime, the window that ended the mechanism there for good (a later one would continue it)."""
        last: dict[RegimeCode, MechanismWindow] = {}
        for w in sorted(self.windows, key=lambda w: w.valid_from or date.min):
            last[w.regime] = w
        return [w for w in last.values() if w.valid_until is not None]


def _check_pattern(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"pattern {value!r} is not a valid regular expression: {exc}") from exc
    return value


Pattern = Annotated[str, AfterValidator(_check_pattern)]


class LegacyReference(Model):
    """A repealed law or renamed authority that documents still cite."""

    id: Id
    name: Text
    kind: Text  # "law" or "authority"
    jurisdiction: Annotated[str, Field(pattern=r"^([A-Z]{2}|EU|INT)$")]
    outdated_since: date
    replaced_by: Text
    patterns: Annotated[dict[Annotated[str, Field(pattern=r"^(en|nl|de|fr)$")], list[Pattern]], Field(min_length=1)]
    source: Sources
    confidence: Confidence = Confidence.HIGH


class CountryRisk(Dated):
    id: Id
    country: CountryCode
    title: Text
    applies_to: Text
    note: Text
    source: Sources
    confidence: Confidence = Confidence.HIGH


class KnowledgeBase(Model):
    regimes: list[Regime]
    adequacy: list[Adequacy]
    mechanisms: list[Mechanism]
    legacy_references: list[LegacyReference] = []
    country_risks: list[CountryRisk] = []

    def regime(self, code: RegimeCode) -> Regime:
        return next(r for r in self.regimes if r.code is code)

    def mechanism(self, code: MechanismCode) -> Mechanism | None:
        return next((m for m in self.mechanisms if m.code is code), None)

    def area_on(self, code: RegimeCode, day: date) -> frozenset[str]:
        """Countries inside the regime's area on ``day``: transfers among them are not Chapter V transfers."""
        return frozenset(m.country for m in self.regime(code).area if m.holds_on(day))

    def decisions_on(self, code: RegimeCode, country: str, day: date) -> list[Adequacy]:
        return [a for a in self.adequacy if a.regime is code and a.country == country and a.holds_on(day)]
