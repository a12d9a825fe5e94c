"""vendorCheck over GraphQL: procurement's role, documents or facts in, a report out, and the map untouched."""

from __future__ import annotations

import base64

import pytest

from tests.api.conftest import EDITOR, PROCUREMENT, VIEWER, Api

POLICY = (
    "Acme Cloud, Inc. is a company based in the United States. We use Amazon Web Services to host the service in "
    "the United States. Acme complies with the EU-U.S. Privacy Shield Framework. We collect your email address."
)
QUERY = """query ($input: VendorCheckInput!) {
  vendorCheck(input: $input) {
    disclaimer
    vendor { id name }
    client { id }
    facts { kind value span { start end quote } }
    transfers { client { id } importer { id name } destination { code } status findings { rule } path { engagement { id } } }
    findings { rule subject }
    questionnaire { question reason }
  }
}"""


async def test_procurement_checks_a_policy_and_nothing_is_written(secured: Api) -> None:
    before = await secured.state()
    data = await secured.data(
        QUERY,
        {"input": {"documents": [{"name": "policy.txt", "text": POLICY}], "clientId": "demo.client-be"}},
        token=PROCUREMENT,
    )
    check = data["vendorCheck"]
    assert check["client"]["id"] == "demo.client-be"
    assert any(f["kind"] == "MECHANISM" and f["value"] == "PRIVACY_SHIELD_EU_US" for f in check["facts"])
    for f in check["facts"]:
        assert POLICY[f["span"]["start"] : f["span"]["end"]] == f["span"]["quote"]
    statuses = {t["status"] for t in check["transfers"]}
    assert "NON_COMPLIANT" in statuses
    assert any("transfer mechanism you use now" in q["question"] for q in check["questionnaire"])
    assert await secured.state() == before


async def test_structured_facts_are_accepted(api: Api) -> None:
    facts = [
        {"kind": "ORGANIZATION", "value": "Beta BV", "quote": "Beta BV, Amsterdam", "detail": {"country": "NL"}},
        {
            "kind": "RECIPIENT",
            "value": "Gamma Hosting",
            "quote": "hosted by Gamma Hosting in Singapore",
            "detail": {"country": "SG"},
        },
    ]
    check = (await api.data(QUERY, {"input": {"facts": facts}}))["vendorCheck"]
    assert check["vendor"]["name"] == "Beta BV" and check["client"]["id"] == "candidate.client"
    assert [t["destination"]["code"] for t in check["transfers"]] == ["SG"]
    assert any(q["reason"] == "MISSING_MECHANISM" for q in check["questionnaire"])


@pytest.mark.parametrize("token", [VIEWER])
async def test_viewers_may_not_run_vendor_checks(secured: Api, token: str) -> None:
    response = await secured.post(QUERY, {"input": {"facts": []}}, token=token)
    assert response.status_code == 403


async def test_editors_may(secured: Api) -> None:
    data = await secured.data(QUERY, {"input": {"documents": [{"name": "p.txt", "text": POLICY}]}}, token=EDITOR)
    assert data["vendorCheck"]["vendor"]["name"]


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"name": "a.pdf", "base64": "!!!"}, "input.documents[0].base64"),
        ({"name": "a.txt"}, "input.documents[0]"),
        ({"name": "a.txt", "text": "", "base64": base64.b64encode(b"x").decode()}, "input.documents[0]"),
    ],
)
async def test_bad_documents_name_the_field(api: Api, document: dict[str, str], field: str) -> None:
    body = (await api.post(QUERY, {"input": {"documents": [document]}})).json()
    assert body["errors"][0]["extensions"]["field"] == field


async def test_unreadable_documents_are_intake_errors(api: Api) -> None:
    body = (await api.post(QUERY, {"input": {"documents": [{"name": "empty.txt", "text": "   "}]}})).json()
    assert body["errors"][0]["extensions"]["code"] == "INTAKE_FAILED" and "empty.txt" in body["errors"][0]["message"]
