"""Renders assessments and scenarios as table, JSON or CSV for the CLI. JSON names match the GraphQL types."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from enum import StrEnum

from flowmap.domain.results import Assessment
from flowmap.domain.scenario import Change, ScenarioResult


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    return "\n".join([line.format(*header), line.format(*("-" * w for w in widths)), *(line.format(*r) for r in rows)])


_FORMULA_START = ("=", "+", "-", "@")  # a spreadsheet would run these as formulas (CSV injection)


def spreadsheet_safe(value: str) -> str:
    """Map text is free text (names come from vendors' documents): never let a spreadsheet run it as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def _csv(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([spreadsheet_safe(v) if isinstance(v, str) else v for v in row] for row in rows)
    return out.getvalue()


def render_assessment(assessment: Assessment, fmt: Format) -> str:
    if fmt is Format.JSON:
        return json.dumps(assessment.to_json(), indent=2, ensure_ascii=False)
    header = ["status", "client", "importer", "destination", "basis", "categories", "path", "rules"]
    rows = [
        [
            t.status.value,
            t.client,
            t.importer,
            t.destination or "?",
            t.basis or "-",
            " ".join(t.data_categories),
            " > ".join([t.client, *(h.importer for h in t.path)]),
            " ".join(sorted({f.rule.value for f in t.findings})),
        ]
        for t in sorted(assessment.transfers, key=lambda t: (-t.status.rank, t.client, t.key))
    ]
    if fmt is Format.CSV:
        return _csv(header, rows)
    by_status = Counter(t.status.value for t in assessment.transfers)
    by_rule = Counter(f.rule.value for f in assessment.findings)
    summary = [
        f"as of {assessment.as_of.isoformat()}: {len(assessment.transfers)} transfers "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_status.items())),
        "findings: " + (", ".join(f"{k} {v}" for k, v in sorted(by_rule.items())) or "none"),
        assessment.disclaimer,
    ]
    found = [[f.severity.name, f.rule.value, f.subject, f.message] for f in assessment.findings]
    parts = [
        _table(header, rows) if rows else "no transfers",
        "",
        _table(["severity", "rule", "subject", "message"], found),
    ]
    return "\n".join([*parts, "", *summary])


def render_scenario(result: ScenarioResult, fmt: Format) -> str:
    if fmt is Format.JSON:
        return json.dumps(result.to_json(), indent=2, ensure_ascii=False)
    header = [
        "change",
        "client",
        "importer",
        "destination",
        "basis before",
        "basis after",
        "status before",
        "status after",
    ]
    rows = [
        [
            r.change.value,
            r.before.client,
            r.before.importer,
            r.before.destination or "?",
            r.before.basis or "-",
            r.after.basis or "-",
            r.before.status.value,
            r.after.status.value,
        ]
        for r in result.rows
    ]
    if fmt is Format.CSV:
        return _csv(header, rows)
    counts = {c.value: result.count(c) for c in Change if result.count(c)}
    summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "no transfers"
    return "\n".join([_table(header, rows) if rows else "no transfers", "", summary, result.disclaimer])
