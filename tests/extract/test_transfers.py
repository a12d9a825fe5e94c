"""NO_TRANSFER_OUTSIDE: data said not to leave the EU/EEA, with negation and conditions handled."""

from __future__ import annotations

import pytest

from flowmap.extract import FactKind
from tests.extract.helpers import facts, values


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("We do not transfer personal data outside the European Economic Area.", "en", {"EEA"}),
        ("Your data never leaves the EU.", "en", {"EU"}),
        ("Uw gegevens blijven altijd binnen de Europese Economische Ruimte.", "nl", {"EEA"}),
        ("Ihre Daten verlassen zu keinem Zeitpunkt die EU.", "de", {"EU"}),
        ("Die Verarbeitung erfolgt ausschließlich innerhalb der Europäischen Union.", "de", {"EU"}),
        ("Vos données restent hébergées en France.", "fr", {"EU"}),
        ("Die Verarbeitung findet ausschließlich in einem Mitgliedstaat der Europäischen Union statt.", "de", {"EU"}),
        ("Personal data is stored exclusively within the EU.", "en", {"EU"}),
        ("We do not transfer personal data to third countries.", "en", {"EEA"}),
        ("Uw gegevens worden niet doorgegeven aan landen buiten de Europese Unie.", "nl", {"EU"}),
        ("Wij verstrekken geen gegevens aan partijen gevestigd buiten de EU.", "nl", {"EU"}),
        ("Alle gegevens worden uitsluitend opgeslagen op servers in Nederland.", "nl", {"EU"}),
        ("Uw dossier wordt niet buiten Nederland opgeslagen.", "nl", {"EU"}),
        ("Wij doen geen doorgifte naar derde landen.", "nl", {"EEA"}),
        ("Ihre Daten werden nicht außerhalb der EU verarbeitet.", "de", {"EU"}),
        ("Eine Übermittlung in Drittländer findet nicht statt.", "de", {"EEA"}),
        ("Die Daten verlassen Deutschland nicht.", "de", {"EU"}),
        ("Ihre Daten werden ausschließlich auf Servern in Deutschland verarbeitet.", "de", {"EU"}),
        ("Vos données ne sont pas transférées en dehors de l'Union européenne.", "fr", {"EU"}),
        ("Aucun transfert n'a lieu hors de l'UE.", "fr", {"EU"}),
        ("Les données sont hébergées exclusivement en France.", "fr", {"EU"}),
        ("Data is only stored in Norway.", "en", {"EEA"}),
    ],
)
def test_no_transfer_outside(text: str, language: str, expected: set[str]) -> None:
    assert values(text, FactKind.NO_TRANSFER_OUTSIDE, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("We may transfer personal data outside the EEA.", "en"),
        ("Data stays in the EU unless you ask otherwise.", "en"),
        ("Data never leaves our office.", "en"),
        ("We do not sell data, and we do not transfer it outside the EU unless you ask us to.", "en"),
        ("The Processor shall not transfer data outside the EEA unless the Clause 9 safeguards apply.", "en"),
        ("Where data is transferred outside the EU, we use SCCs.", "en"),
        ("Wij kunnen gegevens doorgeven naar landen buiten de EER.", "nl"),
        ("Buiten de hierboven genoemde gevallen worden uw gegevens niet buiten de EER verwerkt.", "nl"),
        ("Data is stored in the EU.", "en"),  # no exclusivity: it may be elsewhere too
    ],
)
def test_not_a_no_transfer_statement(text: str, language: str) -> None:
    assert values(text, FactKind.NO_TRANSFER_OUTSIDE, language) == set()


def test_exclusive_location_yields_to_named_transfers() -> None:
    text = "Data is stored only in Germany. Support staff in the United States may access it under SCCs."
    assert values(text, FactKind.NO_TRANSFER_OUTSIDE, "en") == set()


def test_span_holds_the_negation_and_the_area() -> None:
    text = "Wij verstrekken geen persoonsgegevens aan partijen welke gevestigd zijn buiten de EU."
    (fact,) = facts(text, FactKind.NO_TRANSFER_OUTSIDE, "nl")
    assert fact.span.quote.startswith("Wij verstrekken geen") and fact.span.quote.endswith("buiten de EU")
