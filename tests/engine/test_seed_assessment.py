"""Issue 3's acceptance, on the real seed map: what the engine says about the five statements."""

from __future__ import annotations

from datetime import date

import pytest

from flowmap.domain.assess import assess
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import FlowMap
from flowmap.domain.results import Assessment, Rule, Status
from flowmap.domain.scenario import Change, Revocation, run_scenario
from flowmap.ingest.seeds import load_seed_map
from flowmap.law import load_knowledge_base
from tests.conftest import SEEDS

TODAY = date.today()


@pytest.fixture(scope="module")
def seed_map() -> FlowMap:
    return load_seed_map(SEEDS)


def _assess(seed_map: FlowMap, day: date) -> Assessment:
    return assess(seed_map, day, load_knowledge_base())


def _privacy_shield_flows(result: Assessment) -> list:  # type: ignore[type-arg]
    return [
        t for t in result.transfers
        if t.importer == "interactions" and MechanismCode.PRIVACY_SHIELD_EU_US in t.path[-1].mechanisms
    ]  # fmt: skip


def test_interactions_privacy_shield_flows_today(seed_map: FlowMap) -> None:
    flows = _privacy_shield_flows(_assess(seed_map, TODAY))
    assert flows
    for t in flows:
        assert t.status is Status.NON_COMPLIANT
        invalidated = [f for f in t.findings if f.rule is Rule.INVALIDATED_MECHANISM]
        assert invalidated and any("C-311/18" in f.citation for f in invalidated)


def test_interactions_privacy_shield_flows_on_2020_07_15(seed_map: FlowMap) -> None:
    flows = _privacy_shield_flows(_assess(seed_map, date(2020, 7, 15)))
    assert flows
    for t in flows:
        assert (t.status, t.basis) == (Status.COMPLIANT, "PRIVACY_SHIELD_EU_US")


def test_interaction_force_unspecified_mechanism(seed_map: FlowMap) -> None:
    result = _assess(seed_map, TODAY)
    flows = [t for t in result.transfers if t.path[-1].exporter == "interaction-force"]
    assert flows and all(Rule.UNSPECIFIED_MECHANISM in {f.rule for f in t.findings} for t in flows)


def test_voiceking_outdated_references_and_no_transfers(seed_map: FlowMap) -> None:
    result = _assess(seed_map, TODAY)
    outdated = [f for f in result.findings if f.rule is Rule.OUTDATED_LEGAL_REFERENCE and "voiceking" in f.subject]
    text = " ".join(f.message for f in outdated)
    assert "1992" in text and "Commission" in text, text
    assert not [t for t in result.transfers if "voiceking" in (t.importer, *(h.exporter for h in t.path[1:]))]


def test_interact_cx_indefinite_retention(seed_map: FlowMap) -> None:
    result = _assess(seed_map, TODAY)
    assert any(f.rule is Rule.INDEFINITE_RETENTION and f.subject == "organization:interact-cx" for f in result.findings)


def test_leadinfo_is_not_a_transfer(seed_map: FlowMap) -> None:
    for day in (TODAY, date(2020, 3, 19)):
        result = _assess(seed_map, day)
        assert not [t for t in result.transfers if t.importer == "leadinfo"]


def test_dpf_what_if(seed_map: FlowMap) -> None:
    result = run_scenario(seed_map, TODAY, load_knowledge_base(), revoke=[Revocation(MechanismCode.DPF_EU_US, TODAY)])
    on_dpf = [r for r in result.rows if r.before.basis == "DPF_EU_US"]
    assert {r.before.client for r in on_dpf} == {"demo.client-be", "demo.client-nl"}
    saved = {r.before.client: r for r in on_dpf}
    assert saved["demo.client-be"].change is Change.FALLBACK and saved["demo.client-be"].after.basis == "SCC_2021"
    assert saved["demo.client-nl"].change is Change.BROKEN
    assert saved["demo.client-nl"].after.status is Status.NON_COMPLIANT
    assert all(r.change is Change.UNAFFECTED for r in result.rows if r.before.basis != "DPF_EU_US")
