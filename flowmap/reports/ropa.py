"""The Art. 30 GDPR record of processing activities (ROPA), built from the map and the assessment on a date.

A processing activity is one controller's purpose as the map records it: the controller's engagements in
force on the date (C2P to processors, C2C to other controllers) grouped by their ``purpose``. Its recipients
are every organisation the controller's data reaches through those engagements (processors and their
sub-processors, as the engine walks them), and its transfers are the engine's transfers along them, each with
the safeguard relied on and every declared mechanism marked with its state on the date. What the map does not
hold (data subjects, security measures, a DPO) is written as such, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flowmap import NOT_LEGAL_ADVICE
from flowmap.domain.assess import Engine, destinations, regime_of
from flowmap.domain.chains import DEFAULT_MAX_DEPTH, Reach, Walk
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import RegimeCode
from flowmap.domain.models import Organization, Role
from flowmap.domain.results import Status, Transfer, worst_status
from flowmap.domain.tables import Edge, MapTables, category_keys
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

# (column, the Art. 30(1) letter it serves, what it holds): the header of every ROPA output.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("activity", "-", "Processing activity: controller id and purpose, as the map records it"),
    ("controller", "Art. 30(1)(a)", "Name of the controller"),
    ("controller contact", "Art. 30(1)(a)", "Address, country and website of the controller"),
    ("DPO / representative", "Art. 30(1)(a)", "Contact details of the DPO and any EU representative"),
    ("purposes", "Art. 30(1)(b)", "Purposes of the processing (service and purpose of each engagement)"),
    ("data subjects", "Art. 30(1)(c)", "Categories of data subjects"),
    ("personal data", "Art. 30(1)(c)", "Categories of personal data (fideslang keys)"),
    ("special categories", "Art. 30(1)(c)", "Art. 9 / Art. 10 categories among them"),
    ("recipients", "Art. 30(1)(d)", "Recipients, processors and sub-processors, with their role and location"),
    (
        "third-country transfers",
        "Art. 30(1)(e)",
        "Destination, importer and the safeguard relied on; declared mechanisms marked valid, INVALID or EXPIRED",
    ),
    ("transfer status", "Art. 30(1)(e)", "Worst status of the activity's transfers on the date (flowmap's judgement)"),
    ("retention", "Art. 30(1)(f)", "Envisaged time limits for erasure"),
    ("security measures", "Art. 30(1)(g)", "General description of technical and organisational measures"),
    ("engagements", "-", "The map's engagements behind the row (their evidence is in the map)"),
    ("as of", "-", "The date the record describes"),
)
HEADER = [f"{name} [{letter}]" if letter != "-" else name for name, letter, _ in COLUMNS]

TRANSFER_COLUMNS = (
    "activity",
    "controller",
    "importer",
    "importer id",
    "role",
    "destination",
    "regime",
    "safeguard relied on",
    "declared mechanisms (state on the date)",
    "status",
    "rules",
    "chain",
)


@dataclass(frozen=True)
class RopaTransfer:
    activity: str
    controller: str
    importer: str
    importer_id: str
    role: str
    destination: str
    regime: str
    relied_on: str
    declared: str
    status: Status
    rules: str
    chain: str

    def text(self) -> str:
        """One line of the activity's transfer section."""
        return (
            f"{self.destination} — {self.importer} ({self.role}) — relied on: {self.relied_on}; "
            f"declared: {self.declared}; {self.status.value}"
        )

    def row(self) -> list[str]:
        return [
            self.activity,
            self.controller,
            self.importer,
            self.importer_id,
            self.role,
            self.destination,
            self.regime,
            self.relied_on,
            self.declared,
            self.status.value,
            self.rules,
            self.chain,
        ]


@dataclass(frozen=True)
class Activity:
    id: str
    controller: str
    contact: str
    purposes: str
    categories: tuple[str, ...]
    recipients: tuple[str, ...]
    transfers: tuple[RopaTransfer, ...]
    retention: str
    engagements: tuple[str, ...]
    unjudged: str | None = None  # why no transfer was judged: no regime governs the controller's data

    @property
    def status(self) -> str:
        if self.unjudged:
            return "not judged"
        if not self.transfers:
            return "no third-country transfer"
        return worst_status([t.status for t in self.transfers]).value

    def row(self, day: date) -> list[str]:
        special = special_categories(self.categories)
        return [
            self.id,
            self.controller,
            self.contact,
            NOT_RECORDED,
            self.purposes,
            NOT_RECORDED,
            categories_text(self.categories),
            ", ".join(special) or "none recorded",
            "\n".join(self.recipients) or "none recorded",
            "\n".join(t.text() for t in self.transfers) or (self.unjudged or "none on this date"),
            self.status,
            self.retention,
            NOT_RECORDED,
            ", ".join(self.engagements),
            day.isoformat(),
        ]


@dataclass(frozen=True)
class Ropa:
    as_of: date
    activities: tuple[Activity, ...]
    disclaimer: str = NOT_LEGAL_ADVICE

    def rows(self) -> list[list[str]]:
        return [a.row(self.as_of) for a in self.activities]

    def transfer_rows(self) -> list[list[str]]:
        return [t.row() for a in self.activities for t in a.transfers]


def _role(reach: Reach) -> str:
    first = reach.path[0]
    if reach.depth == 1:
        return "independent controller" if first.role is Role.C2C else "processor"
    via = reach.path[-1].exporter
    return f"sub-processor via {via}"


def _where(edge: Edge) -> str:
    if edge.countries:
        return ", ".join(country_name(c) for c in edge.countries)
    return location_text(edge.location_scope)


def _activity(engine: Engine, client: str, purpose: str, edges: list[Edge], max_depth: int) -> Activity:
    tables, kb, day = engine.tables, engine.kb, engine.day
    org = tables.organizations.get(client)
    established = regime_of(org, kb, day) if org else None
    activity_id = f"{client}: {purpose}"
    models = [tables.model(e) for e in edges]
    purposes = "; ".join(dict.fromkeys(f"{m.service} — {m.purpose}" for m in models))
    categories: set[str] = set()
    for e in edges:
        categories.update(category_keys(e.categories))
    recipients: dict[str, str] = {}
    transfers: list[RopaTransfer] = []
    groups: dict[RegimeCode | None, list[Edge]] = {}
    for e in edges:
        groups.setdefault(established or e.regime, []).append(e)
    for regime, first in groups.items():
        for reach in Walk(engine.view, client, first, max_depth).reaches():
            importer = tables.organizations.get(reach.edge.importer)
            name = org_name(importer, reach.edge.importer)
            recipients.setdefault(
                f"{reach.edge.importer}|{_role(reach)}", f"{name} ({_role(reach)}; {_where(reach.edge)})"
            )
            if regime is None:
                continue
            for destination in destinations(reach.edge, engine.areas[regime]):
                t = engine.transfer(client, regime, destination, reach)
                transfers.append(_transfer(engine, activity_id, org_name(org, client), name, reach, t))
    return Activity(
        id=activity_id,
        controller=org_name(org, client),
        contact=org_contact(org),
        purposes=purposes,
        categories=tuple(sorted(categories)),
        recipients=tuple(recipients.values()),
        transfers=tuple(transfers),
        retention=retention_text(org.retention, categories) if org else NOT_RECORDED,
        engagements=tuple(e.key for e in edges),
        unjudged=_unjudged(org) if None in groups else None,
    )


def _unjudged(org: Organization | None) -> str:
    """No regime: say why, so an empty transfer section is not read as "no transfers"."""
    where = (
        f"is established in {country_name(org.country)}, outside the regimes flowmap applies"
        if org and org.country
        else f"has its country {NOT_RECORDED}"
    )
    return f"not judged: the controller {where}, and its engagements name no regime (e.g. GDPR Art. 3(2))"


def _transfer(engine: Engine, activity: str, controller: str, importer: str, reach: Reach, t: Transfer) -> RopaTransfer:
    destination = country_name(t.destination) if t.destination else location_text(reach.edge.location_scope)
    declared = declared_text(engine.kb, reach.edge.mechanisms, t.regime, engine.day)
    if reach.edge.tia_ref:
        declared += f"; TIA {reach.edge.tia_ref}"
    return RopaTransfer(
        activity=activity,
        controller=controller,
        importer=importer,
        importer_id=t.importer,
        role=_role(reach),
        destination=destination,
        regime=t.regime.value,
        relied_on=relied_on(engine.kb, t),
        declared=declared,
        status=t.status,
        rules=" ".join(sorted({f.rule.value for f in t.findings})),
        chain=" > ".join([t.client, *(h.importer for h in t.path)]),
    )


def build_ropa(
    tables: MapTables,
    day: date,
    kb: KnowledgeBase,
    *,
    clients: list[str] | None = None,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Ropa:
    """The record as of ``day``: every controller in force on the day (or only ``clients``), one row per
    purpose, in a stable order (controller, then purpose)."""
    engine = Engine(tables, day, kb, max_depth)
    activities = []
    for client in sorted(clients if clients is not None else engine.clients()):
        by_purpose: dict[str, list[Edge]] = {}
        for e in engine.view.first_hops(client):
            by_purpose.setdefault(tables.model(e).purpose, []).append(e)
        for purpose in sorted(by_purpose):
            activities.append(_activity(engine, client, purpose, by_purpose[purpose], max_depth))
    return Ropa(as_of=day, activities=tuple(activities))
