"""The vendor report as a terminal table, Markdown (to paste into a ticket) or JSON (GraphQL field names)."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from flowmap.extract.facts import DraftFact
from flowmap.vendor.check import VendorReport


class VendorFormat(StrEnum):
    TABLE = "table"
    MD = "md"
    JSON = "json"


def _fact_json(source: str, f: DraftFact) -> dict[str, Any]:
    return {
        "source": source,
        "kind": f.kind.value,
        "value": f.value,
        "detail": dict(sorted(f.detail.items())),
        "span": {"start": f.span.start, "end": f.span.end, "quote": f.span.quote},
    }


def report_json(report: VendorReport) -> dict[str, Any]:
    c = report.candidate
    return {
        "asOf": report.as_of.isoformat(),
        "disclaimer": report.disclaimer,
        "vendor": {"id": c.vendor.id, "name": c.vendor.name, "country": c.vendor.country},
        "client": {"id": c.client.id, "name": c.client.name, "hypothetical": c.client.id.startswith("candidate.")},
        "facts": [_fact_json(x.source, f) for x in report.extractions for f in x.facts],
        "transfers": [t.to_json() for t in report.transfers],
        "findings": [f.to_json() for f in report.findings],
        "newDestinations": list(report.new_destinations),
        "questionnaire": [{"question": q.text, "reason": q.reason, "subject": q.subject} for q in report.questions],
    }


def _lines(report: VendorReport, md: bool) -> list[str]:
    c = report.candidate
    h1, h2, bullet = ("# ", "## ", "- ") if md else ("", "", "  - ")
    out = [
        f"{h1}Vendor check: {c.vendor.name} (as of {report.as_of.isoformat()})",
        f"Client: {c.client.name}. {report.disclaimer}",
        "",
        f"{h2}Draft facts ({sum(len(x.facts) for x in report.extractions)})",
    ]
    for x in report.extractions:
        for f in x.facts:
            detail = ", ".join(f"{k}={v}" for k, v in sorted(f.detail.items()))
            quote = f.span.quote if len(f.span.quote) <= 120 else f.span.quote[:117] + "..."
            out.append(
                f"{bullet}{f.kind.value} {f.value}{f' ({detail})' if detail else ''}: "
                f'{x.source}@{f.span.start}-{f.span.end} "{quote}"'
            )
    out += ["", f"{h2}Transfers through the vendor ({len(report.transfers)})"]
    for t in report.transfers:
        path = " > ".join([t.path[0].exporter, *(h.importer for h in t.path)])
        out.append(f"{bullet}{t.status.value}: {path} -> {t.destination or '(not stated)'}; basis {t.basis or 'none'}")
        out += [f"{'  ' if md else '      '}- {f.rule.value} ({f.severity.name}): {f.message}" for f in t.findings]
    if report.new_destinations:
        shown = ", ".join(d or "(not stated)" for d in report.new_destinations)
        out += ["", f"New destinations for this client: {shown}"]
    other = [f for f in report.findings if not f.subject.startswith("engagement:")]
    if other:
        out += ["", f"{h2}Findings on the vendor and its documents ({len(other)})"]
        out += [f"{bullet}{f.rule.value} ({f.severity.name}): {f.message}" for f in other]
    out += ["", f"{h2}Questions for the vendor ({len(report.questions)})"]
    out += [f"{i}. {q.text} [{q.reason}]" for i, q in enumerate(report.questions, start=1)]
    return out


def render_vendor_report(report: VendorReport, fmt: VendorFormat) -> str:
    if fmt is VendorFormat.JSON:
        return json.dumps(report_json(report), indent=2, ensure_ascii=False)
    return "\n".join(_lines(report, md=fmt is VendorFormat.MD))
