"""Maintaining the map over GraphQL: each mutation validated, atomic, audited; bad input names its field."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import EVIDENCE, NEW_ENGAGEMENT, Api

UPSERT_ENGAGEMENT = """mutation ($input: EngagementInput!) {
  upsertEngagement(input: $input) {
    id locationScope validFrom exporter { id } importer { id } countries { code }
    mechanisms { code module signedOn mechanism { name } }
  }
}"""
UPSERT_ORG = "mutation ($input: OrganizationInput!) { upsertOrganization(input: $input) { id name country { code } } }"
TRANSFERS_TO_GOOGLE = """query ($asOf: Date) {
  transfers(asOf: $asOf, clientId: "demo.client-be", importerId: "google") {
    totalCount edges { node { status basis { code } findings { rule } } }
  }
}"""


async def _error(api: Api, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """The single error of a refused mutation, after checking it changed nothing."""
    before = await api.state()
    response = await api.post(query, variables)
    body = response.json()
    assert response.status_code == 200 and body["data"] is None, body
    assert await api.state() == before
    (error,) = body["errors"]
    return dict(error)


async def _audit(api: Api) -> dict[str, Any]:
    data = await api.data(
        "{ auditLog(first: 1) { totalCount edges { node { revision operation target before after } } } }"
    )
    return dict(data["auditLog"]["edges"][0]["node"])


async def test_upsert_engagement_creates_audits_and_is_judged(api: Api) -> None:
    revision = await api.store.revision()
    saved = (await api.data(UPSERT_ENGAGEMENT, {"input": NEW_ENGAGEMENT}))["upsertEngagement"]
    assert saved["id"] == "demo.client-be>google" and saved["locationScope"] == "STATED"
    assert saved["mechanisms"] == [
        {
            "code": "SCC_2021",
            "module": 2,
            "signedOn": "2024-03-01",
            "mechanism": {"name": saved["mechanisms"][0]["mechanism"]["name"]},
        }
    ]
    entry = await _audit(api)
    assert entry["revision"] == revision + 1 and entry["operation"] == "upsertEngagement" and entry["before"] is None
    assert entry["after"]["importer"] == "google" and entry["after"]["countries"] == ["US"]
    transfers = (await api.data(TRANSFERS_TO_GOOGLE))["transfers"]
    assert transfers["totalCount"] == 1
    node = transfers["edges"][0]["node"]
    assert node["basis"]["code"] == "SCC_2021" and {"rule": "TIA_MISSING"} in node["findings"]


async def test_record_tia_clears_the_finding(api: Api) -> None:
    await api.data(UPSERT_ENGAGEMENT, {"input": NEW_ENGAGEMENT})
    data = await api.data(
        'mutation { recordTia(engagementId: "demo.client-be>google", reference: "TIA-7") { tiaRef } }'
    )
    assert data["recordTia"]["tiaRef"] == "TIA-7"
    node = (await api.data(TRANSFERS_TO_GOOGLE))["transfers"]["edges"][0]["node"]
    assert {"rule": "TIA_MISSING"} not in node["findings"]
    entry = await _audit(api)
    assert entry["before"].get("tia_ref") is None and entry["after"]["tia_ref"] == "TIA-7"


async def test_retire_keeps_history(api: Api) -> None:
    await api.data(UPSERT_ENGAGEMENT, {"input": NEW_ENGAGEMENT})
    retired = await api.data(
        'mutation { retireEngagement(id: "demo.client-be>google", validTo: "2025-06-30") { validTo active(asOf: "2025-07-01") } }'
    )
    assert retired["retireEngagement"] == {"validTo": "2025-06-30", "active": False}
    assert (await api.data(TRANSFERS_TO_GOOGLE, {"asOf": "2025-06-30"}))["transfers"]["totalCount"] == 1
    assert (await api.data(TRANSFERS_TO_GOOGLE, {"asOf": "2025-07-01"}))["transfers"]["totalCount"] == 0
    history = await api.data('{ organization(id: "google") { engagementsIn { totalCount } } }')
    assert history["organization"]["engagementsIn"]["totalCount"] >= 2  # the retired one is still there


async def test_retire_before_start_is_refused_with_the_field(api: Api) -> None:
    await api.data(UPSERT_ENGAGEMENT, {"input": NEW_ENGAGEMENT})
    error = await _error(
        api, 'mutation { retireEngagement(id: "demo.client-be>google", validTo: "2020-01-01") { id } }', {}
    )
    assert error["extensions"]["code"] == "VALIDATION_FAILED" and error["extensions"]["field"] == "validTo"
    assert "before valid_from" in error["message"]


async def test_dpf_status_changes_the_judgement(api: Api) -> None:
    query = """mutation ($input: DpfStatusInput!) {
      recordDpfStatus(organizationId: "demo.nimbus-cloud", input: $input) { dpfCertified certifications { status } }
    }"""
    status = {"status": "INACTIVE", "checkedOn": "2026-11-01", "evidence": [EVIDENCE]}
    data = await api.data(query, {"input": status})
    assert data["recordDpfStatus"]["dpfCertified"] is False
    flows = await api.data(
        '{ transfers(clientId: "demo.client-nl", importerId: "demo.nimbus-cloud") { edges { node { status } } } }'
    )
    assert [e["node"]["status"] for e in flows["transfers"]["edges"]] == ["NON_COMPLIANT"]


async def test_attach_evidence_appends_once(api: Api) -> None:
    query = """mutation ($e: EvidenceInput!) {
      attachEvidence(target: ORGANIZATION, targetId: "google", evidence: $e) { ... on Organization { evidence { quote } } }
    }"""
    first = await api.data(query, {"e": EVIDENCE})
    second = await api.data(query, {"e": EVIDENCE})
    quotes = [e["quote"] for e in second["attachEvidence"]["evidence"]]
    assert quotes.count(EVIDENCE["quote"]) == 1 and first == second


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"countries": ["XX"]}, "input.countries[0]", "unknown country code 'XX'"),
        ({"countries": ["UK"]}, "input.countries[0]", "'GB'"),
        ({"categories": ["user.contact.nonsense"]}, "input.categories[0]", "unknown data category"),
        ({"importer": "nobody-here"}, "input.importer", "not an organisation"),
        ({"evidence": [{**EVIDENCE, "document": "doc.missing"}]}, "input.evidence[0].document", "not a known document"),
        ({"mechanisms": [{"code": "SCC_2010", "module": 2}]}, "input.mechanisms[0]", "only meaningful for SCC_2021"),
        ({"validTo": "2020-01-01"}, "input", "before valid_from"),
        ({"service": "x" * 3000}, "input.service", "at most 2000 characters"),
        ({"locationScope": "STATED", "countries": []}, "input", "needs at least one country"),
    ],
)
async def test_bad_engagements_name_the_field_and_write_nothing(
    api: Api, change: dict[str, Any], field: str, words: str
) -> None:
    error = await _error(api, UPSERT_ENGAGEMENT, {"input": {**NEW_ENGAGEMENT, **change}})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert error["extensions"]["field"] == field, error
    assert words in error["message"], error["message"]


async def test_unknown_engagement_is_not_found(api: Api) -> None:
    error = await _error(api, 'mutation { recordTia(engagementId: "no>such", reference: "r") { id } }', {})
    assert error["extensions"] == {"code": "NOT_FOUND", "field": "engagementId"}


HOSTILE = [
    "x'}) DETACH DELETE n //",
    '"; MATCH (n) DETACH DELETE n; //',
    "Robert'); DROP TABLE Organization;--",
    "\u202eevil\u202c name with RTL override",
    "名前 🚀 Ünïcödé",
    "back\\slash and $param and {braces}",
]


@pytest.mark.parametrize("name", HOSTILE)
async def test_hostile_names_are_stored_verbatim_and_touch_nothing_else(api: Api, name: str) -> None:
    before = await api.store.read_map()
    org = {"id": "hostile.org", "name": name, "evidence": [EVIDENCE], "aliases": [name]}
    saved = (await api.data(UPSERT_ORG, {"input": org}))["upsertOrganization"]
    assert saved["name"] == name
    after = await api.store.read_map()
    assert [o for o in after.organizations if o.id != "hostile.org"] == before.organizations
    assert after.engagements == before.engagements and after.documents == before.documents
    stored = next(o for o in after.organizations if o.id == "hostile.org")
    assert stored.name == name and stored.aliases == [name]


@pytest.mark.parametrize(
    ("org", "field"),
    [
        ({"id": "big.org", "name": "x" * 1_000_000}, "input.name"),
        ({"id": "x'}) DETACH DELETE n //", "name": "fine"}, "input.id"),
        ({"id": "nul.org", "name": "a\x00b"}, "input.name"),
        ({"id": "ok.org", "name": "fine", "country": "ZZ"}, "input.country"),
        ({"id": "ok.org", "name": "fine", "parent": "ghost"}, "input.parent"),
    ],
)
async def test_hostile_organizations_are_rejected_clearly(api: Api, org: dict[str, Any], field: str) -> None:
    error = await _error(api, UPSERT_ORG, {"input": {**org, "evidence": [EVIDENCE]}})
    assert error["extensions"]["code"] == "VALIDATION_FAILED" and error["extensions"]["field"] == field, error
    assert len(error["message"]) < 1000  # a 1 MB value is named, not echoed
