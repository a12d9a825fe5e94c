"""After this process's own edits the API derives the next map snapshot in memory instead of re-reading the store
(1.5 s at 110k engagements, on every write): the answers must be exactly those of a fresh read."""

from __future__ import annotations

from datetime import date
from typing import Any

from flowmap.domain.assess import assess
from flowmap.law import load_knowledge_base
from flowmap.service.assessments import AssessmentKey, Assessor
from flowmap.service.snapshot import SnapshotCache
from flowmap.store import GraphStore
from tests.api.conftest import EVIDENCE, NEW_ENGAGEMENT, Api, serve

QUESTIONS = """{
  transfers(first: 100) { totalCount nodes { id status client { id } importer { id } basis { code }
                          path { engagement { id version tiaRef validTo } } findings { rule } } }
  exposure { destination { code } transferCount worstStatus }
  findings(first: 100) { totalCount nodes { rule severity subject } }
  organizations(first: 100) { totalCount nodes { id name roles dpfCertified
                              engagementsOut(first: 100) { edges { node { id version validTo tiaRef } } } } }
}"""


async def _edit(api: Api) -> None:
    new = NEW_ENGAGEMENT
    edits: list[tuple[str, dict[str, Any]]] = [
        ("mutation ($i: EngagementInput!) { upsertEngagement(input: $i) { id } }", {"i": new}),
        ('mutation { recordTia(engagementId: "demo.client-be>google", reference: "TIA-1") { id } }', {}),
        ('mutation { retireEngagement(id: "demo.client-be>demo.nimbus-cloud", validTo: "2025-01-31") { id } }', {}),
        (
            """mutation ($s: DpfStatusInput!) { recordDpfStatus(organizationId: "demo.nimbus-cloud", input: $s) { id } }""",
            {"s": {"status": "INACTIVE", "checkedOn": "2026-11-01", "evidence": [EVIDENCE]}},
        ),
        ("mutation ($i: EngagementInput!) { upsertEngagement(input: $i) { id } }", {"i": {**new, "countries": ["IN"]}}),
    ]
    for query, variables in edits:
        await api.data(query, variables)
        await api.data(QUESTIONS)  # asked between edits too, so each derived snapshot is used


async def test_derived_snapshots_answer_as_a_fresh_read(seeded: GraphStore) -> None:
    async with serve(seeded) as api:
        await api.data(QUESTIONS)
        await _edit(api)
        derived = await api.data(QUESTIONS)
        snapshots = api.http._transport.app.state.services.snapshots  # type: ignore[attr-defined]
        assert snapshots.loads == 1 and snapshots.derived == 5  # never re-read after its own edits
        assessor = api.http._transport.app.state.services.assessor  # type: ignore[attr-defined]
        assert assessor.carried > 0  # some clients' answers were carried over the edits, not judged again
        assert assessor.rejudged > 0  # the TIA's client patched, not walked again
        assert (assessor.built, assessor.patched) == (1, 5)  # the map's findings judged once, then patched
    async with serve(seeded) as fresh:  # a new app reads the store from scratch
        assert await fresh.data(QUESTIONS) == derived


async def test_the_whole_map_is_its_clients_put_together(seeded: GraphStore) -> None:
    """The API composes the whole map's assessment of its clients' (so an edit re-judges only the clients it can
    touch): it must be exactly what the engine gives for the whole map, transfers and findings in order."""
    snapshot = await SnapshotCache(seeded).current()
    kb = load_knowledge_base()
    assessor = Assessor(kb, 8)
    for day in (date(2020, 7, 15), date(2024, 1, 1), date.today()):
        composed = await assessor.assessment(snapshot, AssessmentKey(day))
        assert composed.to_json() == assess(snapshot.tables, day, kb, max_depth=8).to_json()
        assert composed.transfers and composed.findings


async def test_findings_about_one_organization_are_the_whole_maps_filtered(api: Api) -> None:
    """``findings(organizationId)`` reads only the organisation's subjects of the map's findings index: for every
    organisation of the map the answer must be the whole map's findings (``assess``) filtered to it."""
    query = "query ($o: ID) { findings(organizationId: $o, first: 100) { totalCount nodes { rule severity subject message } } }"
    orgs = [
        n["id"] for n in (await api.data("{ organizations(first: 100) { nodes { id } } }"))["organizations"]["nodes"]
    ]
    scoped = {o: (await api.data(query, {"o": o}))["findings"] for o in orgs}  # before the whole map is cached
    snapshot = await SnapshotCache(api.store).current()
    everything = assess(snapshot.tables, date.today(), load_knowledge_base(), max_depth=8).findings
    for org in orgs:
        t = snapshot.tables
        subjects = (
            {f"organization:{org}"}
            | {f"engagement:{e.key}" for e in [*t.outgoing.get(org, []), *t.incoming.get(org, [])]}
            | {f"document:{d.id}" for d in t.documents.values() if d.publisher == org}
        )
        expected = [
            {"rule": f.rule.value, "severity": f.severity.name, "subject": f.subject, "message": f.message}
            for f in everything
            if f.subject in subjects
        ]
        assert scoped[org]["totalCount"] == len(expected) and scoped[org]["nodes"] == expected[:100], org
    assert any(s["totalCount"] for s in scoped.values())
