"""The knowledge base loads, cites a source for every fact, and rejects bad edits with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flowmap.domain.mechanisms import MechanismCode
from flowmap.errors import ValidationFailed
from flowmap.law import LAW_DIR, load_knowledge_base, load_knowledge_base_from


@pytest.fixture
def law_copy(tmp_path: Path) -> Path:
    target = tmp_path / "law"
    target.mkdir()
    for f in LAW_DIR.glob("*.yaml"):
        shutil.copy(f, target / f.name)
    return target


def _edit(law: Path, file: str, old: str, new: str) -> None:
    path = law / file
    text = path.read_text()
    assert old in text, f"{file} no longer contains {old!r}"
    path.write_text(text.replace(old, new, 1))


def _messages(law: Path) -> str:
    with pytest.raises(ValidationFailed) as info:
        load_knowledge_base_from(sorted(law.glob("*.yaml")))
    return str(info.value)


def test_the_packaged_knowledge_base_loads_with_every_mechanism() -> None:
    kb = load_knowledge_base()
    assert {m.code for m in kb.mechanisms} == set(MechanismCode)
    assert {r.code.value for r in kb.regimes} == {"EU_GDPR", "UK_GDPR", "CH_FADP"}
    assert all(a.source for a in kb.adequacy) and all(w.source for m in kb.mechanisms for w in m.windows)
    assert all(x.source for x in kb.legacy_references)
    assert all(x.source for x in kb.country_risks) and all(x.source for x in kb.regimes)


def test_unknown_country_is_rejected(law_copy: Path) -> None:
    _edit(law_copy, "adequacy.yaml", "country: CH", "country: XX")
    message = _messages(law_copy)
    assert "law/adequacy.yaml:" in message and "country" in message and "'XX'" in message


def test_missing_source_is_rejected(law_copy: Path) -> None:
    text = (law_copy / "country_risks.yaml").read_text()
    start = text.index("    source:")
    end = text.index("\n    confidence:", start) if "\n    confidence:" in text[start:] else len(text)
    (law_copy / "country_risks.yaml").write_text(text[:start] + text[end + 1 :])
    message = _messages(law_copy)
    assert "law/country_risks.yaml:" in message and "source" in message and "Field required" in message


def test_overlapping_windows_are_rejected(law_copy: Path) -> None:
    kb = load_knowledge_base()
    ps = next(a for a in kb.adequacy if a.framework is MechanismCode.PRIVACY_SHIELD_EU_US)
    _edit(law_copy, "adequacy.yaml", f"valid_until: {ps.valid_until}", "valid_until: 2024-01-01")
    message = _messages(law_copy)
    assert "adequacy for ('EU_GDPR', 'US') overlaps" in message


def test_a_mechanism_without_an_entry_is_rejected(law_copy: Path) -> None:
    text = (law_copy / "mechanisms.yaml").read_text()
    start = text.index("  - code: ART49_OTHER")
    end = text.index("\n  - code:", start + 1)
    (law_copy / "mechanisms.yaml").write_text(text[:start] + text[end + 1 :])
    assert "mechanism codes without an entry: ART49_OTHER" in _messages(law_copy)
