"""The map's facts as pydantic models: what the seed files, mutations and imports all validate against.

Every fact carries evidence (a document, a section and a short quote) because the map is used
as legal evidence: a claim nobody can trace back to a source is worth little to legal.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

import pycountry
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from flowmap.domain.categories import check_category_key
from flowmap.domain.countries import check_country_code
from flowmap.domain.mechanisms import CERTIFICATION_FRAMEWORKS, MechanismCode, RegimeCode
from flowmap.errors import shown

MAX_QUOTE_WORDS = 20

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._:~-]*$", max_length=200)]
# Engagement ids read as "exporter>importer", optionally with a suffix: "acme>aws:hosting".
EngagementId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._:~>-]*$", max_length=400)]
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_printable(value: str) -> str:
    """Control characters (NUL and friends) are never part of a fact; they break exports and terminals."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"contains the control character U+{ord(found.group()):04X} at position {found.start()}")
    return value


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000), AfterValidator(_check_printable)
]
CountryCode = Annotated[str, AfterValidator(check_country_code)]
CategoryKey = Annotated[str, AfterValidator(check_category_key)]


def _check_quote(value: str) -> str:
    words = len(value.split())
    if words > MAX_QUOTE_WORDS:
        raise ValueError(f"quote has {words} words; evidence quotes are at most {MAX_QUOTE_WORDS}")
    return value


def _check_language(value: str) -> str:
    if pycountry.languages.get(alpha_2=value) is None:
        raise ValueError(f"unknown language {shown(value)} (ISO 639-1 code expected, e.g. 'en', 'nl')")
    return value


def check_duration(value: str) -> str:
    if not re.fullmatch(r"P(?=\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?", value):
        raise ValueError(f"period {shown(value)} is not an ISO 8601 duration such as 'P6M' or 'P1Y'")
    return value


Quote = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=400),
    AfterValidator(_check_printable),
    AfterValidator(_check_quote),
]
Language = Annotated[str, AfterValidator(_check_language)]
Duration = Annotated[str, AfterValidator(check_duration)]


class Model(BaseModel):
    """Strict base: unknown keys are errors, so a typo in a seed file never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(Model):
    document: Id
    section: Text | None = None
    quote: Quote
    note: Text | None = None


Evidences = Annotated[list[Evidence], Field(min_length=1)]


class Role(StrEnum):
    """Exporter -> importer roles; in this order they are the modules 1-4 of the 2021 SCCs."""

    C2C = "C2C"
    C2P = "C2P"
    P2P = "P2P"
    P2C = "P2C"


class LocationScope(StrEnum):
    """How much the source says about where the importer stores or accesses the data."""

    STATED = "stated"  # `countries` is the full list
    WITHIN_EU = "within_eu"  # declared to stay inside the EU; countries may be unnamed
    WITHIN_EEA = "within_eea"
    THIRD_COUNTRY_POSSIBLE = "third_country_possible"  # may leave the EEA, destinations unnamed
    UNKNOWN = "unknown"  # nothing stated


class CertificationStatus(StrEnum):
    CLAIMED = "claimed"  # the organisation says so; not checked against the official list
    ACTIVE = "active"
    INACTIVE = "inactive"


class RetentionBasis(StrEnum):
    FIXED = "fixed"
    INDEFINITE = "indefinite"
    AS_LONG_AS_NECESSARY = "as_long_as_necessary"
    STATUTORY = "statutory"
    CONTRACT_PLUS_STATUTORY = "contract_plus_statutory"
    SHORT_UNSPECIFIED = "short_unspecified"


class OutsideEea(StrEnum):
    NONE = "none"
    POSSIBLE = "possible"
    YES = "yes"


class DocumentKind(StrEnum):
    PRIVACY_POLICY = "privacy_policy"
    DPA = "dpa"
    SUBPROCESSOR_LIST = "subprocessor_list"
    CONTRACT = "contract"
    DPF_LISTING = "dpf_listing"
    OTHER = "other"


class LegalReferenceKind(StrEnum):
    LAW = "law"
    REGULATION = "regulation"
    AUTHORITY = "authority"
    FRAMEWORK = "framework"
    COURT = "court"


class Registration(Model):
    scheme: Text  # e.g. "BE-KBO", "BE-VAT", "NL-KVK"
    value: Text


class Certification(Model):
    framework: MechanismCode
    status: CertificationStatus
    since: date | None = None
    until: date | None = None
    checked_on: date | None = None
    evidence: Evidences

    @model_validator(mode="after")
    def _framework_is_certifiable(self) -> Self:
        if self.framework not in CERTIFICATION_FRAMEWORKS:
            allowed = ", ".join(sorted(CERTIFICATION_FRAMEWORKS))
            raise ValueError(f"framework {self.framework.value!r} is not a certification list ({allowed})")
        if self.since and self.until and self.until < self.since:
            raise ValueError(f"until {self.until} is before since {self.since}")
        return self


class Retention(Model):
    scope: Text
    basis: RetentionBasis
    period: Duration | None = None
    trigger: Text | None = None
    categories: list[CategoryKey] = []
    evidence: Evidences

    @model_validator(mode="after")
    def _fixed_has_period(self) -> Self:
        if self.basis is RetentionBasis.FIXED and not self.period:
            raise ValueError("a fixed retention needs a period such as 'P6M'")
        return self


class Collection(Model):
    """Categories an organisation collects for its own purposes or receives, with where from."""

    categories: Annotated[list[CategoryKey], Field(min_length=1)]
    purposes: Annotated[list[Text], Field(min_length=1)]
    source: Text | None = None
    evidence: Evidences


class TransferStatement(Model):
    """What an organisation's document says about sending data outside the EEA."""

    scope: Text
    outside_eea: OutsideEea
    countries: list[CountryCode] = []
    mechanisms: list[MechanismCode] = []
    evidence: Evidences


class Organization(Model):
    id: Id
    name: Text
    legal_name: Text | None = None
    aliases: list[Text] = []
    country: CountryCode | None = None
    registrations: list[Registration] = []
    address: Text | None = None
    website: Text | None = None
    parent: Id | None = None
    unnamed: bool = False
    recipient_class: Text | None = None
    description: Text | None = None
    fictional: bool = False
    certifications: list[Certification] = []
    retention: list[Retention] = []
    collects: list[Collection] = []
    transfer_statements: list[TransferStatement] = []
    evidence: Evidences

    @model_validator(mode="after")
    def _unnamed_has_class(self) -> Self:
        if self.unnamed and not self.recipient_class:
            raise ValueError("an unnamed placeholder needs recipient_class (e.g. 'hosting provider')")
        if self.parent == self.id:
            raise ValueError("an organisation cannot be its own parent")
        return self


class DeclaredMechanism(Model):
    code: MechanismCode
    module: Annotated[int, Field(ge=1, le=4)] | None = None
    signed_on: date | None = None
    evidence: list[Evidence] = []

    @model_validator(mode="after")
    def _module_only_for_scc_2021(self) -> Self:
        if self.module is not None and self.code is not MechanismCode.SCC_2021:
            raise ValueError(f"module is only meaningful for SCC_2021, not {self.code.value}")
        return self


class Engagement(Model):
    """One processing engagement (ENGAGES): exporter hands data to importer."""

    id: EngagementId | None = None
    exporter: Id
    importer: Id
    role: Role
    service: Text
    purpose: Text
    categories: Annotated[list[CategoryKey], Field(min_length=1)]
    countries: list[CountryCode] = []
    # Never None after validation: _default_scope fills it in ('stated' if countries are given, else 'unknown').
    location_scope: LocationScope = Field(default=None)  # type: ignore[assignment]
    # The regime the data is subject to, when the client's establishment does not say (e.g. GDPR Art. 3(2)).
    regime: RegimeCode | None = None
    mechanisms: list[DeclaredMechanism] = []  # primary first, then fallbacks in order
    valid_from: date | None = None
    valid_to: date | None = None
    tia_ref: Text | None = None
    fictional: bool = False
    evidence: Evidences

    @model_validator(mode="before")
    @classmethod
    def _default_scope(cls, data: Any) -> Any:
        """No stated scope: the countries, if any, are taken as the full list."""
        if isinstance(data, dict) and data.get("location_scope") is None:
            scope = LocationScope.STATED if data.get("countries") else LocationScope.UNKNOWN
            data = {**data, "location_scope": scope}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.exporter == self.importer:
            raise ValueError(f"exporter and importer are both {self.exporter!r}")
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        if self.location_scope is LocationScope.STATED and not self.countries:
            raise ValueError("location_scope 'stated' needs at least one country")
        declared = [(m.code.value, m.module) for m in self.mechanisms]
        twice = sorted({code for code, module in declared if declared.count((code, module)) > 1})
        if twice:
            raise ValueError(f"mechanism declared twice: {', '.join(twice)}")
        return self

    @property
    def key(self) -> str:
        return self.id or f"{self.exporter}>{self.importer}"


class Citation(Model):
    """A document citing a law or authority; the document's date says when it did so."""

    ref: Id
    section: Text | None = None
    quote: Quote


class Document(Model):
    id: Id
    title: Text
    url: Text | None = None
    kind: DocumentKind
    publisher: Id | None = None
    language: Language
    effective_date: date | None = None
    retrieved_on: date | None = None
    source_file: Text | None = None
    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    fictional: bool = False
    citations: list[Citation] = []


class LegalReference(Model):
    id: Id
    name: Text
    kind: LegalReferenceKind
    jurisdiction: Annotated[str, StringConstraints(pattern=r"^([A-Z]{2}|EU|INT)$")]
    reference: Text | None = None
    aliases: list[Text] = []


class SeedFile(Model):
    """One YAML file of the seed map. Any section may be empty; references may cross files."""

    description: Text | None = None
    fictional: bool = False
    legal_references: list[LegalReference] = []
    documents: list[Document] = []
    organizations: list[Organization] = []
    engagements: list[Engagement] = []


def evidence_paths(obj: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Evidence]]:
    """Every Evidence inside a model, with its path, however deeply nested (to check what it cites)."""
    if isinstance(obj, Evidence):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from evidence_paths(getattr(obj, name), (*path, name))
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            yield from evidence_paths(item, (*path, i))


class FlowMap(Model):
    """A whole validated map, references resolved: what a loader hands to the store."""

    legal_references: list[LegalReference] = []
    documents: list[Document] = []
    organizations: list[Organization] = []
    engagements: list[Engagement] = []
