"""Annex I (parties, description of the transfer, supervisory authority) and Annex III (sub-processors) of the
2021 SCCs (Commission Implementing Decision (EU) 2021/914) for one engagement, as the map holds it on a date.

The sub-processors are every organisation the engine's dataflow reaches from this engagement: the importer's
onward (P2P) chain for the exporter's data, at any depth, categories narrowed as they go. Each one's safeguard
is the engine's verdict for that hop on the date, with every declared mechanism and its state. What the map
does not record is written "not recorded in the map": a draft for counsel to complete, never filled by guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flowmap import NOT_LEGAL_ADVICE
from flowmap.domain.assess import Engine, destinations, regime_of
from flowmap.domain.basis import SCC_2021_MODULE
from flowmap.domain.chains import DEFAULT_MAX_DEPTH, Reach, Walk
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import RegimeCode
from flowmap.domain.models import Organization, Role
from flowmap.domain.tables import MapTables, category_keys, is_active
from flowmap.errors import NotFound, shown
from flowmap.reports.common import (
    NOT_RECORDED,
    categories_text,
    country_name,
    declared_text,
    location_text,
    org_contact,
    org_name,
    relied_on,
    retention_text,
    special_categories,
)

_MODULE_NAMES = {
    1: "controller to controller",
    2: "controller to processor",
    3: "processor to processor",
    4: "processor to controller",
}
_EXPORTER_ROLE = {Role.C2C: "controller", Role.C2P: "controller", Role.P2P: "processor", Role.P2C: "processor"}
_IMPORTER_ROLE = {Role.C2C: "controller", Role.C2P: "processor", Role.P2P: "processor", Role.P2C: "controller"}


class EngagementNotInForce(NotFound):
    """The engagement exists but is not in force on the date asked: its annexes describe nothing then."""


@dataclass(frozen=True)
class Party:
    """One line of Annex I.A."""

    side: str  # "data exporter" or "data importer"
    id: str
    name: str
    address: str
    country: str
    contact: str
    role: str
    activities: str
    registrations: str


@dataclass(frozen=True)
class Safeguard:
    destination: str
    relied_on: str
    declared: str
    status: str

    def text(self) -> str:
        return f"{self.destination}: relied on {self.relied_on}; declared: {self.declared}; {self.status}"


@dataclass(frozen=True)
class SubProcessor:
    """One row of Annex III."""

    id: str
    name: str
    address: str
    location: str
    engagement: str
    via: str
    processing: str
    categories: str
    safeguards: tuple[Safeguard, ...]

    @property
    def safeguard(self) -> str:
        if not self.safeguards:
            return "not a third-country transfer (inside the regime's area)"
        return "\n".join(s.text() for s in self.safeguards)


@dataclass(frozen=True)
class Annex:
    engagement: str
    as_of: date
    regime: str
    module: str
    parties: tuple[Party, Party]
    data_subjects: str
    categories: str
    special: str
    frequency: str
    nature: str
    purposes: str
    duration: str
    retention: str
    authority: str
    sub_processors: tuple[SubProcessor, ...]
    disclaimer: str = NOT_LEGAL_ADVICE

    def description(self) -> list[tuple[str, str]]:
        """Annex I.B, in the order of the SCC template."""
        return [
            ("Categories of data subjects whose personal data is transferred", self.data_subjects),
            ("Categories of personal data transferred", self.categories),
            ("Sensitive data transferred (if applicable) and applied restrictions or safeguards", self.special),
            ("The frequency of the transfer", self.frequency),
            ("Nature of the processing", self.nature),
            ("Purpose(s) of the data transfer and further processing", self.purposes),
            ("Duration of the engagement", self.duration),
            ("The period for which the personal data will be retained", self.retention),
            (
                "For transfers to (sub-)processors: subject matter, nature and duration",
                f"see Annex III ({len(self.sub_processors)} sub-processor engagement(s) in the chain)",
            ),
        ]


def _party(side: str, org: Organization | None, org_id: str, role: str, activities: str) -> Party:
    return Party(
        side=side,
        id=org_id,
        name=org_name(org, org_id),
        address=(org.address if org and org.address else NOT_RECORDED),
        country=country_name(org.country if org else None),
        contact=(org.website if org and org.website else NOT_RECORDED),
        role=role,
        activities=activities,
        registrations=", ".join(f"{r.scheme} {r.value}" for r in org.registrations)
        if org and org.registrations
        else NOT_RECORDED,
    )


def _authority(kb: KnowledgeBase, exporter: Organization | None, day: date) -> str:
    """Clause 13(a): the authority of the Member State where the exporter is established, when the map says."""
    if exporter is None or exporter.country is None:
        return f"not derivable: the data exporter's country is {NOT_RECORDED}"
    if exporter.country in kb.area_on(RegimeCode.EU_GDPR, day):
        return (
            f"The supervisory authority of {country_name(exporter.country)}, where the data exporter is established "
            "(Clause 13(a)); its name and address are not recorded in the map"
        )
    return (
        f"not derivable from the map: the data exporter is established in {country_name(exporter.country)}, outside "
        "the EEA (Clause 13(a) then points to the authority of its Art. 27 representative or of the data subjects)"
    )


def _duration(valid_from: date | None, valid_to: date | None) -> str:
    start = f"from {valid_from.isoformat()}" if valid_from else f"start {NOT_RECORDED}"
    end = f"until {valid_to.isoformat()}" if valid_to else "no end recorded"
    return f"{start}, {end}"


def _safeguards(engine: Engine, client: str, regime: RegimeCode | None, reach: Reach) -> tuple[Safeguard, ...]:
    if regime is None:
        return (Safeguard(NOT_RECORDED, "not judged: no regime governs the exporter's data in the map", "-", "-"),)
    out = []
    for destination in destinations(reach.edge, engine.areas[regime]):
        t = engine.transfer(client, regime, destination, reach)
        out.append(
            Safeguard(
                destination=country_name(destination) if destination else location_text(reach.edge.location_scope),
                relied_on=relied_on(engine.kb, t),
                declared=declared_text(engine.kb, reach.edge.mechanisms, regime, engine.day),
                status=t.status.value,
            )
        )
    return tuple(out)


def _retention(importer: Organization | None, categories: list[str]) -> str:
    stated = retention_text(importer.retention, categories) if importer else NOT_RECORDED
    return stated if stated == NOT_RECORDED else f"as the importer's documents state: {stated}"


def build_annex(
    tables: MapTables, engagement_id: str, day: date, kb: KnowledgeBase, *, max_depth: int = DEFAULT_MAX_DEPTH
) -> Annex:
    """Annexes I and III for ``engagement_id`` on ``day``; NotFound if it is unknown or not in force then."""
    edge = tables.edge_by_key.get(engagement_id)
    if edge is None:
        raise NotFound("engagement", f"{shown(engagement_id)} is not an engagement in the map")
    if not is_active(edge, day):
        raise EngagementNotInForce(
            "as_of",
            f"engagement {engagement_id} is not in force on {day.isoformat()} "
            f"({_duration(edge.valid_from, edge.valid_to)}); give an --as-of inside it",
        )
    model = tables.model(edge)
    engine = Engine(tables, day, kb, max_depth)
    exporter = tables.organizations.get(edge.exporter)
    importer = tables.organizations.get(edge.importer)
    regime = (regime_of(exporter, kb, day) if exporter else None) or edge.regime
    module = SCC_2021_MODULE[edge.role]
    walk = Walk(engine.view, edge.exporter, [edge], max_depth)
    reaches = walk.reaches()
    subs = []
    for reach in reaches[1:]:  # the first is the engagement itself
        org = tables.organizations.get(reach.edge.importer)
        sub_model = tables.model(reach.edge)
        subs.append(
            SubProcessor(
                id=reach.edge.importer,
                name=org_name(org, reach.edge.importer),
                address=org_contact(org),
                location=(
                    ", ".join(country_name(c) for c in reach.edge.countries)
                    if reach.edge.countries
                    else location_text(reach.edge.location_scope)
                ),
                engagement=reach.edge.key,
                via=" > ".join([edge.exporter, *(e.importer for e in reach.path)]),
                processing=f"{sub_model.service} — {sub_model.purpose}",
                categories=categories_text(category_keys(reach.categories)),
                safeguards=_safeguards(engine, edge.exporter, regime, reach),
            )
        )
    special = special_categories(model.categories)
    return Annex(
        engagement=edge.key,
        as_of=day,
        regime=regime.value if regime else NOT_RECORDED,
        module=f"Module {module} ({_MODULE_NAMES[module]})",
        parties=(
            _party("data exporter", exporter, edge.exporter, _EXPORTER_ROLE[edge.role], model.service),
            _party("data importer", importer, edge.importer, _IMPORTER_ROLE[edge.role], model.service),
        ),
        data_subjects=NOT_RECORDED,
        categories=categories_text(model.categories),
        special=(", ".join(special) + f"; restrictions or safeguards {NOT_RECORDED}") if special else "none recorded",
        frequency=NOT_RECORDED,
        nature=model.service,
        purposes=model.purpose,
        duration=_duration(model.valid_from, model.valid_to),
        retention=_retention(importer, model.categories),
        authority=_authority(kb, exporter, day),
        sub_processors=tuple(subs),
    )
