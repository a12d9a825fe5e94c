"""Acceptance on the real statements in ../shared/seeds (read-only, not in the repository)."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmap.extract import Extraction, FactKind, extract
from flowmap.settings import PROJECT_ROOT

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"
FILES = ["000_6dc3bffa08fb6865.txt", "001_cf15789c34aa1f3a.txt", "002_7d25e14e03986c8d.txt",
         "003_f99c0d7ff17bafd3.txt", "004_fd37387feb53ccfe.txt"]  # fmt: skip


def _extract(name: str) -> Extraction:
    path = SEEDS / name
    if not path.is_file():
        pytest.skip(f"real statements not available: {path} is missing (they live outside the repository)")
    return extract(path.read_text(encoding="utf-8"), source=name)


@pytest.mark.parametrize("name", FILES)
def test_every_span_quotes_the_text(name: str) -> None:
    result = _extract(name)
    assert result.facts
    for fact in result.facts:
        assert result.text[fact.span.start : fact.span.end] == fact.span.quote


def test_interactions_llc() -> None:
    result = _extract("001_cf15789c34aa1f3a.txt")
    assert result.language == "en"
    recipients = {f.value: f for f in result.of(FactKind.RECIPIENT)}
    assert "Google Analytics" in recipients and recipients["Google Analytics"].detail["country"] == "US"
    assert "HubSpot" in recipients
    shield = [f for f in result.of(FactKind.MECHANISM) if f.value == "PRIVACY_SHIELD_EU_US"]
    assert shield and "Privacy Shield" in shield[0].span.quote
    org = result.of(FactKind.ORGANIZATION)[0]
    assert (org.value, org.detail["country"]) == ("Interactions, LLC", "US")


def test_voiceking() -> None:
    result = _extract("004_fd37387feb53ccfe.txt")
    assert result.language == "nl"
    stays = {f.value: f for f in result.of(FactKind.NO_TRANSFER_OUTSIDE)}
    assert set(stays) == {"EU"} and "buiten de EU" in stays["EU"].span.quote
    refs = {f.value: f for f in result.of(FactKind.LEGAL_REFERENCE)}
    assert {"be.privacy-act-1992", "be.privacy-commission"} <= set(refs)
    assert refs["be.privacy-act-1992"].detail["outdated_since"] == "2018-09-05"
    assert refs["be.privacy-commission"].detail["outdated_since"] == "2018-05-25"
    org = result.of(FactKind.ORGANIZATION)[0]
    assert (org.value, org.detail["country"]) == ("VoiceKing CVBA", "BE")


def test_interaction_force_recipients_and_unnamed_safeguards() -> None:
    result = _extract("000_6dc3bffa08fb6865.txt")
    assert {"Nixxis", "Amazon", "Maniterm", "Voxbone"} <= {f.value for f in result.of(FactKind.RECIPIENT)}
    assert {f.value for f in result.of(FactKind.MECHANISM)} == {"UNSPECIFIED"}


def test_interact_cx_keeps_data_indefinitely() -> None:
    result = _extract("002_7d25e14e03986c8d.txt")
    assert "indefinite" in {f.value for f in result.of(FactKind.RETENTION)}


def test_seeds_directory_is_where_the_tests_expect_it() -> None:
    assert Path(PROJECT_ROOT).parent / "shared" / "seeds" == SEEDS
