"""The pre-onboarding check on draft facts: an overlay judged by the engine, a questionnaire, the map untouched."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from flowmap.domain.models import FlowMap
from flowmap.domain.results import Rule, Status
from flowmap.errors import NotFound
from flowmap.extract.facts import DraftFact, Extraction, FactKind, Span
from flowmap.ingest.seeds import load_seed_map
from flowmap.law import load_knowledge_base
from flowmap.vendor.check import VendorReport, check_vendor
from tests.conftest import SEEDS

TEXT = (
    "Acme Analytics Inc. is based in the United States. Acme complies with the EU-U.S. Privacy Shield. "
    "We use Google Analytics, which stores data in the US. We also use HubSpot. Hosting providers process data. "
    "We keep data indefinitely. We collect your email address."
)


def _span(phrase: str) -> Span:
    start = TEXT.index(phrase)
    return Span(start, start + len(phrase), phrase)


def _fact(kind: FactKind, value: str, phrase: str, **detail: str) -> DraftFact:
    return DraftFact(kind, value, _span(phrase), dict(detail))


FACTS = (
    _fact(
        FactKind.ORGANIZATION, "Acme Analytics Inc.", "Acme Analytics Inc. is based in the United States", country="US"
    ),
    _fact(FactKind.MECHANISM, "PRIVACY_SHIELD_EU_US", "EU-U.S. Privacy Shield"),
    _fact(FactKind.RECIPIENT, "Google Analytics", "Google Analytics, which stores data in the US", country="US"),
    _fact(FactKind.RECIPIENT, "HubSpot", "HubSpot"),
    _fact(FactKind.RECIPIENT, "hosting providers", "Hosting providers", unnamed="true"),
    _fact(FactKind.RETENTION, "indefinite", "keep data indefinitely"),
    _fact(FactKind.CATEGORY, "user.contact.email", "email address"),
)


@pytest.fixture(scope="module")
def seed_map() -> FlowMap:
    return load_seed_map(SEEDS)


def _check(seed_map: FlowMap, facts: tuple[DraftFact, ...] = FACTS, **kw: Any) -> VendorReport:
    return check_vendor(
        seed_map, [Extraction("policy.txt", "en", TEXT, facts)], load_knowledge_base(), date(2026, 11, 22), **kw
    )


def test_privacy_shield_reliance_is_invalidated_and_asked_about(seed_map: FlowMap) -> None:
    report = _check(seed_map, client_id="demo.client-be")
    direct = [t for t in report.transfers if len(t.path) == 1]
    assert [t.destination for t in direct] == ["US"]
    assert direct[0].status is Status.NON_COMPLIANT
    assert Rule.INVALIDATED_MECHANISM in {f.rule for f in direct[0].findings}
    texts = [q.text for q in report.questions]
    assert any("Privacy Shield" in t and "transfer mechanism you use now" in t for t in texts)
    assert any("Name the hosting providers you use" in t for t in texts)
    assert any(q.reason == "INDEFINITE_RETENTION" for q in report.questions)


def test_recipients_extend_the_chain(seed_map: FlowMap) -> None:
    report = _check(seed_map)
    importers = {t.path[-1].importer for t in report.transfers}
    assert "candidate.acme-analytics-inc.google-analytics" in importers
    assert all(t.path[0].exporter == "candidate.client" for t in report.transfers)


def test_the_map_is_never_changed(seed_map: FlowMap) -> None:
    before = seed_map.model_dump()
    _check(seed_map, client_id="demo.client-nl")
    assert seed_map.model_dump() == before


def test_no_transfer_outside_keeps_it_inside(seed_map: FlowMap) -> None:
    facts = (
        _fact(FactKind.ORGANIZATION, "Acme Analytics Inc.", "Acme Analytics Inc. is based in the United States"),
        _fact(FactKind.NO_TRANSFER_OUTSIDE, "EU", "Hosting providers process data"),
    )
    report = _check(seed_map, facts)
    assert report.transfers == ()


def test_unknown_client_is_named(seed_map: FlowMap) -> None:
    with pytest.raises(NotFound, match="nobody"):
        _check(seed_map, client_id="nobody")
