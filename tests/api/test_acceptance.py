"""Issue 3's acceptance points, asked through GraphQL over HTTP on the seed map."""

from __future__ import annotations

from datetime import date

from tests.api.conftest import Api

TRANSFER_FIELDS = """
  edges { node {
    id status basisKind basisReference
    client { id name } importer { id name country { code } }
    destination { code name }
    basis { code name windows { regime validUntil } }
    path { engagement { id } exporter { id } importer { id } role mechanisms }
    dataCategories { key }
    findings { rule severity message citation remediation subject }
  } }
  totalCount
"""


async def _privacy_shield(api: Api, as_of: str | None) -> list[dict]:  # type: ignore[type-arg]
    query = f"""query ($asOf: Date) {{
      transfers(asOf: $asOf, importerId: "interactions", mechanism: [PRIVACY_SHIELD_EU_US]) {{ {TRANSFER_FIELDS} }}
    }}"""
    data = await api.data(query, {"asOf": as_of})
    return [e["node"] for e in data["transfers"]["edges"]]


async def test_privacy_shield_flows_are_non_compliant_today(api: Api) -> None:
    flows = await _privacy_shield(api, None)  # asOf defaults to today
    assert flows
    for t in flows:
        assert t["status"] == "NON_COMPLIANT"
        assert t["importer"]["id"] == "interactions" and t["destination"]["code"] == "US"
        invalidated = [f for f in t["findings"] if f["rule"] == "INVALIDATED_MECHANISM"]
        assert invalidated and any("C-311/18" in f["citation"] for f in invalidated)


async def test_privacy_shield_flows_were_compliant_on_2020_07_15(api: Api) -> None:
    flows = await _privacy_shield(api, "2020-07-15")
    assert flows
    for t in flows:
        assert t["status"] == "COMPLIANT" and t["basisKind"] == "MECHANISM"
        assert t["basis"]["code"] == "PRIVACY_SHIELD_EU_US"
        assert {"regime": "EU_GDPR", "validUntil": "2020-07-15"} in t["basis"]["windows"]


async def test_voiceking_outdated_references_and_no_transfers(api: Api) -> None:
    data = await api.data(
        """{
          findings(rule: [OUTDATED_LEGAL_REFERENCE], organizationId: "voiceking", first: 100) {
            totalCount edges { node { rule severity message subject citation } }
          }
          transfers(importerId: "voiceking") { totalCount }
        }"""
    )
    findings = [e["node"] for e in data["findings"]["edges"]]
    text = " ".join(f["message"] for f in findings)
    assert "1992" in text and "Commission" in text, text
    assert all("voiceking" in f["subject"] for f in findings)
    assert data["transfers"]["totalCount"] == 0


async def test_interact_cx_indefinite_retention(api: Api) -> None:
    data = await api.data(
        """{ findings(rule: [INDEFINITE_RETENTION], organizationId: "interact-cx") {
              edges { node { subject severity } } } }"""
    )
    assert "organization:interact-cx" in [e["node"]["subject"] for e in data["findings"]["edges"]]


async def test_dpf_what_if(api: Api) -> None:
    data = await api.data(
        """{ scenario(revoke: [DPF_EU_US]) {
              broken fallback unaffected disclaimer
              rows(first: 100) { totalCount edges { node {
                change
                before { client { id } basis { code } status }
                after { basis { code } status }
              } } }
        } }"""
    )
    scenario = data["scenario"]
    rows = [e["node"] for e in scenario["rows"]["edges"]]
    assert scenario["rows"]["totalCount"] == scenario["broken"] + scenario["fallback"] + scenario["unaffected"]
    on_dpf = {r["before"]["client"]["id"]: r for r in rows if (r["before"]["basis"] or {}).get("code") == "DPF_EU_US"}
    assert set(on_dpf) == {"demo.client-be", "demo.client-nl"}
    assert on_dpf["demo.client-be"]["change"] == "FALLBACK"
    assert on_dpf["demo.client-be"]["after"]["basis"]["code"] == "SCC_2021"
    assert on_dpf["demo.client-nl"]["change"] == "BROKEN"
    assert on_dpf["demo.client-nl"]["after"]["status"] == "NON_COMPLIANT"
    assert "not legal advice" in scenario["disclaimer"].lower()


async def test_today_is_the_default_date(api: Api) -> None:
    data = await api.data(
        "query ($d: Date) { a: transfers { totalCount } b: transfers(asOf: $d) { totalCount } }",
        {"d": date.today().isoformat()},
    )
    assert data["a"] == data["b"]
