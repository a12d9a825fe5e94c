"""The labelled evaluation set: annotations are well-formed, and the extractor meets its targets on it.

Targets (bench.extraction.TARGETS): recipients F1 >= 0.85, mechanism accuracy >= 0.9, flags F1 >= 0.85.
Run ``python -m bench.extraction`` for the full table per kind and language.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bench.extraction import EVAL_DIR, KINDS, evaluate, load_cases, load_holdout, load_synthetic
from flowmap.domain.categories import taxonomy
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import RetentionBasis
from flowmap.extract import ADEQUACY
from flowmap.extract.countries import REGIONS
from flowmap.extract.recipient_classes import CLASS_PURPOSES
from flowmap.law import load_knowledge_base

MIN_TEXTS_PER_LANGUAGE = 6


def test_the_synthetic_set_is_large_and_short_enough() -> None:
    cases = load_synthetic(EVAL_DIR)
    per_language = Counter(c.language for c in cases)
    assert set(per_language) == {"en", "nl", "de", "fr"}
    assert min(per_language.values()) >= MIN_TEXTS_PER_LANGUAGE and len(cases) >= 24
    assert all(len(c.text) <= 1600 for c in cases)
    assert len({c.id for c in cases + load_holdout()}) == len(cases) + len(load_holdout())


def test_annotations_use_valid_values() -> None:
    legacy = {r.id for r in load_knowledge_base().legacy_references}
    cases, _ = load_cases()
    for case in cases + load_holdout():
        e = case.expected
        assert set(e) == set(KINDS), case.id
        assert e["categories"] <= set(taxonomy()), case.id
        assert e["mechanisms"] <= {m.value for m in MechanismCode} | {ADEQUACY}, case.id
        assert e["retention"] <= {b.value for b in RetentionBasis}, case.id
        assert e["recipient_classes"] <= set(CLASS_PURPOSES), case.id
        assert all((len(c) == 2 and c.isupper()) or c in REGIONS for c in e["countries"]), case.id
        for flag in e["flags"]:
            kind, _, value = flag.partition(":")
            assert kind in {"NO_TRANSFER_OUTSIDE", "LEGAL_REFERENCE", "INDEFINITE_RETENTION"}, (case.id, flag)
            assert kind != "LEGAL_REFERENCE" or value in legacy, (case.id, flag)
            assert kind != "NO_TRANSFER_OUTSIDE" or value in {"EU", "EEA"}, (case.id, flag)


def test_targets_on_the_synthetic_set() -> None:
    report = evaluate(load_synthetic(EVAL_DIR))
    assert not report.misses(), report.misses()


def test_targets_on_the_synthetic_and_real_statements() -> None:
    cases, skipped = load_cases()
    if not any(c.real for c in cases):
        pytest.skip(f"real statements not available ({'; '.join(skipped)}); the synthetic set is tested above")
    report = evaluate(cases)
    assert not report.misses(), report.misses()


def test_targets_on_the_holdout_set() -> None:
    report = evaluate(load_holdout())
    assert not report.misses(), report.misses()
