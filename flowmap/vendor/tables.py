"""A sub-processor table as draft facts: each row a named recipient, its cells read like any text.

The location, transfer-mechanism and data-category cells are run through the text extractor, and only the
facts that fall inside the cell they belong to are kept: a mechanism column that says "SCCs (2021)" becomes
that row's basis, without a country in the purpose column becoming its location.
"""

from __future__ import annotations

from flowmap.extract import extract
from flowmap.extract.facts import DraftFact, Extraction, FactKind, Span
from flowmap.intake import SubprocessorRow, SubprocessorTable

SEPARATOR = " | "
# Which fact kinds each cell may yield; the name and purpose cells yield none of their own.
_CELL_KINDS: dict[str, frozenset[FactKind]] = {
    "location": frozenset({FactKind.COUNTRY}),
    "transfer_mechanism": frozenset({FactKind.MECHANISM}),
    "data_categories": frozenset({FactKind.CATEGORY}),
}


def _cells(row: SubprocessorRow) -> list[tuple[str, str]]:
    return [
        ("name", row.name),
        ("purpose", row.purpose or ""),
        ("location", row.location or ""),
        ("transfer_mechanism", row.extra.get("transfer_mechanism", "")),
        ("data_categories", row.extra.get("data_categories", "")),
    ]


def _row_facts(row: SubprocessorRow, source: str) -> tuple[str, list[DraftFact]]:
    """The row as one line, and the facts its typed cells state (offsets within that line)."""
    cells = _cells(row)
    line = SEPARATOR.join(value for _, value in cells)
    bounds: dict[str, tuple[int, int]] = {}
    at = 0
    for key, value in cells:
        bounds[key] = (at, at + len(value))
        at += len(value) + len(SEPARATOR)
    found = extract(line, source=source).facts
    kept = [
        f
        for f in found
        for key, kinds in _CELL_KINDS.items()
        if f.kind in kinds and bounds[key][0] <= f.span.start < bounds[key][1]
    ]
    # A location cell names places; a region word in it ("EU") is kept only as a country-level fact.
    return line, [f for f in kept if f.kind is not FactKind.COUNTRY or len(f.value) == 2]


def table_extraction(table: SubprocessorTable) -> Extraction:
    """The rows become the text the spans index (one line per row), so evidence still points at the row's words."""
    lines: list[str] = []
    facts: list[DraftFact] = []
    offset = 0
    for row in table.rows:
        line, found = _row_facts(row, table.name)
        countries = [f.value for f in found if f.kind is FactKind.COUNTRY]
        mechanisms = [f.value for f in found if f.kind is FactKind.MECHANISM]
        detail = {"role": "processor", "row": str(row.line)}
        if row.purpose:
            detail["purpose"] = row.purpose
        if countries:
            detail["country"] = ",".join(dict.fromkeys(countries))
        if mechanisms:
            detail["mechanisms"] = ",".join(dict.fromkeys(mechanisms))
        facts.append(DraftFact(FactKind.RECIPIENT, row.name, Span(offset, offset + len(row.name), row.name), detail))
        facts += [
            DraftFact(
                f.kind,
                f.value,
                Span(offset + f.span.start, offset + f.span.end, f.span.quote),
                {**f.detail, "row": str(row.line)},
            )
            for f in found
        ]
        lines.append(line)
        offset += len(line) + 1
    return Extraction(source=table.name, language="und", text="\n".join(lines), facts=tuple(facts))
