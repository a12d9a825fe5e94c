"""Reference data and the map's entities over GraphQL: countries on a date, mechanisms, taxonomy, organisations."""

from __future__ import annotations

import pytest

from tests.api.conftest import Api

US_ADEQUACY = """query ($asOf: Date) {
  country(code: "US") { name adequacy(asOf: $asOf, regime: EU_GDPR) { level decisions { id framework validUntil sources } } }
}"""


@pytest.mark.parametrize(
    ("as_of", "level", "decision"),
    [
        ("2015-10-05", "PARTIAL", "eu.us.safe-harbor"),
        ("2015-10-06", "NONE", None),  # Schrems I
        ("2020-07-15", "PARTIAL", "eu.us.privacy-shield"),
        ("2020-07-16", "NONE", None),  # Schrems II
        ("2023-07-10", "PARTIAL", "eu.us.dpf"),
    ],
)
async def test_us_adequacy_follows_the_dates(api: Api, as_of: str, level: str, decision: str | None) -> None:
    (status,) = (await api.data(US_ADEQUACY, {"asOf": as_of}))["country"]["adequacy"]
    assert status["level"] == level
    assert [d["id"] for d in status["decisions"]] == ([decision] if decision else [])
    assert all(d["sources"] for d in status["decisions"])  # every decision is cited


async def test_regime_membership_on_a_date(api: Api) -> None:
    query = """{
      before: country(code: "GB") { regimes(asOf: "2020-12-31") }
      after: country(code: "GB") { regimes(asOf: "2021-01-01") adequacy(asOf: "2021-07-01", regime: EU_GDPR) { level } }
      de: country(code: "DE") { adequacy(regime: EU_GDPR) { level } }
      ch: country(code: "CH") { adequacy(regime: EU_GDPR) { level } }
    }"""
    data = await api.data(query)
    assert "EU_GDPR" in data["before"]["regimes"] and "EU_GDPR" not in data["after"]["regimes"]
    assert data["after"]["adequacy"] == [{"level": "ADEQUATE"}]
    assert data["de"]["adequacy"] == [{"level": "AREA"}] and data["ch"]["adequacy"] == [{"level": "ADEQUATE"}]


async def test_a_bad_country_code_names_the_argument(api: Api) -> None:
    body = (await api.post('{ country(code: "UK") { name } }')).json()
    assert body["errors"][0]["extensions"]["field"] == "code" and "'GB'" in body["errors"][0]["message"]


async def test_countries_search(api: Api) -> None:
    data = await api.data('{ countries(search: "nether") { code } all: countries { code } }')
    assert data["countries"] == [{"code": "NL"}] and len(data["all"]) == 249


async def test_mechanism_windows_and_validity(api: Api) -> None:
    query = """{ mechanisms(kind: FRAMEWORK) {
        code name sources windows { regime validUntil endedBy sources }
        then: validity(asOf: "2020-07-15") { valid }
        now: validity { valid }
    } }"""
    by_code = {m["code"]: m for m in (await api.data(query))["mechanisms"]}
    shield = by_code["PRIVACY_SHIELD_EU_US"]
    assert shield["then"] == {"valid": True} and shield["now"] == {"valid": False}
    assert any("C-311/18" in (w["endedBy"] or "") for w in shield["windows"])
    assert by_code["DPF_EU_US"]["now"] == {"valid": True}
    assert all(m["sources"] and all(w["sources"] for w in m["windows"]) for m in by_code.values())


async def test_taxonomy_tree(api: Api) -> None:
    query = """{
      roots: dataCategories { key children { key } }
      flat: dataCategories(flat: true) { key special parent { key } }
    }"""
    data = await api.data(query)
    assert "user" in [r["key"] for r in data["roots"]] and all(
        r["children"] for r in data["roots"] if r["key"] == "user"
    )
    flat = {c["key"]: c for c in data["flat"]}
    assert len(flat) == 85
    assert (
        flat["user.health_and_medical"]["special"] == "ART9"
        and flat["user.contact.email"]["parent"]["key"] == "user.contact"
    )


async def test_organizations_search_filter_and_page(api: Api) -> None:
    query = """query ($search: String, $country: String, $role: OrganizationRole, $first: Int) {
      organizations(search: $search, country: $country, role: $role, first: $first) {
        totalCount pageInfo { hasNextPage } edges { node { id roles country { code } } }
      }
    }"""
    found = (await api.data(query, {"search": "INTERACT"}))["organizations"]
    assert {"interactions", "interact-cx", "interaction-force"} <= {e["node"]["id"] for e in found["edges"]}
    us = (await api.data(query, {"country": "US"}))["organizations"]["edges"]
    assert us and all(e["node"]["country"]["code"] == "US" for e in us)
    clients = (await api.data(query, {"role": "CLIENT", "first": 2}))["organizations"]
    assert clients["totalCount"] > 2 and clients["pageInfo"]["hasNextPage"] and len(clients["edges"]) == 2
    assert all("CLIENT" in e["node"]["roles"] for e in clients["edges"])


async def test_organization_profile(api: Api) -> None:
    query = """{ organization(id: "demo.nimbus-cloud") {
        name roles dpfCertified locations { code } certifications { framework status }
        evidence { document { id } quote }
        engagementsIn { totalCount edges { node { exporter { id } active countries { code } } } }
        engagementsOut { totalCount }
    } }"""
    org = (await api.data(query))["organization"]
    assert org["dpfCertified"] is True and "PROCESSOR" in org["roles"]
    assert "US" in [c["code"] for c in org["locations"]]
    assert org["engagementsIn"]["totalCount"] == 2 and org["engagementsOut"]["totalCount"] == 0
    assert org["evidence"][0]["document"]["id"]
