"""Extraction quality on the labelled set in tests/extract/eval: precision, recall, F1 per kind and language.

Run: ``python -m bench.extraction``. Writes ``bench/results/extraction.json`` (with machine info) and prints a
table. The five real statements in ../shared/seeds are scored too when that directory is present and each
file's sha256 matches its annotation. ``tests/extract/test_eval_targets.py`` asserts the targets below.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bench.assessment import machine
from flowmap.extract import Extraction, FactKind, extract
from flowmap.extract.recipients import normalise
from flowmap.extract.vendors import VENDORS
from flowmap.settings import PROJECT_ROOT

RESULTS = Path(__file__).parent / "results"
EVAL_DIR = PROJECT_ROOT / "tests" / "extract" / "eval"
SEEDS_DIR = PROJECT_ROOT.parent / "shared" / "seeds"
KINDS = (
    "recipients",
    "recipient_classes",
    "countries",
    "mechanisms",
    "categories",
    "retention",
    "flags",
    "organization",
)
LANGUAGES = ("en", "nl", "de", "fr")
# kind -> (measure, minimum). Mechanism accuracy: share of documents whose set of mechanisms is exactly right.
TARGETS: dict[str, tuple[str, float]] = {
    "recipients": ("f1", 0.85),
    "mechanisms": ("accuracy", 0.9),
    "flags": ("f1", 0.85),
}


@dataclass(frozen=True)
class Case:
    id: str
    language: str
    kind: str
    text: str
    expected: dict[str, frozenset[str]]
    real: bool


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    docs: int = 0
    exact: int = 0

    def add(self, got: set[str], want: set[str]) -> None:
        self.tp += len(got & want)
        self.fp += len(got - want)
        self.fn += len(want - got)
        self.docs += 1
        self.exact += got == want

    def as_dict(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        acc = self.exact / self.docs if self.docs else 1.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3), "accuracy": round(acc, 3),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "docs": self.docs}  # fmt: skip


@dataclass
class Report:
    overall: dict[str, Counts] = field(default_factory=lambda: {k: Counts() for k in KINDS})
    by_language: dict[str, dict[str, Counts]] = field(default_factory=dict)
    errors: dict[str, dict[str, dict[str, list[str]]]] = field(default_factory=dict)
    language_hits: int = 0
    cases: int = 0

    def scores(self) -> dict[str, Any]:
        return {
            "overall": {k: c.as_dict() for k, c in self.overall.items()},
            "by_language": {
                lang: {k: c.as_dict() for k, c in kinds.items()} for lang, kinds in sorted(self.by_language.items())
            },
            "language_detection_accuracy": round(self.language_hits / self.cases, 3) if self.cases else 1.0,
        }

    def misses(self) -> list[str]:
        """Targets not met, as readable lines (empty when all are met)."""
        out = []
        for kind, (measure, minimum) in TARGETS.items():
            value = float(self.overall[kind].as_dict()[measure])
            if value < minimum:
                out.append(f"{kind} {measure} {value:.3f} < {minimum}")
        return out


_CANONICAL = {normalise(alias): normalise(v.name) for v in VENDORS for alias in v.aliases}


def recipient_key(name: str) -> str:
    """A recipient as compared: normalised, and a lexicon alias as its vendor ("DHL Express" is DHL)."""
    key = normalise(name)
    return _CANONICAL.get(key, key)


def _expected(raw: dict[str, Any]) -> dict[str, frozenset[str]]:
    exp = {k: frozenset(str(v) for v in raw.get(k) or []) for k in KINDS if k != "organization"}
    exp["recipients"] = frozenset(recipient_key(v) for v in exp["recipients"])
    org = raw.get("organization")
    items = set()
    if org:
        items.add(f"name:{normalise(org['name'])}")
        if org.get("country"):
            items.add(f"country:{org['country']}")
    exp["organization"] = frozenset(items)
    return exp


def load_synthetic(directory: Path) -> list[Case]:
    cases = []
    for path in sorted(directory.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict) or "text" not in raw:
            continue  # holdout/first_runs.yaml is a record of scores, not a case
        cases.append(Case(raw["id"], raw["language"], raw["kind"], raw["text"], _expected(raw["expected"]), False))
    return cases


def load_holdout(eval_dir: Path = EVAL_DIR) -> list[Case]:
    """Texts annotated after the extractor was built and scored once, never tuned on: the honest estimate."""
    return load_synthetic(eval_dir / "holdout")


def load_cases(eval_dir: Path = EVAL_DIR, seeds_dir: Path = SEEDS_DIR) -> tuple[list[Case], list[str]]:
    """The synthetic cases, plus the real ones whose source file is present unchanged; and why any was skipped."""
    cases, skipped = load_synthetic(eval_dir), []
    for path in sorted((eval_dir / "real").glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        source = seeds_dir / raw["source_file"]
        if not source.is_file():
            skipped.append(f"{raw['id']}: {source} is missing")
            continue
        data = source.read_bytes()
        if hashlib.sha256(data).hexdigest() != raw["sha256"]:
            skipped.append(f"{raw['id']}: {source} changed (sha256 differs from the annotation)")
            continue
        text = data.decode("utf-8")
        cases.append(Case(raw["id"], raw["language"], raw["kind"], text, _expected(raw["expected"]), True))
    return cases, skipped


def predicted(extraction: Extraction) -> dict[str, set[str]]:
    """The extraction in the annotation's terms (see tests/extract/eval/README.md)."""
    recipients = extraction.of(FactKind.RECIPIENT)
    retention = {f.value for f in extraction.of(FactKind.RETENTION)}
    flags = {f"NO_TRANSFER_OUTSIDE:{f.value}" for f in extraction.of(FactKind.NO_TRANSFER_OUTSIDE)}
    flags |= {f"LEGAL_REFERENCE:{f.value}" for f in extraction.of(FactKind.LEGAL_REFERENCE)}
    if "indefinite" in retention:
        flags.add("INDEFINITE_RETENTION")
    org: set[str] = set()
    for fact in extraction.of(FactKind.ORGANIZATION)[:1]:
        org.add(f"name:{normalise(fact.value)}")
        if fact.detail.get("country"):
            org.add(f"country:{fact.detail['country']}")
    return {
        "recipients": {recipient_key(f.value) for f in recipients if f.detail.get("unnamed") != "true"},
        "recipient_classes": {f.value for f in recipients if f.detail.get("unnamed") == "true"},
        "countries": {f.value for f in extraction.of(FactKind.COUNTRY)},
        "mechanisms": {f.value for f in extraction.of(FactKind.MECHANISM)},
        "categories": {f.value for f in extraction.of(FactKind.CATEGORY)},
        "retention": retention,
        "flags": flags,
        "organization": org,
    }


def evaluate(cases: Iterable[Case]) -> Report:
    """Score every case; extraction detects the language itself, as it would for an upload."""
    report = Report()
    for case in cases:
        extraction = extract(case.text, source=case.id)
        got = predicted(extraction)
        report.cases += 1
        report.language_hits += extraction.language == case.language
        per_lang = report.by_language.setdefault(case.language, {k: Counts() for k in KINDS})
        for kind in KINDS:
            want = set(case.expected[kind])
            report.overall[kind].add(got[kind], want)
            per_lang[kind].add(got[kind], want)
            if got[kind] != want:
                report.errors.setdefault(case.id, {})[kind] = {
                    "false_positives": sorted(got[kind] - want),
                    "false_negatives": sorted(want - got[kind]),
                }
    return report


def _timed(text: str, runs: int) -> dict[str, float | int]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        extract(text)
        times.append((time.perf_counter() - start) * 1000)
    return {
        "chars": len(text),
        "median_ms": round(statistics.median(times), 2),
        "max_ms": round(max(times), 2),
        "runs": runs,
    }


def _table(report: Report) -> str:
    lines = [f"{'kind':<18} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6}  " + "  ".join(f"{lang:>5}" for lang in LANGUAGES)]
    for kind in KINDS:
        s = report.overall[kind].as_dict()
        per = [report.by_language.get(lang, {}).get(kind) for lang in LANGUAGES]
        cells = [f"{c.as_dict()['f1']:>5.2f}" if c and c.docs else f"{'-':>5}" for c in per]
        lines.append(f"{kind:<18} {s['precision']:>6.3f} {s['recall']:>6.3f} {s['f1']:>6.3f} {s['accuracy']:>6.3f}  "
                     + "  ".join(cells))  # fmt: skip
    lines.append("(per-language columns: F1)")
    return "\n".join(lines)


def score_once(directory: Path) -> None:
    """Score a new held-out set (its first run): print the table and every error, write nothing."""
    cases = load_synthetic(directory)
    report = evaluate(cases)
    print(f"{len(cases)} documents in {directory}")
    print(_table(report))
    print(json.dumps({"overall": report.scores()["overall"], "targets_missed": report.misses()}, indent=1))
    print(json.dumps(report.errors, indent=1, ensure_ascii=False))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--score", type=Path, help="only score this directory of annotated texts (a first run)")
    args = parser.parse_args(argv)
    if args.score:
        score_once(args.score)
        return
    cases, skipped = load_cases()
    synthetic = [c for c in cases if not c.real]
    real = [c for c in cases if c.real]
    holdout = load_holdout()
    everything, synthetic_only, held = evaluate(cases), evaluate(synthetic), evaluate(holdout)
    # Speed: a ~30 KB text made of the synthetic texts, and each real statement.
    corpus = "\n\n".join(c.text for c in synthetic)
    big = (corpus * (30_000 // len(corpus) + 1))[:30_000]
    speed: dict[str, Any] = {"synthetic_30kb": _timed(big, 10)}
    for case in real:
        speed[case.id] = _timed(case.text, 10)
    results: dict[str, Any] = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "eval_set": {
            "synthetic": len(synthetic),
            "real": len(real),
            "skipped": skipped,
            "by_language": {lang: sum(c.language == lang for c in cases) for lang in LANGUAGES},
        },
        "targets": {k: {"measure": m, "minimum": v} for k, (m, v) in TARGETS.items()},
        "all": {**everything.scores(), "targets_missed": everything.misses()},
        "synthetic_only": {**synthetic_only.scores(), "targets_missed": synthetic_only.misses()},
        "holdout": {"documents": len(holdout), **held.scores(), "targets_missed": held.misses(), "errors": held.errors},
        "holdout_first_runs": yaml.safe_load((EVAL_DIR / "holdout" / "first_runs.yaml").read_text(encoding="utf-8")),
        "speed": speed,
        "errors": everything.errors,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "extraction.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(cases)} documents ({len(synthetic)} synthetic, {len(real)} real); skipped: {skipped or 'none'}")
    print(_table(everything))
    print(f"language detection accuracy: {everything.scores()['language_detection_accuracy']}")
    print("speed:", json.dumps(speed))
    print("targets missed:", everything.misses() or "none")
    print(f"\nholdout ({len(holdout)} documents; tuned on after its first run, see holdout/first_runs.yaml):")
    print(_table(held))
    print("holdout targets missed:", held.misses() or "none")
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
