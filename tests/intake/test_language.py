"""Stop-word language detection on short samples and on real vendor documents."""

from __future__ import annotations

import pytest

from flowmap.intake import IntakeDocument, read
from flowmap.intake.language import UNDETERMINED, detect_language, language_scores
from flowmap.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We only share your data with the processors that host our service.", "en"),
        ("The controller may ask for a copy of the records.", "en"),
        ("Wij delen uw gegevens alleen met de verwerkers die onze dienst hosten.", "nl"),
        ("De verwerker bewaart de gegevens niet langer dan nodig is.", "nl"),
        ("Wir geben Ihre Daten nur an die Auftragsverarbeiter weiter, die unseren Dienst betreiben.", "de"),
        ("Der Verantwortliche kann eine Kopie der Unterlagen verlangen.", "de"),
        ("Nous ne partageons vos données qu'avec les sous-traitants qui hébergent notre service.", "fr"),
        ("Le responsable du traitement peut demander une copie des registres.", "fr"),
        ("Solo compartimos sus datos con los encargados que alojan nuestro servicio.", "es"),
        ("Condividiamo i suoi dati solo con i responsabili che ospitano il nostro servizio.", "it"),
    ],
)
def test_short_samples(text: str, expected: str):
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    "text", ["", "AWS Ireland", "12345 67890", "SELECT id FROM vendors;", "Zpracování osobních údajů"]
)
def test_too_little_evidence_is_undetermined(text: str):
    assert detect_language(text) == UNDETERMINED


def test_deterministic_and_bounded():
    text = "Wij verwerken uw gegevens. " * 50_000
    assert detect_language(text) == detect_language(text) == "nl"
    assert set(language_scores(text)) == {"en", "nl", "de", "fr", "es", "it"}


def test_dutch_and_german_share_die_but_are_told_apart():
    assert detect_language("die gegevens die wij van u hebben") == "nl"
    assert detect_language("die Daten, die wir von Ihnen haben") == "de"


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"shared seed documents not present at {SEEDS}")
@pytest.mark.parametrize(("file", "expected"), [("004_fd37387feb53ccfe.txt", "nl"), ("001_cf15789c34aa1f3a.txt", "en")])
def test_shared_seed_documents(file: str, expected: str):
    doc = read(SEEDS / file)
    assert isinstance(doc, IntakeDocument)
    assert doc.media == "text"
    assert doc.language == expected
