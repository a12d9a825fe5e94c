"""Reference data: countries with their adequacy on a date, regimes, mechanisms, the data-category taxonomy."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from flowmap.api.types import enums as _enums  # noqa: F401  (registers the domain enums)
from flowmap.domain import law
from flowmap.domain.categories import DataCategory as CategoryModel
from flowmap.domain.categories import taxonomy
from flowmap.domain.countries import Country as CountryModel
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import Role


def today(value: date | None) -> date:
    """Every date argument defaults to today."""
    return value or date.today()


@strawberry.type(description="A data-protection regime and the transfer chapter it has.")
class Regime:
    code: RegimeCode
    name: str
    citation: str
    sources: list[str]

    @classmethod
    def of(cls, r: law.Regime) -> Regime:
        return cls(code=r.code, name=r.name, citation=r.citation, sources=list(r.source))


@strawberry.type(description="An adequacy decision, with its dates and sources.")
class AdequacyDecision:
    id: str
    regime: RegimeCode
    reference: str
    adopted: date | None
    valid_from: date | None
    valid_until: date | None = strawberry.field(description="Last day it holds (inclusive); null while in force.")
    scope: law.AdequacyScope
    framework: MechanismCode | None
    scope_note: str | None
    sources: list[str]
    confidence: law.Confidence

    @classmethod
    def of(cls, a: law.Adequacy) -> AdequacyDecision:
        return cls(
            id=a.id,
            regime=a.regime,
            reference=a.reference,
            adopted=a.adopted,
            valid_from=a.valid_from,
            valid_until=a.valid_until,
            scope=a.scope,
            framework=a.framework,
            scope_note=a.scope_note,
            sources=list(a.source),
            confidence=a.confidence,
        )


@strawberry.enum(description="A country's standing under one regime on one date.")
class AdequacyLevel(Enum):
    AREA = "AREA"  # inside the regime's own area (EEA for the EU GDPR): no transfer rules apply
    ADEQUATE = "ADEQUATE"  # a decision of whole scope
    PARTIAL = "PARTIAL"  # a decision limited to certified, commercial or some organisations
    NONE = "NONE"  # a third country without adequacy


@strawberry.type
class AdequacyStatus:
    regime: RegimeCode
    as_of: date
    level: AdequacyLevel
    decisions: list[AdequacyDecision] = strawberry.field(description="The decisions in force that day, cited.")


def adequacy_status(kb: law.KnowledgeBase, regime: RegimeCode, country: str, day: date) -> AdequacyStatus:
    decisions = kb.decisions_on(regime, country, day)
    if country in kb.area_on(regime, day):
        level = AdequacyLevel.AREA
    elif any(d.scope is law.AdequacyScope.WHOLE for d in decisions):
        level = AdequacyLevel.ADEQUATE
    elif decisions:
        level = AdequacyLevel.PARTIAL
    else:
        level = AdequacyLevel.NONE
    return AdequacyStatus(regime=regime, as_of=day, level=level, decisions=[AdequacyDecision.of(d) for d in decisions])


@strawberry.type(description="A known risk of a destination (surveillance laws and the like), dated and sourced.")
class CountryRisk:
    id: str
    title: str
    applies_to: str
    note: str
    valid_from: date | None
    valid_until: date | None
    sources: list[str]


@strawberry.type(description="An ISO 3166-1 country.")
class Country:
    code: str
    name: str
    alpha3: str

    @classmethod
    def of(cls, c: CountryModel) -> Country:
        return cls(code=c.code, name=c.name, alpha3=c.alpha3)

    @strawberry.field(description="Regimes whose area includes the country on the date (default today).")
    def regimes(self, info: Info[Any, Any], as_of: date | None = None) -> list[RegimeCode]:
        kb: law.KnowledgeBase = info.context.kb
        return [r.code for r in kb.regimes if self.code in kb.area_on(r.code, today(as_of))]

    @strawberry.field(description="Adequacy under each regime (or one) on the date (default today).")
    def adequacy(
        self, info: Info[Any, Any], as_of: date | None = None, regime: RegimeCode | None = None
    ) -> list[AdequacyStatus]:
        kb: law.KnowledgeBase = info.context.kb
        codes = [regime] if regime else [r.code for r in kb.regimes]
        return [adequacy_status(kb, code, self.code, today(as_of)) for code in codes]

    @strawberry.field(description="Known risks of the destination in force on the date (default today).")
    def risks(self, info: Info[Any, Any], as_of: date | None = None) -> list[CountryRisk]:
        kb: law.KnowledgeBase = info.context.kb
        day = today(as_of)
        return [
            CountryRisk(
                id=r.id,
                title=r.title,
                applies_to=r.applies_to,
                note=r.note,
                valid_from=r.valid_from,
                valid_until=r.valid_until,
                sources=list(r.source),
            )
            for r in kb.country_risks
            if r.country == self.code and r.holds_on(day)
        ]


@strawberry.type(description="Where and when a mechanism works under one regime.")
class MechanismWindow:
    regime: RegimeCode
    valid_from: date | None
    valid_until: date | None = strawberry.field(description="Last valid day (inclusive); null while in force.")
    signable_until: date | None = strawberry.field(description="Last day a new contract could be signed on it.")
    ended_by: str | None
    sources: list[str]
    confidence: law.Confidence

    @classmethod
    def of(cls, w: law.MechanismWindow) -> MechanismWindow:
        return cls(
            regime=w.regime,
            valid_from=w.valid_from,
            valid_until=w.valid_until,
            signable_until=w.signable_until,
            ended_by=w.ended_by,
            sources=list(w.source),
            confidence=w.confidence,
        )


@strawberry.type
class MechanismValidity:
    regime: RegimeCode
    as_of: date
    valid: bool
    signable: bool
    window: MechanismWindow | None


@strawberry.type(description="A transfer mechanism: SCCs, a US framework, BCRs, a derogation...")
class Mechanism:
    code: MechanismCode
    name: str
    kind: law.MechanismKind
    citation: str
    roles: list[Role] = strawberry.field(description="Roles an old SCC set was written for; empty: any.")
    destinations: list[str] = strawberry.field(description="Frameworks only work for importers in these.")
    windows: list[MechanismWindow]
    sources: list[str]

    @classmethod
    def of(cls, m: law.Mechanism) -> Mechanism:
        return cls(
            code=m.code,
            name=m.name,
            kind=m.kind,
            citation=m.citation,
            roles=list(m.roles),
            destinations=list(m.destinations),
            windows=[MechanismWindow.of(w) for w in m.windows],
            sources=list(m.source),
        )

    @strawberry.field(description="Whether it works under a regime on the date (default today).")
    def validity(
        self, info: Info[Any, Any], as_of: date | None = None, regime: RegimeCode = RegimeCode.EU_GDPR
    ) -> MechanismValidity:
        kb: law.KnowledgeBase = info.context.kb
        day = today(as_of)
        mech = kb.mechanism(self.code)
        window = mech.window_on(regime, day) if mech else None
        valid = window is not None and window.holds_on(day)
        return MechanismValidity(
            regime=regime,
            as_of=day,
            valid=valid,
            signable=valid and window is not None and window.signable_on(day),
            window=MechanismWindow.of(window) if window else None,
        )


def mechanism(kb: law.KnowledgeBase, code: str | None) -> Mechanism | None:
    """The API object for a basis code; None for ADEQUACY or no basis."""
    if code is None or code not in MechanismCode.__members__:
        return None
    found = kb.mechanism(MechanismCode(code))
    return Mechanism.of(found) if found else None


@strawberry.enum
class SpecialCategory(Enum):
    ART9 = "art9"
    ART10 = "art10"


@strawberry.type(description="A fideslang data category; the taxonomy is a tree navigable by parent and children.")
class DataCategory:
    key: str
    name: str
    description: str
    special: SpecialCategory | None = strawberry.field(description="GDPR Art. 9 or Art. 10 data.")
    deprecated: bool
    parent_key: str | None

    @classmethod
    def of(cls, c: CategoryModel) -> DataCategory:
        return cls(
            key=c.key,
            name=c.name,
            description=c.description,
            special=SpecialCategory(c.special) if c.special else None,
            deprecated=c.deprecated,
            parent_key=c.parent_key,
        )

    @classmethod
    def by_key(cls, key: str) -> DataCategory:
        return cls.of(taxonomy()[key])

    @strawberry.field
    def parent(self) -> DataCategory | None:
        return DataCategory.by_key(self.parent_key) if self.parent_key else None

    @strawberry.field
    def children(self) -> list[DataCategory]:
        return [DataCategory.of(c) for c in taxonomy().values() if c.parent_key == self.key]
