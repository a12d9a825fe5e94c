"""A sub-processor table as draft facts: each row a named recipient, its location resolved like any text."""

from __future__ import annotations

from flowmap.extract import extract
from flowmap.extract.facts import DraftFact, Extraction, FactKind, Span
from flowmap.intake import SubprocessorTable

SEPARATOR = " | "


def table_extraction(table: SubprocessorTable) -> Extraction:
    """The rows become the text the spans index (one line per row), so evidence still points at the row's words."""
    lines: list[str] = []
    facts: list[DraftFact] = []
    offset = 0
    for row in table.rows:
        line = SEPARATOR.join((row.name, row.purpose or "", row.location or ""))
        located_from = len(line) - len(row.location or "")
        countries = [
            f
            for f in extract(line, source=table.name).of(FactKind.COUNTRY)
            if f.span.start >= located_from and len(f.value) == 2
        ]
        detail = {"role": "processor", "row": str(row.line)}
        if row.purpose:
            detail["purpose"] = row.purpose
        if countries:
            detail["country"] = ",".join(dict.fromkeys(f.value for f in countries))
        facts.append(DraftFact(FactKind.RECIPIENT, row.name, Span(offset, offset + len(row.name), row.name), detail))
        facts += [
            DraftFact(f.kind, f.value, Span(offset + f.span.start, offset + f.span.end, f.span.quote))
            for f in countries
        ]
        lines.append(line)
        offset += len(line) + 1
    return Extraction(source=table.name, language="und", text="\n".join(lines), facts=tuple(facts))
