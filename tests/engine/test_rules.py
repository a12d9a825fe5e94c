"""Every rule, tested firing and not firing, on the smallest map that shows it."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from flowmap.domain.models import Citation, Document, LegalReference
from flowmap.domain.results import Assessment, Rule, Status
from tests.engine.build import DOC, EVIDENCE, certified, engagement, mech, one_hop, org, rules, run

Case = Callable[[], Assessment]


def _two_hops(day: str, second_countries: list[str]) -> Assessment:
    return run(
        [org("client", "DE"), org("proc", "IE"), org("sub", second_countries[0] if second_countries else None)],
        [
            engagement("client", "proc", countries=["IE"]),
            engagement(
                "proc",
                "sub",
                role="P2P",
                countries=second_countries,
                mechanisms=[mech("SCC_2021", module=3)],
                tia_ref="T",
            ),
        ],
        day,
    )


def _citing(text: str, day: str) -> Assessment:
    ref = LegalReference.model_validate({"id": "law.x", "name": "Cited law", "kind": "law", "jurisdiction": "BE"})
    doc = Document.model_validate(
        {**DOC.model_dump(), "effective_date": "2018-05-01", "citations": [Citation(ref="law.x", quote=text)]}
    )
    return run([org("client", "BE")], [], day, documents=[doc], legal_references=[ref])


def _retention(basis: str) -> Assessment:
    kept = org("client", "BE", retention=[{"scope": "all", "basis": basis, "period": "P1Y", "evidence": EVIDENCE}])
    return run([kept], [], "2026-01-01")


def _recipient(unnamed: bool) -> Assessment:
    extra = {"unnamed": True, "recipient_class": "hosting partner"} if unnamed else {}
    return run(
        [org("client", "NL"), org("host", "NL", **extra)],
        [engagement("client", "host", countries=["NL"])],
        "2026-01-01",
    )


def _stale(day: str) -> Assessment:
    doc = Document.model_validate({**DOC.model_dump(), "effective_date": "2020-05-04"})
    claim = {"framework": "PRIVACY_SHIELD_EU_US", "status": "claimed", "evidence": EVIDENCE}
    return run([org("vendor", "US", certifications=[claim])], [], day, documents=[doc])


FIRES: dict[Rule, tuple[Case, Case]] = {
    Rule.INVALIDATED_MECHANISM: (
        lambda: one_hop("2021-01-01", importer=certified("importer", "US", "PRIVACY_SHIELD_EU_US"),
                        mechanisms=[mech("PRIVACY_SHIELD_EU_US")]),
        lambda: one_hop("2020-01-01", importer=certified("importer", "US", "PRIVACY_SHIELD_EU_US"),
                        mechanisms=[mech("PRIVACY_SHIELD_EU_US")]),
    ),
    Rule.EXPIRED_SCC: (
        lambda: one_hop("2023-01-01", mechanisms=[mech("SCC_2010", signed_on="2019-01-01")], tia_ref="T"),
        lambda: one_hop("2022-01-01", mechanisms=[mech("SCC_2010", signed_on="2019-01-01")], tia_ref="T"),
    ),
    Rule.MISSING_MECHANISM: (
        lambda: one_hop("2024-01-01"),
        lambda: one_hop("2024-01-01", mechanisms=[mech("SCC_2021", module=2)], tia_ref="T"),
    ),
    Rule.UNSPECIFIED_MECHANISM: (
        lambda: one_hop("2024-01-01", mechanisms=[mech("UNSPECIFIED")]),
        lambda: one_hop("2024-01-01", mechanisms=[mech("UNSPECIFIED"), mech("SCC_2021", module=2)], tia_ref="T"),
    ),
    Rule.DPF_NOT_CERTIFIED: (
        lambda: one_hop("2024-01-01", mechanisms=[mech("DPF_EU_US")]),
        lambda: one_hop("2024-01-01", importer=certified("importer", "US", "DPF_EU_US"), mechanisms=[mech("DPF_EU_US")]),
    ),
    Rule.ADEQUACY_SCOPE: (
        lambda: one_hop("2024-01-01", importer=org("importer", "CA")),
        lambda: one_hop("2024-01-01", importer=org("importer", "CH")),
    ),
    Rule.SCC_MODULE_MISMATCH: (
        lambda: one_hop("2024-01-01", mechanisms=[mech("SCC_2021", module=3)], tia_ref="T"),
        lambda: one_hop("2024-01-01", mechanisms=[mech("SCC_2021", module=2)], tia_ref="T"),
    ),
    Rule.TIA_MISSING: (
        lambda: one_hop("2024-01-01", mechanisms=[mech("SCC_2021", module=2)]),
        lambda: one_hop("2024-01-01", mechanisms=[mech("SCC_2021", module=2)], tia_ref="TIA-1"),
    ),
    Rule.ART49_RELIANCE: (
        lambda: one_hop("2024-01-01", mechanisms=[mech("ART49_CONSENT")]),
        lambda: one_hop("2024-01-01", mechanisms=[mech("SCC_2021", module=2)], tia_ref="T"),
    ),
    Rule.UNKNOWN_LOCATION: (
        lambda: one_hop("2024-01-01", importer=org("importer"), mechanisms=[mech("SCC_2021", module=2)], tia_ref="T"),
        lambda: one_hop("2024-01-01", mechanisms=[mech("SCC_2021", module=2)], tia_ref="T"),
    ),
    Rule.SPECIAL_CATEGORY_THIRD_COUNTRY: (
        lambda: one_hop("2024-01-01", categories=["user.health_and_medical"], mechanisms=[mech("SCC_2021", module=2)]),
        lambda: one_hop("2024-01-01", categories=["user.name"], mechanisms=[mech("SCC_2021", module=2)]),
    ),
    Rule.ONWARD_TRANSFER: (lambda: _two_hops("2024-01-01", ["US"]), lambda: one_hop("2024-01-01")),
    Rule.OUTDATED_LEGAL_REFERENCE: (
        lambda: _citing("de wet van 8 december 1992 tot bescherming van de persoonlijke levenssfeer", "2026-01-01"),
        lambda: _citing("de wet van 8 december 1992 tot bescherming van de persoonlijke levenssfeer", "2017-01-01"),
    ),
    Rule.INDEFINITE_RETENTION: (lambda: _retention("indefinite"), lambda: _retention("fixed")),
    Rule.UNNAMED_RECIPIENTS: (lambda: _recipient(unnamed=True), lambda: _recipient(unnamed=False)),
    Rule.STALE_DOCUMENT: (lambda: _stale("2021-01-01"), lambda: _stale("2020-07-01")),
}  # fmt: skip


def test_every_rule_has_a_case() -> None:
    assert set(FIRES) == set(Rule)


@pytest.mark.parametrize("rule", list(FIRES), ids=[r.value for r in FIRES])
def test_rule_fires(rule: Rule) -> None:
    fires, _ = FIRES[rule]
    assert rule in rules(fires())


@pytest.mark.parametrize("rule", list(FIRES), ids=[r.value for r in FIRES])
def test_rule_does_not_fire(rule: Rule) -> None:
    _, quiet = FIRES[rule]
    assert rule not in rules(quiet())


def test_every_finding_says_why_with_a_citation_and_a_remedy() -> None:
    for fires, _ in FIRES.values():
        for f in fires().findings:
            assert f.message and f.citation and f.remediation and f.subject


def test_a_fallback_saves_the_transfer_and_the_relic_is_low() -> None:
    t = one_hop("2022-01-01", importer=certified("importer", "US", "PRIVACY_SHIELD_EU_US"),
                mechanisms=[mech("PRIVACY_SHIELD_EU_US"), mech("SCC_2021", module=2)], tia_ref="T").transfers[0]  # fmt: skip
    assert t.basis == "SCC_2021" and t.status is Status.COMPLIANT
    relic = next(f for f in t.findings if f.rule is Rule.INVALIDATED_MECHANISM)
    assert relic.severity.name == "LOW" and "C-311/18" in relic.citation


def test_inside_the_area_is_not_a_transfer() -> None:
    assert one_hop("2024-01-01", importer=org("importer", "NL")).transfers == ()
    assert one_hop("2024-01-01", importer=org("importer"), location_scope="within_eu").transfers == ()


def test_a_client_outside_every_regime_has_no_transfers() -> None:
    assert one_hop("2024-01-01", client_country="US", importer=org("importer", "CN")).transfers == ()


def test_a_regime_declared_on_the_engagement_applies() -> None:
    """A US controller offering services in the EU (GDPR Art. 3(2)) declares the regime on the engagement."""
    t = one_hop("2024-01-01", client_country="US", importer=org("importer", "CN"), regime="EU_GDPR").transfers
    assert len(t) == 1 and t[0].regime.value == "EU_GDPR" and t[0].status is Status.NON_COMPLIANT


def test_retired_engagements_are_history() -> None:
    assert one_hop("2024-01-01", valid_to="2023-12-31").transfers == ()
    assert len(one_hop("2023-12-31", valid_to="2023-12-31").transfers) == 1
