"""ORGANIZATION: the document's own organisation and its country, when the text states them."""

from __future__ import annotations

import pytest

from flowmap.extract import FactKind
from tests.extract.helpers import facts


@pytest.mark.parametrize(
    ("text", "language", "name", "country"),
    [
        (
            "Welcome to Interactions, LLC (“Interactions”). Our registered office is in Franklin, MA 02038.",
            "en",
            "Interactions, LLC",
            "US",
        ),
        ("VoiceKing CVBA verwerkt persoonsgegevens.\nOndernemingsnr: BE0653.989.638", "nl", "VoiceKing CVBA", "BE"),
        ("Tuinplezier B.V. (KvK 81234567) is gevestigd in Utrecht.", "nl", "Tuinplezier B.V.", "NL"),
        (
            "Verantwortlich: Muster Versand GmbH, Berlin. Handelsregister: Amtsgericht Charlottenburg, HRB 123456.",
            "de",
            "Muster Versand GmbH",
            "DE",
        ),
        (
            "Die Beispiel Consulting AG mit Sitz in Zürich, Schweiz, berät Unternehmen.",
            "de",
            "Beispiel Consulting AG",
            "CH",
        ),
        ("Le site est édité par Mode Lumière SAS, immatriculée au RCS de Lyon.", "fr", "Mode Lumière SAS", "FR"),
        ("Callwise Ltd is registered in England and Wales (company number 08812345).", "en", "Callwise Ltd", "GB"),
        # a contract party with its address, and the role it plays: the processor's own DPA
        (
            'Between the Customer and Kestrel Payroll Ltd, 5 Harcourt Road, Dublin 2, Ireland ("Processor").\n'
            "The Processor uses Personio and Acme Cloud Ltd for hosting.",
            "en",
            "Kestrel Payroll Ltd",
            "IE",
        ),
        ("Ledgerwise B.V. (Utrecht, the Netherlands) engages the sub-processors below.", "en", "Ledgerwise B.V.", "NL"),
    ],
)
def test_organization_and_country(text: str, language: str, name: str, country: str) -> None:
    (fact,) = facts(text, FactKind.ORGANIZATION, language)
    assert fact.value == name and fact.detail["country"] == country
    start, end = map(int, fact.detail["country_span"].split(":"))
    assert text[start:end] == fact.detail["country_quote"]


def test_no_country_without_evidence() -> None:
    (fact,) = facts("Planbord B.V. schakelt de volgende subverwerkers in.", FactKind.ORGANIZATION, "nl")
    assert fact.value == "Planbord B.V." and "country" not in fact.detail


def test_vendor_companies_are_not_the_organisation() -> None:
    text = "We use Google Analytics, a service of Google Ireland Limited, and Stripe Payments Europe Ltd."
    assert facts(text, FactKind.ORGANIZATION, "en") == []


def test_own_organisation_is_not_its_own_recipient() -> None:
    text = "Acme Hosting B.V. processes your data. We use Acme Hosting for backups and Hetzner for servers."
    recipients = {f.value for f in facts(text, FactKind.RECIPIENT, "en")}
    assert "Acme Hosting" not in recipients and "Hetzner" in recipients


def test_an_article_is_a_whole_word() -> None:
    """The articles "Le" and "De" are whole words: "Lernwerk" and "Deltaweb" keep their first letters."""
    for name in ("Lernwerk Bildung GmbH", "Deltaweb B.V."):
        found = facts(f"Anbieter ist die {name}. Wir verarbeiten Ihre Daten.", FactKind.ORGANIZATION, "de")
        assert [f.value for f in found] == [name]
