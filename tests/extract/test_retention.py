"""RETENTION: periods as ISO 8601 durations and the other bases; durations that are not retention."""

from __future__ import annotations

import pytest

from flowmap.domain.models import RetentionBasis
from flowmap.extract import FactKind
from tests.extract.helpers import facts, values

B = RetentionBasis


@pytest.mark.parametrize(
    ("text", "language", "basis", "period"),
    [
        ("We keep your data for 6 months.", "en", B.FIXED, "P6M"),
        ("Invoices are retained for seven years.", "en", B.FIXED, "P7Y"),
        ("Call recordings are deleted after 90 days.", "en", B.FIXED, "P90D"),
        ("Wij bewaren je gegevens tot vier weken na de procedure.", "nl", B.FIXED, "P4W"),
        ("Het dossier bewaren wij vijftien jaar.", "nl", B.FIXED, "P15Y"),
        ("Die Daten werden nach 14 Monaten gelöscht.", "de", B.FIXED, "P14M"),
        ("Rechnungen bewahren wir zehn Jahre auf.", "de", B.FIXED, "P10Y"),
        ("Nous conservons vos données pendant 3 ans.", "fr", B.FIXED, "P3Y"),
        ("Les enregistrements sont conservés six mois.", "fr", B.FIXED, "P6M"),
    ],
)
def test_fixed_periods(text: str, language: str, basis: B, period: str) -> None:
    (fact,) = facts(text, FactKind.RETENTION, language)
    assert (fact.value, fact.detail["period"]) == (basis.value, period)


@pytest.mark.parametrize(
    ("text", "language", "basis"),
    [
        ("We keep your data only for as long as is reasonably necessary.", "en", B.AS_LONG_AS_NECESSARY),
        ("We do not retain your data for longer than necessary.", "en", B.AS_LONG_AS_NECESSARY),
        ("All data is preserved indefinitely.", "en", B.INDEFINITE),
        ("Records are kept for the retention periods required by law.", "en", B.STATUTORY),
        ("Wij bewaren uw gegevens niet langer dan noodzakelijk.", "nl", B.AS_LONG_AS_NECESSARY),
        ("Klantgegevens worden voor onbepaalde tijd bewaard.", "nl", B.INDEFINITE),
        ("Wij bewaren de gegevens gedurende de wettelijke bewaartermijn.", "nl", B.STATUTORY),
        (
            "Wij bewaren ze voor de duurtijd van de overeenkomst en daarna de wettelijke bewaartermijn.",
            "nl",
            B.CONTRACT_PLUS_STATUTORY,
        ),
        ("Buchungsdaten werden unbefristet gespeichert.", "de", B.INDEFINITE),
        ("Wir speichern Daten, solange es für den Zweck erforderlich ist.", "de", B.AS_LONG_AS_NECESSARY),
        ("Personalakten bewahren wir bis zum Ablauf der gesetzlichen Aufbewahrungsfristen auf.", "de", B.STATUTORY),
        ("Ces données sont conservées pour une durée indéterminée.", "fr", B.INDEFINITE),
        (
            "Les données sont conservées pendant la durée du contrat puis la durée de prescription légale.",
            "fr",
            B.CONTRACT_PLUS_STATUTORY,
        ),
        ("De gegevens staan voor een korte periode in backups opgeslagen.", "nl", B.SHORT_UNSPECIFIED),
    ],
)
def test_other_bases(text: str, language: str, basis: B) -> None:
    assert values(text, FactKind.RETENTION, language) == {basis.value}


@pytest.mark.parametrize(
    "text",
    [
        "We will respond within 30 days of receiving your request.",
        "We notify customers at least 30 days before adding a sub-processor.",
        "The site is not meant for children under the age of 13 years.",
        "In the preceding twelve months we disclosed no data.",
        "We do not keep data indefinitely; see below.",
    ],
)
def test_not_retention(text: str) -> None:
    assert values(text, FactKind.RETENTION, "en") <= {B.AS_LONG_AS_NECESSARY.value}
    assert B.INDEFINITE.value not in values(text, FactKind.RETENTION, "en")
    assert not [f for f in facts(text, FactKind.RETENTION, "en") if f.value == B.FIXED]


def test_list_items_under_a_retention_heading() -> None:
    text = "Your data is retained for the following periods:\n\nSupport tickets: 6 months after closure;\nCDR: 1 year."
    got = {(f.detail["period"], f.span.quote) for f in facts(text, FactKind.RETENTION, "en")}
    assert got == {("P6M", "Support tickets: 6 months"), ("P1Y", "CDR: 1 year")}
