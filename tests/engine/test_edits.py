"""An edit patches the map (its indexes, tallies, day views) and the map's findings instead of rebuilding them: after
any sequence of edits, both must be exactly what a fresh build from the edited map gives."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from bench.ecosystem import SYNTHETIC_DOCUMENT, Size, read_bulk, write_bulk
from flowmap.domain.assess import Engine, assess, rejudged
from flowmap.domain.document_rules import map_document_findings
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.map_findings import MapFindings
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import (
    Certification,
    CertificationStatus,
    DeclaredMechanism,
    Engagement,
    Evidence,
    FlowMap,
    Organization,
    Role,
)
from flowmap.domain.tables import MapTables
from flowmap.law import load_knowledge_base
from flowmap.service.snapshot import MapSnapshot

DAY = date(2025, 6, 1)
EDITS = 40


@pytest.fixture(scope="module")
def flow_map(tmp_path_factory: pytest.TempPathFactory) -> FlowMap:
    directory: Path = tmp_path_factory.mktemp("eco")
    write_bulk(directory, Size(clients=12, processors=200, engagements=1_600), seed=11)
    m = read_bulk(directory)
    # in key order, as a read from the store gives them (a derived map keeps every list in that order)
    return m.model_copy(update={"engagements": sorted(m.engagements, key=lambda e: e.key)})


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


def _edited(rng: random.Random, m: FlowMap, engagement: Engagement) -> Engagement:
    """One of the edits the API makes, or a wider one (countries, categories, role)."""
    kind = rng.randrange(6)
    if kind == 0:
        update: dict[str, object] = {"tia_ref": f"TIA-{rng.randrange(1000)}"}
    elif kind == 1:
        ends = DAY if engagement.valid_from is None or engagement.valid_from <= DAY else engagement.valid_from
        update = {"valid_to": ends if rng.random() < 0.5 else None}  # retired on the day (its last), or reopened
    elif kind == 2:
        update = {"mechanisms": [] if engagement.mechanisms else [DeclaredMechanism(code=MechanismCode.SCC_2021)]}
    elif kind == 3:
        update = {"countries": rng.sample(["US", "IN", "CH", "JP", "DE", "BR"], 2), "location_scope": None}
    elif kind == 4:
        update = {"categories": rng.sample(["user.contact.email", "user.health_and_medical", "user.financial"], 2)}
    else:
        update = {"role": rng.choice([Role.C2P, Role.P2P, Role.C2C])}
    return Engagement.model_validate(engagement.model_dump() | update)


def _new_engagement(rng: random.Random, m: FlowMap) -> Engagement:
    """A new engagement between organisations of the map (a new key, or an existing one replaced)."""
    a, b = rng.sample([o.id for o in m.organizations], 2)
    template = rng.choice(m.engagements)
    return Engagement.model_validate(template.model_dump() | {"id": None, "exporter": a, "importer": b})


def _recertified(rng: random.Random, org: Organization) -> Organization:
    status = rng.choice(list(CertificationStatus))
    others = [c for c in org.certifications if c.framework is not MechanismCode.DPF_EU_US]
    evidence = [Evidence(document=SYNTHETIC_DOCUMENT.id, quote="listed")]
    certification = Certification(framework=MechanismCode.DPF_EU_US, status=status, evidence=evidence)
    return org.model_copy(update={"certifications": [*others, certification]})


def _replaced(m: FlowMap, engagement: Engagement | None = None, org: Organization | None = None) -> FlowMap:
    engagements = {e.key: e for e in m.engagements}
    if engagement is not None:
        engagements[engagement.key] = engagement
    organizations = {o.id: o for o in m.organizations}
    if org is not None:
        organizations[org.id] = org
    return m.model_copy(
        update={
            "engagements": sorted(engagements.values(), key=lambda e: e.key),
            "organizations": list(organizations.values()),
        }
    )


def _shape(t: MapTables) -> dict[str, object]:
    """Everything a map's indexes say, by key."""

    def keys(index: dict[str, list]) -> dict[str, list[str]]:  # type: ignore[type-arg]
        return {o: [e.key for e in es] for o, es in sorted(index.items())}

    return {
        "edges": [e.key for e in t.edges],
        "by key": sorted(t.edge_by_key),
        "outgoing": keys(t.outgoing),
        "incoming": keys(t.incoming),
        "first hops": keys(t.first_hops),
        "onward": keys(t.onward),
        "organizations": sorted(t.organizations),
    }


def _edits(flow_map: FlowMap, seed: int, start: MapTables | None = None) -> Iterator[tuple[FlowMap, MapSnapshot]]:
    """A run of random edits, each as the edited map (to build fresh) and the snapshot derived edit by edit from
    ``start`` (lazily: what the caller caches on one map, such as its day views, carries into the next)."""
    rng = random.Random(seed)
    m, snapshot = flow_map, MapSnapshot(0, start or MapTables.from_map(flow_map))
    listed = sorted(
        {
            e.importer
            for e in m.engagements
            if "US" in e.countries and any(d.code is MechanismCode.DPF_EU_US for d in e.mechanisms)
        }
    )
    for revision in range(1, EDITS + 1):
        roll = rng.random()
        if roll < 0.2:  # an importer of US transfers under the DPF, whose listing the verdicts read
            org = _recertified(rng, snapshot.tables.organizations[rng.choice(listed)])
            m, snapshot = _replaced(m, org=org), snapshot.with_organization(revision, org)
        else:
            e = _new_engagement(rng, m) if roll < 0.35 else _edited(rng, m, rng.choice(m.engagements))
            m, snapshot = _replaced(m, engagement=e), snapshot.with_engagement(revision, e, revision)
        yield m, snapshot


@pytest.mark.parametrize("seed", [1, 2])
def test_a_derived_map_is_the_edited_map_built_fresh(flow_map: FlowMap, kb: KnowledgeBase, seed: int) -> None:
    start = MapTables.from_map(flow_map)
    start.on(DAY).clients()  # a day view to carry over
    map_document_findings(start, kb, DAY)  # and a tally to patch
    previous, retermed = start, 0
    for m, snapshot in _edits(flow_map, seed, start):
        fresh = MapTables.from_map(m)
        derived = snapshot.tables
        assert _shape(derived) == _shape(fresh)
        assert [derived.model(e) for e in derived.edges] == [fresh.model(e) for e in fresh.edges]
        assert map_document_findings(derived, kb, DAY) == map_document_findings(fresh, kb, DAY)
        assert assess(derived, DAY, kb).to_json() == assess(fresh, DAY, kb).to_json()
        if snapshot.retermed is not None:  # the clients' assessments patched, not walked: as if computed afresh
            engine = Engine(derived, DAY, kb)
            for client in snapshot.affected:
                patched = rejudged(assess(previous, DAY, kb, clients=[client]), engine, *snapshot.retermed)
                assert patched.to_json() == assess(fresh, DAY, kb, clients=[client]).to_json()
            retermed += 1
        previous = derived
    assert retermed >= 5


@pytest.mark.parametrize("seed", [3, 4])
def test_the_maps_findings_patched_per_edit_are_the_whole_maps(flow_map: FlowMap, kb: KnowledgeBase, seed: int) -> None:
    index = MapFindings(Engine(MapTables.from_map(flow_map), DAY, kb))
    assert index.view.all == assess(MapTables.from_map(flow_map), DAY, kb).findings
    patched = 0
    for m, snapshot in _edits(flow_map, seed):
        view = index.advance(snapshot.tables, snapshot.affected, snapshot.changed_organizations, snapshot.retermed)
        whole = assess(MapTables.from_map(m), DAY, kb).findings
        assert view.all == whole
        subjects = {f.subject for f in whole[::7]}
        assert view.about(subjects) == tuple(f for f in whole if f.subject in subjects)
        patched += len(snapshot.affected) < len(snapshot.tables.on(DAY).clients())
    assert patched > EDITS // 2  # most edits touched only some clients: the patch, not a rebuild, was tested


def test_a_view_does_not_change_after_the_next_edit(flow_map: FlowMap, kb: KnowledgeBase) -> None:
    index = MapFindings(Engine(MapTables.from_map(flow_map), DAY, kb))
    edits = list(_edits(flow_map, 5))
    views = [index.view]
    for _, snapshot in edits[:10]:
        views.append(
            index.advance(snapshot.tables, snapshot.affected, snapshot.changed_organizations, snapshot.retermed)
        )
    frozen = [{s: set(found) for s, found in v.by_subject.items()} for v in views]
    for _, snapshot in edits[10:]:
        index.advance(snapshot.tables, snapshot.affected, snapshot.changed_organizations, snapshot.retermed)
    assert [{s: set(found) for s, found in v.by_subject.items()} for v in views] == frozen
    assert frozen[0] != {s: set(found) for s, found in index.view.by_subject.items()}  # the edits changed some
