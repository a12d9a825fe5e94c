"""Sub-processor lists as rows: CSV, XLSX, HTML tables and Markdown pipe tables.

Every row keeps the line (CSV, Markdown, HTML) or row number (XLSX) it came from, so a finding can
point the reviewer at the vendor's own list.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from flowmap.intake.errors import IntakeError
from flowmap.intake.headers import LOCATION, NAME, PURPOSE, map_columns, missing
from flowmap.intake.htmlparse import RawTable, html_tables

MAX_ROWS = 10_000  # a sub-processor list has tens of rows; more is the wrong file, or a zip bomb
_MAX_COLUMNS = 100
_HEADER_SEARCH = 10  # a title or notes row may sit above the header in a spreadsheet
_TABLE_HEADER_SEARCH = 2  # an HTML/Markdown table may open with a caption-like row
_DELIMITERS = (";", ",", "\t")
Row = tuple[int, list[str]]


@dataclass(frozen=True)
class SubprocessorRow:
    """One sub-processor as the vendor lists it."""

    name: str
    purpose: str | None
    location: str | None
    line: int
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SubprocessorTable:
    """A vendor's sub-processor list; ``columns`` are the headers as written."""

    name: str
    rows: tuple[SubprocessorRow, ...]
    columns: tuple[str, ...]


def _cell(cells: list[str], index: int | None) -> str | None:
    value = cells[index].strip() if index is not None and index < len(cells) else ""
    return value or None


def _header(rows: list[Row], search: int) -> tuple[int, bool]:
    """Index of the header row among the first ``search`` non-blank rows, and whether it names and locates.

    When none does, the row that maps the most fields, so the error shows the columns the user meant.
    """
    candidates = [i for i, (_, cells) in enumerate(rows) if any(c.strip() for c in cells)][:search]
    if not candidates:
        return 0, False
    best = max(candidates, key=lambda i: (not missing(map_columns(rows[i][1])), len(map_columns(rows[i][1])), -i))
    return best, not missing(map_columns(rows[best][1]))


def build(name: str, rows: list[Row], search: int = 1, unit: str = "line") -> SubprocessorTable:
    """The table under the header row; IntakeError naming the missing and the found columns."""
    if len(rows) > MAX_ROWS:
        raise _too_many_rows(name)
    at, usable = _header(rows, search)
    if not usable:
        first = rows[at][1] if rows else []
        found = ", ".join(repr(c.strip()) for c in first if c.strip()) or "none"
        absent = " and ".join(missing(map_columns(first)))
        raise IntakeError(
            name,
            f"the sub-processor table has no {absent} column (columns found: {found}). "
            "Accepted: a header row with a name column (e.g. Name, Sub-processor, Naam, Unterauftragsverarbeiter, "
            "Sous-traitant) and a location column (e.g. Location, Country, Land, Standort, Pays).",
        )
    headers = _trimmed([h.strip() for h in rows[at][1]])
    mapping = map_columns(headers)
    fields_by_index = {index: f for f, index in mapping.items()}
    out = []
    for line, cells in rows[at + 1 :]:
        if not any(c.strip() for c in cells):
            continue
        row_name = _cell(cells, mapping[NAME])
        if row_name is None:
            raise IntakeError(
                name,
                f"{unit} {line} has no sub-processor name in column {headers[mapping[NAME]]!r}. "
                "Fill in the name on every row (merged cells read as empty).",
            )
        extra: dict[str, str] = {}
        for index, value in enumerate(cells):
            field_name = fields_by_index.get(index)
            if field_name in (NAME, PURPOSE, LOCATION) or not value.strip():
                continue
            key = field_name or (headers[index] if index < len(headers) and headers[index] else f"column {index + 1}")
            extra[key if key not in extra else f"{key} ({index + 1})"] = value.strip()
        out.append(
            SubprocessorRow(row_name, _cell(cells, mapping.get(PURPOSE)), _cell(cells, mapping[LOCATION]), line, extra)
        )
    return SubprocessorTable(name=name, rows=tuple(out), columns=tuple(headers))


def _delimiter(text: str) -> str:
    """The delimiter that splits the most of the first lines into the same number (above one) of columns."""
    sample = [line for line in text.split("\n")[:50] if line.strip()]

    def score(delimiter: str) -> tuple[int, int]:
        widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter) if len(row) > 1)
        return max(((count, width) for width, count in widths.items()), default=(0, 0))

    return max(_DELIMITERS, key=score)


def _csv_rows(text: str, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def from_csv(name: str, text: str) -> SubprocessorTable:
    """A CSV (delimiter ; , or tab, sniffed) whose header row is within the first lines."""
    try:
        rows = list(itertools.islice(_csv_rows(text, _delimiter(text)), MAX_ROWS + 1))
        if len(rows) > MAX_ROWS:
            raise _too_many_rows(name)
    except csv.Error as exc:
        raise IntakeError(
            name, f"the CSV cannot be parsed ({exc}). Accepted: CSV with a header row, separated by ; , or tab."
        ) from None
    return build(name, rows, _HEADER_SEARCH)


def looks_like_csv(text: str) -> bool:
    """Whether a text of unknown kind is a delimited table: short headers naming and locating, rows as wide.

    Strict on purpose: prose such as "Name, address and country of the controller" must stay prose.
    """
    sample = [line for line in text.split("\n")[:50] if line.strip()]
    try:
        rows = list(csv.reader(sample, delimiter=_delimiter(text)))
    except csv.Error:
        return False
    if len(rows) < 2 or len(rows[0]) < 2:
        return False
    header, width = rows[0], len(rows[0])
    consistent = sum(1 for row in rows if len(row) == width) >= 0.8 * len(rows)
    return consistent and all(len(c) <= 60 for c in header) and not missing(map_columns(header))


def _too_many_rows(name: str) -> IntakeError:
    return IntakeError(name, f"the table has more than {MAX_ROWS:,} rows; a sub-processor list is expected.")


def _trimmed(cells: list[str]) -> list[str]:
    """Without the empty cells a spreadsheet row carries after its last value."""
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def from_xlsx(name: str, data: bytes) -> SubprocessorTable:
    """The first worksheet of an XLSX workbook, read in streaming (read-only) mode."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types on damaged input; all mean "not a workbook"
        raise IntakeError(
            name,
            f"this is not a valid XLSX workbook ({type(exc).__name__}: {exc}). "
            "Accepted: .xlsx files saved by Excel or LibreOffice.",
        ) from None
    try:
        if not workbook.worksheets:
            raise IntakeError(
                name,
                "the workbook has no worksheets. Accepted: an .xlsx with the sub-processor list on its first sheet.",
            )
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared size (up to XFD1048576) would pad every row to it
        rows = []
        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            if number > MAX_ROWS:
                raise _too_many_rows(name)
            rows.append((number, _trimmed([_xlsx_text(v) for v in values[:_MAX_COLUMNS]])))
    except IntakeError:
        raise
    except Exception as exc:  # a damaged sheet part surfaces only while streaming
        raise IntakeError(name, f"the workbook's first sheet cannot be read ({type(exc).__name__}: {exc}).") from None
    finally:
        workbook.close()
    return build(name, rows, _HEADER_SEARCH, unit="row")


def from_raw(name: str, tables: Iterable[RawTable]) -> list[SubprocessorTable]:
    """The tables whose header names and locates; others (layout, prices) are skipped."""
    return [build(name, raw.rows, _TABLE_HEADER_SEARCH) for raw in tables if _header(raw.rows, _TABLE_HEADER_SEARCH)[1]]


def from_html(name: str, source: str) -> list[SubprocessorTable]:
    """Every sub-processor table in an HTML page."""
    return from_raw(name, html_tables(source)[0])


_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")


def _md_cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    cells = re.split(r"(?<!\\)\|", body)
    return [_EMPHASIS.sub("", _LINK.sub(r"\1", c.replace("\\|", "|"))).strip() for c in cells]


def markdown_tables(text: str) -> tuple[list[RawTable], bool]:
    """Pipe tables outside code fences, and whether the text is nothing but tables and headings."""
    lines = text.split("\n")
    tables: list[RawTable] = []
    prose, fenced, i = False, False, 0
    while i < len(lines):
        line = lines[i]
        if _FENCE.match(line):
            fenced, prose = not fenced, True
        elif (
            not fenced
            and "|" in line
            and i + 1 < len(lines)
            and _DELIMITER_ROW.match(lines[i + 1])
            and "|" in lines[i + 1]
        ):
            table = RawTable(i + 1, [(i + 1, _md_cells(line))])
            i += 2
            while i < len(lines) and lines[i].strip() and "|" in lines[i]:
                table.rows.append((i + 1, _md_cells(lines[i])))
                i += 1
            tables.append(table)
            continue
        elif line.strip() and not line.lstrip().startswith("#"):
            prose = True
        i += 1
    return tables, not prose


def from_markdown(name: str, text: str) -> list[SubprocessorTable]:
    """Every sub-processor pipe table in a Markdown text."""
    return from_raw(name, markdown_tables(text)[0])
