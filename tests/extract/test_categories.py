"""CATEGORY: the multilingual lexicon maps onto real fideslang keys; context decides the ambiguous words."""

from __future__ import annotations

import re

import pytest

from flowmap.domain.categories import taxonomy
from flowmap.extract import FactKind
from flowmap.extract.category_lexicon import LEXICON
from tests.extract.helpers import facts, values


def test_every_lexicon_key_is_a_fideslang_key_and_every_pattern_compiles() -> None:
    keys = taxonomy()
    for term in LEXICON:
        assert term.key in keys, term
        assert not keys[term.key].deprecated, term
        re.compile(term.pattern)
    assert {t.language for t in LEXICON} == {"en", "nl", "de", "fr"}


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "We collect your name, email address and phone number.",
            "en",
            {"user.name", "user.contact.email", "user.contact.phone_number"},
        ),
        ("We log your IP address and use cookies.", "en", {"user.device.ip_address", "user.device.cookie_id"}),
        (
            "Contactgegevens (e-mailadres, telefoonnummer, adres)",
            "nl",
            {"user.contact", "user.contact.email", "user.contact.phone_number", "user.contact.address"},
        ),
        (
            "Wij verwerken uw naam, voornaam, rijksregisternummer en bankrekeningnummer.",
            "nl",
            {
                "user.name",
                "user.name.first",
                "user.government_id.national_identification_number",
                "user.financial.bank_account",
            },
        ),
        (
            "Wir verarbeiten Ihren Namen, Ihre Anschrift, Ihre E-Mail-Adresse und Ihre Zahlungsdaten.",
            "de",
            {"user.name", "user.contact.address", "user.contact.email", "user.payment"},
        ),
        (
            "Wir verarbeiten Gesundheitsdaten und Ihr Geburtsdatum.",
            "de",
            {"user.health_and_medical", "user.demographic.date_of_birth"},
        ),
        (
            "nous collectons vos nom, prénom, adresse postale et numéro de téléphone",
            "fr",
            {"user.name", "user.name.first", "user.contact.address", "user.contact.phone_number"},
        ),
        (
            "Nous traitons vos données de santé et votre numéro de sécurité sociale.",
            "fr",
            {"user.health_and_medical", "user.government_id.national_identification_number"},
        ),
        ("We record calls and keep call detail records.", "en", {"user.content.private", "user.telemetry"}),
        ("Name;\nAddress;\nJob title;", "en", {"user.name", "user.contact.address", "user.job_title"}),
    ],
)
def test_categories(text: str, language: str, expected: set[str]) -> None:
    assert values(text, FactKind.CATEGORY, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We will contact you by email in the name of our client.", "en"),  # channel and idiom, not data
        ("Email: info@example.com\nPhone: 0800 123\nAddress: Main Street 1", "en"),  # a contact block
        ("Personal data is defined as any information such as a name or location data.", "en"),  # a definition
        ("Voiceprints are never created.", "en"),
        ("We do not collect health data.", "en"),
        ("Deze categorieën omvatten politieke opvattingen en gezondheidsgegevens.", "nl"),  # definition, no processing
        ("In our position as a processor, the company name of our client is on the invoice header.", "en"),
    ],
)
def test_not_categories(text: str, language: str) -> None:
    got = values(text, FactKind.CATEGORY, language)
    assert not got - {"user.contact.organization"}


def test_special_categories_need_a_processing_verb() -> None:
    assert values("Examples: health data.", FactKind.CATEGORY, "en") == set()
    assert values("We process health data.", FactKind.CATEGORY, "en") == {"user.health_and_medical"}


def test_one_fact_per_key_quoting_the_term() -> None:
    (fact,) = facts("We collect your email address. Your email address is kept safe.", FactKind.CATEGORY, "en")
    assert fact.value == "user.contact.email" and fact.span.quote == "email address"
