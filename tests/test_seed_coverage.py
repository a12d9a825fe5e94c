"""The seed map models the five statements in ../shared/seeds fact by fact, and it is in the graph.

The expected names and facts are listed here from reading the statements, not derived from the seed data,
so a seed file that drops a recipient or a claim makes this fail.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import FlowMap, LocationScope, Organization, RetentionBasis
from flowmap.ingest.seeds import load_seed_map
from flowmap.settings import Settings, StoreKind
from flowmap.store import open_store
from tests.conftest import SEEDS

SHARED_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

# Publishers: (a name they go by, country stated in the statement or None, registration stated or None)
PUBLISHERS = [
    ("Interaction Force", "BE", "0881.395.745"),
    ("Interactions, LLC", "US", None),
    ("Interact CX", None, None),
    ("INTERACTION|NEXT B.V.", "NL", None),
    ("VoiceKing CVBA", "BE", "0653.989.638"),
]
# Named recipients per publisher.
NAMED_RECIPIENTS = {
    "Interaction Force": ["Nixxis", "Amazon", "Maniterm", "Voxbone"],
    "Interactions, LLC": ["Google", "HubSpot", "JAMS"],
    "INTERACTION|NEXT B.V.": ["Leadinfo"],
}
# Unnamed classes of recipient per publisher, as a word their placeholder's recipient_class must contain.
UNNAMED_CLASSES = {
    "Interactions, LLC": ["analytics", "hosting", "crm", "marketing", "background", "recruit"],
    "Interact CX": ["hosting", "partner"],
    "INTERACTION|NEXT B.V.": ["hosting", "customer relationship|crm"],
    "VoiceKing CVBA": ["e-mail marketing|email marketing"],
}
# Laws and authorities each statement cites, as a pattern over the cited reference's name and aliases.
CITED = {
    "Interaction Force": ["2016/679|GDPR", "2003|PECR"],
    "Interactions, LLC": ["Privacy Shield", "CCPA|California Consumer Privacy Act"],
    "INTERACTION|NEXT B.V.": ["AVG", "Autoriteit Persoonsgegevens"],
    "VoiceKing CVBA": [
        "8 December 1992|1992-12-08|1992",
        "Privacy Commission|Privacycommissie|Commission for the Protection of Privacy",
    ],
}


@pytest.fixture(scope="module")
def seed_map() -> FlowMap:
    return load_seed_map(SEEDS)


@pytest.fixture(scope="module")
def graph(seed_map: FlowMap, tmp_path_factory: pytest.TempPathFactory) -> FlowMap:
    """The seed map as read back from a real embedded store."""

    async def write_and_read() -> FlowMap:
        store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=tmp_path_factory.mktemp("seed")))
        try:
            await store.write_map(seed_map)
            return await store.read_map()
        finally:
            await store.close()

    return asyncio.run(write_and_read())


def _find(graph: FlowMap, name: str) -> Organization:
    wanted = name.casefold()
    for org in graph.organizations:
        names = [org.name, org.legal_name or "", *org.aliases]
        if any(wanted == n.casefold() or wanted in n.casefold().split(" (")[0] for n in names if n):
            return org
    raise AssertionError(f"{name!r} is not an organisation in the graph")


def _recipients(graph: FlowMap, exporter: Organization) -> list[Organization]:
    ids = {e.importer for e in graph.engagements if e.exporter == exporter.id}
    return [o for o in graph.organizations if o.id in ids]


def test_every_publisher_is_in_the_graph_with_evidence(graph: FlowMap) -> None:
    for name, country, registration in PUBLISHERS:
        org = _find(graph, name)
        assert org.evidence, name
        assert org.country == country, name
        assert not org.unnamed and not org.fictional
        if registration:
            digits = re.sub(r"\D", "", registration)
            assert any(digits in re.sub(r"\D", "", r.value) for r in org.registrations), name


def test_every_named_recipient_is_engaged_with_evidence(graph: FlowMap) -> None:
    for publisher, names in NAMED_RECIPIENTS.items():
        recipients = _recipients(graph, _find(graph, publisher))
        for name in names:
            org = _find(graph, name)
            assert org in recipients, f"{publisher} does not engage {name}"
            assert org.evidence and not org.unnamed


def test_every_unnamed_class_is_a_placeholder(graph: FlowMap) -> None:
    for publisher, classes in UNNAMED_CLASSES.items():
        placeholders = [o for o in _recipients(graph, _find(graph, publisher)) if o.unnamed]
        for pattern in classes:
            assert any(
                re.search(pattern, (o.recipient_class or "") + " " + o.name, re.IGNORECASE) for o in placeholders
            ), f"{publisher}: no unnamed placeholder for {pattern!r}"
        assert all(o.evidence and o.recipient_class for o in placeholders)


def test_every_engagement_has_evidence_and_categories(graph: FlowMap) -> None:
    assert graph.engagements
    for e in graph.engagements:
        assert e.evidence and e.categories, e.key


def test_transfer_claims(graph: FlowMap) -> None:
    interactions = _find(graph, "Interactions, LLC")
    claimed = {c.framework for c in interactions.certifications}
    assert {MechanismCode.PRIVACY_SHIELD_EU_US, MechanismCode.PRIVACY_SHIELD_SWISS_US} <= claimed

    force = _find(graph, "Interaction Force")
    outgoing = [e for e in graph.engagements if e.exporter == force.id]
    assert outgoing and all(
        [m.code for m in e.mechanisms] == [MechanismCode.UNSPECIFIED]
        and e.location_scope is LocationScope.THIRD_COUNTRY_POSSIBLE
        for e in outgoing
    )

    voiceking = _find(graph, "VoiceKing CVBA")
    assert any(s.outside_eea.value == "none" for s in voiceking.transfer_statements)
    assert all(
        e.location_scope in (LocationScope.WITHIN_EU, LocationScope.WITHIN_EEA)
        for e in graph.engagements
        if e.exporter == voiceking.id
    )

    google = _find(graph, "Google")
    assert any(e.importer == google.id and e.countries == ["US"] for e in graph.engagements)


def test_retention_statements(graph: FlowMap) -> None:
    assert any(r.basis is RetentionBasis.INDEFINITE for r in _find(graph, "Interact CX").retention)
    force_periods = {r.period for r in _find(graph, "Interaction Force").retention}
    assert {"P6M", "P1Y"} <= force_periods
    assert any(r.period == "P3Y" for r in _find(graph, "VoiceKing CVBA").retention)


def test_cited_laws_and_authorities(graph: FlowMap) -> None:
    refs = {r.id: " ".join([r.name, r.reference or "", *r.aliases]) for r in graph.legal_references}
    for publisher, patterns in CITED.items():
        org = _find(graph, publisher)
        docs = [d for d in graph.documents if d.publisher == org.id]
        assert docs, f"no document published by {publisher}"
        cited = " | ".join(refs[c.ref] for d in docs for c in d.citations)
        for pattern in patterns:
            assert re.search(pattern, cited, re.IGNORECASE), f"{publisher} does not cite {pattern!r}"


def test_documents_carry_their_dates(graph: FlowMap) -> None:
    dated = {_find(graph, p).id: d for p, d in [("Interactions, LLC", "2020-05-04"),
             ("INTERACTION|NEXT B.V.", "2020-03-19"), ("VoiceKing CVBA", "2018-05-01")]}  # fmt: skip
    for doc in graph.documents:
        if doc.publisher in dated:
            assert str(doc.effective_date) == dated[doc.publisher]


def test_demo_portfolio_is_fictional_and_forms_chains(graph: FlowMap) -> None:
    clients = [o for o in graph.organizations if o.fictional]
    assert {"BE", "NL", "DE"} <= {o.country for o in clients}
    assert all(o.name.startswith("Demo:") for o in clients)
    real = {o.id for o in graph.organizations if not o.fictional}
    client_ids = {o.id for o in clients}
    first_hops = [e for e in graph.engagements if e.exporter in client_ids and e.importer in real]
    assert len({e.exporter for e in first_hops}) >= 3
    # at least one client -> processor -> sub-processor chain where categories survive narrowing
    chains = [
        (a, b)
        for a in first_hops
        for b in graph.engagements
        if b.exporter == a.importer and set(a.categories) & set(b.categories)
    ]
    assert chains


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_quotes_come_from_the_statements(seed_map: FlowMap) -> None:
    """Evidence quotes are short and verbatim (whitespace aside) from the source document."""
    texts = {}
    for doc in seed_map.documents:
        if doc.source_file:
            raw = (SHARED_SEEDS / Path(doc.source_file).name).read_text(encoding="utf-8")
            texts[doc.id] = " ".join(raw.split())
    checked = 0
    for org in seed_map.organizations:
        for ev in org.evidence:
            if ev.document in texts:
                assert " ".join(ev.quote.split()) in texts[ev.document], (org.id, ev.quote)
                checked += 1
    for eng in seed_map.engagements:
        for ev in eng.evidence:
            if ev.document in texts:
                assert " ".join(ev.quote.split()) in texts[ev.document], (eng.key, ev.quote)
                checked += 1
    assert checked > 20
