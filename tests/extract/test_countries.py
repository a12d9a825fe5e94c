"""COUNTRY: pycountry names and translations, short forms, regions; and the false-positive traps."""

from __future__ import annotations

import pytest

from flowmap.extract import FactKind
from tests.extract.helpers import facts, values


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Data is stored on servers in the United States and Germany.", "en", {"US", "DE"}),
        ("Our support team in the UK and in the Philippines answers calls.", "en", {"GB", "PH"}),
        ("We transfer data to the U.S. and to India.", "en", {"US", "IN"}),
        ("De gegevens worden opgeslagen in de Verenigde Staten en in Zwitserland.", "nl", {"US", "CH"}),
        ("Wir speichern Daten in den USA und im Vereinigten Königreich.", "de", {"US", "GB"}),
        ("Rechenzentrum in den Niederlanden, Sitz in Österreich.", "de", {"NL", "AT"}),
        ("Les données sont hébergées aux États-Unis et au Royaume-Uni.", "fr", {"US", "GB"}),
        ("Le prestataire est établi en Nouvelle-Zélande.", "fr", {"NZ"}),
        ("Data never leaves the European Union or the EEA.", "en", {"EU", "EEA"}),
        ("Buiten de EER en binnen de Europese Unie.", "nl", {"EEA", "EU"}),
        ("außerhalb des EWR oder der Europäischen Union", "de", {"EEA", "EU"}),
        ("en dehors de l'UE et de l'Espace économique européen", "fr", {"EU", "EEA"}),
        ("We operate worldwide.", "en", {"WORLDWIDE"}),
        ("Wij zijn wereldwijd actief.", "nl", {"WORLDWIDE"}),
        ("our U.S.-based dispute resolution provider", "en", {"US"}),
    ],
)
def test_countries_and_regions(text: str, language: str, expected: set[str]) -> None:
    assert values(text, FactKind.COUNTRY, language) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Contact us or write to us: we will help us all.",
        "ABOUT US\nCONTACT US: hello@example.com",
        "Our founder Georgia Chad Morgan works from New Jersey.",
        "For EU data subjects, the EU GDPR applies.",
        "Regulation (EU) 2016/679 and Regulation EU 2016/679.",
        "We are certified under the EU-U.S. and Swiss-U.S. Privacy Shield.",
        "as set forth by the U.S. Department of Commerce",
        "Analytics are provided by Google Ireland Limited and Meta Platforms Ireland Ltd.",
        "Il est signé par le Dr Maurice Lefèvre.",
        "A Belgian company with Dutch and German customers.",
        "The EU-Kommission and the non-EU entities.",
    ],
)
def test_traps_are_not_countries(text: str) -> None:
    assert values(text, FactKind.COUNTRY) == set()


def test_country_needs_a_preposition_when_the_name_is_also_a_word() -> None:
    assert values("Our developer Jordan Smith wrote this.", FactKind.COUNTRY, "en") == set()
    assert values("We have an office in Jordan.", FactKind.COUNTRY, "en") == {"JO"}


def test_one_fact_per_country_with_its_first_mention() -> None:
    text = "Servers in Ireland. A backup in Ireland too."
    (fact,) = facts(text, FactKind.COUNTRY, "en")
    assert fact.value == "IE" and fact.span.start == text.index("Ireland") and fact.detail["name"] == "Ireland"
