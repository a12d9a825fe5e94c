"""LEGAL_REFERENCE: the knowledge base's own legacy patterns, with their outdated date and replacement."""

from __future__ import annotations

import pytest

from flowmap.extract import FactKind
from flowmap.law import load_knowledge_base
from tests.extract.helpers import facts, values


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "conform de wet van 8 december 1992 tot bescherming van de persoonlijke levenssfeer",
            "nl",
            {"be.privacy-act-1992"},
        ),
        ("Klachten kunt u richten aan de Privacy Commissie.", "nl", {"be.privacy-commission"}),
        ("loi du 8 décembre 1992 relative à la protection de la vie privée", "fr", {"be.privacy-act-1992"}),
        ("auprès de la Commission de la protection de la vie privée", "fr", {"be.privacy-commission"}),
        ("Wij houden ons aan de Wet bescherming persoonsgegevens (Wbp).", "nl", {"nl.wbp"}),
        ("according to Directive 95/46/EC", "en", {"eu.directive-95-46"}),
        ("nach der EU-Datenschutzrichtlinie", "de", {"eu.directive-95-46"}),
        ("We comply with the EU-U.S. Privacy Shield.", "en", {"eu.privacy-shield"}),
        ("model clauses (2010/87/EU)", "en", {"eu.old-sccs", "gb.old-sccs"}),
    ],
)
def test_legacy_references(text: str, language: str, expected: set[str]) -> None:
    assert values(text, FactKind.LEGAL_REFERENCE, language) == expected


def test_detail_carries_the_knowledge_base_dates() -> None:
    (fact,) = facts("Zie de website van de privacycommissie.", FactKind.LEGAL_REFERENCE, "nl")
    ref = next(r for r in load_knowledge_base().legacy_references if r.id == "be.privacy-commission")
    assert fact.detail["outdated_since"] == ref.outdated_since.isoformat() == "2018-05-25"
    assert fact.detail["replaced_by"] == ref.replaced_by


def test_a_reference_said_to_be_replaced_is_not_a_citation() -> None:
    text = "The Privacy Shield was invalidated in 2020; we now use the Data Privacy Framework."
    assert values(text, FactKind.LEGAL_REFERENCE, "en") == set()


def test_current_laws_are_not_flagged() -> None:
    text = "We comply with the GDPR and the Autoriteit Persoonsgegevens supervises us."
    assert values(text, FactKind.LEGAL_REFERENCE, "en") == set()
