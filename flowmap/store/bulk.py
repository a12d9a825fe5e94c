"""Bulk import of a whole map from CSV files: read as columns, checked, and stored by the engine's own loader.

Why: per-row ``UNWIND ... MERGE`` runs at about 2k edges/s, LadybugDB's ``COPY FROM`` an Arrow table at about
120k/s (bench/import_speed.md). The files hold the tables' own columns (``BULK_FILES``). ``BulkLoad`` reads each
file once with pyarrow, as columns of text (NULL for an unquoted empty cell, as COPY FROM reads CSV; repetitive
columns dictionary-encoded), converts the typed cells as COPY FROM converts them (dates, booleans, lists) and hands
the engine the very table it checks. The checks run on those columns with ``pyarrow.compute``: every rule the
domain models enforce, on the *distinct* values of each column (``COLUMN_RULES``; a 1.1M-engagement map has a few
thousand distinct category sets, and key columns are screened vectorised first), the rules across columns
(``ROW_RULES``), and what COPY FROM would refuse on its own (cell types, unique keys, existing endpoints). Any
failure names the file, line, column and value, and nothing is imported. The checks take ~1.5 s of CPU at L and
run beside the engine's COPY, which keeps to one core.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import json
import re
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Union, cast, get_args, get_origin

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from pydantic import StringConstraints, TypeAdapter, ValidationError

from flowmap.domain.models import Citation, Document, Engagement, FlowMap, LegalReference, Organization
from flowmap.errors import Issue, ValidationFailed, pydantic_messages
from flowmap.store import rows
from flowmap.store.queries import Query
from flowmap.store.rows import pipe_split
from flowmap.store.schema import (
    CITES,
    DOCUMENT,
    ENGAGES,
    LEGAL_REFERENCE,
    ORGANIZATION,
    PART_OF,
    PUBLISHED,
    NodeTable,
    RelTable,
)

MAX_SHOWN_ISSUES = 20


@dataclass(frozen=True)
class BulkFile:
    name: str
    table: NodeTable | RelTable
    required: bool

    @property
    def columns(self) -> tuple[str, ...]:
        props = self.table.prop_names
        return ("from", "to", *props) if isinstance(self.table, RelTable) else props


# In load order: the nodes first (every relationship's ends, and the documents evidence cites, must exist). Every
# table of the map has its file, so a bulk directory (and a `flowmap export` dump, which goes through one) holds
# the whole map: the organisations' parents, the documents' publishers and citations, the legal references.
BULK_FILES = (
    BulkFile("organizations.csv", ORGANIZATION, True),
    BulkFile("documents.csv", DOCUMENT, False),
    BulkFile("legal_references.csv", LEGAL_REFERENCE, False),
    BulkFile("engagements.csv", ENGAGES, True),
    BulkFile("parents.csv", PART_OF, False),
    BulkFile("publishers.csv", PUBLISHED, False),
    BulkFile("citations.csv", CITES, False),
)
NODE_FILES = {spec.table.name: spec.name for spec in BULK_FILES if isinstance(spec.table, NodeTable)}


@dataclass(frozen=True)
class BulkSource:
    """A checked bulk directory: which of ``BULK_FILES`` it has, and their data rows (header excluded)."""

    directory: Path
    files: dict[str, Path]
    rows: dict[str, int]

    @property
    def engagements(self) -> int:
        return self.rows["engagements.csv"]


def _count_rows(path: Path) -> int:
    with path.open("rb") as f:
        return max(0, sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1)


def open_bulk(directory: Path) -> BulkSource:
    """The files present, each with exactly its table's columns in order; ValidationFailed naming what is wrong."""
    if not directory.is_dir():
        raise ValidationFailed([Issue(str(directory), "", "is not a directory of bulk CSV files")])
    issues: list[Issue] = []
    files: dict[str, Path] = {}
    for spec in BULK_FILES:
        path = (directory / spec.name).resolve()
        if not path.is_file():
            if spec.required:
                issues.append(Issue(str(directory), spec.name, "is missing (see `flowmap import --help`)"))
            continue
        try:
            with path.open(encoding="utf-8", newline="") as f:
                header = next(csv.reader(f), [])
            with path.open("rb") as f:  # the whole file, once, in chunks: a bad byte anywhere is named here
                decoder = codecs.getincrementaldecoder("utf-8")()
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    decoder.decode(chunk)
                decoder.decode(b"", final=True)
        except (UnicodeDecodeError, csv.Error) as exc:
            issues.append(Issue(str(path), "", f"is not a UTF-8 CSV file ({exc})"))
            continue
        if tuple(header) != spec.columns:
            missing = [c for c in spec.columns if c not in header]
            extra = [c for c in header if c not in spec.columns]
            detail = "; ".join(
                part
                for part in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unexpected {', '.join(extra)}" if extra else "",
                    "the columns are out of order" if not missing and not extra else "",
                )
                if part
            )
            issues.append(Issue(str(path), "header", f"{detail}. Expected: {','.join(spec.columns)}", line=1))
            continue
        files[spec.name] = path
    if issues:
        raise ValidationFailed(issues)
    return BulkSource(directory, files, {name: _count_rows(path) for name, path in files.items()})


def imported(source: BulkSource) -> dict[str, Any]:
    """What an import's audit entry says it read: the directory and each file's rows."""
    return {"directory": str(source.directory), **{k.removesuffix(".csv"): n for k, n in source.rows.items()}}


def csv_cell(value: Any) -> str:
    """A row value as COPY FROM reads it: empty for NULL, true/false, [a,b] for a list."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ",".join(value) + "]"
    return str(value)


def write_rows(path: Path, columns: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> int:
    """One bulk file from store rows (``flowmap.store.rows``); rels' ``src``/``dst`` become ``from``/``to``."""
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([csv_cell(row.get({"from": "src", "to": "dst"}.get(c, c))) for c in columns])
            n += 1
    return n


def write_bulk(flow_map: FlowMap, directory: Path) -> dict[str, int]:
    """A whole map as a bulk directory, one file per table; rows written per file."""
    directory.mkdir(parents=True, exist_ok=True)
    specs = {spec.name: spec for spec in BULK_FILES}
    sources: dict[str, Iterable[dict[str, Any]]] = {
        "organizations.csv": (rows.organization_row(o) for o in flow_map.organizations),
        "documents.csv": (rows.document_row(d) for d in flow_map.documents),
        "legal_references.csv": (rows.legal_reference_row(r) for r in flow_map.legal_references),
        "engagements.csv": (rows.engagement_row(e) for e in flow_map.engagements),
        "parents.csv": (rows.parent_row(o) for o in flow_map.organizations if o.parent),
        "publishers.csv": (rows.publisher_row(d) for d in flow_map.documents if d.publisher),
        "citations.csv": (r for d in flow_map.documents for r in rows.citation_rows(d)),
    }
    return {name: write_rows(directory / name, specs[name].columns, it) for name, it in sources.items()}


# --- the rules --------------------------------------------------------------------------------------------

Parse = Callable[[Any], Any]
Screen = Callable[[Any], Any]  # text column -> boolean column: true where the value certainly passes the field


def _json(value: Any) -> Any:
    return json.loads(value) if value else []


def _pipes(value: Any) -> Any:
    return pipe_split(value)


def _same(value: Any) -> Any:
    return value


def _plain_constraints(annotation: Any, metadata: list[Any]) -> StringConstraints | None:
    """The constraints of a field that is a ``str`` (or None) under one StringConstraints and nothing else."""
    args = get_args(annotation)
    if get_origin(annotation) in (Union, types.UnionType) and len(args) == 2 and type(None) in args:
        annotation = next(a for a in args if a is not type(None))
    if get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        metadata = [*metadata, *extra]
    if annotation is not str or len(metadata) != 1 or not isinstance(metadata[0], StringConstraints):
        return None
    found = metadata[0]
    if found.strip_whitespace or found.to_upper or found.to_lower or found.strict:
        return None
    return found


@dataclass(frozen=True)
class ColumnRule:
    """A column's distinct values must each pass the model field's own validation."""

    file: str
    column: str
    model: type[Organization] | type[Engagement] | type[Document] | type[LegalReference] | type[Citation]
    field: str
    parse: Parse = _same

    def annotation(self) -> Any:
        info = self.model.model_fields[self.field]
        annotation: Any = info.annotation
        for meta in info.metadata:
            annotation = Annotated[annotation, meta]
        return annotation

    def adapter(self) -> TypeAdapter[Any]:
        return TypeAdapter(self.annotation())

    def screen(self) -> Screen | None:
        """For a field that is a plain constrained ``str`` (the ids), the same pattern and length test as a
        vectorised pass over the whole column: a value it passes, pydantic passes; the rest go to ``adapter``."""
        if self.parse is not _same:
            return None
        info = self.model.model_fields[self.field]
        found = _plain_constraints(info.annotation, list(info.metadata))
        if found is None:
            return None
        pattern = found.pattern if isinstance(found.pattern, str | None) else found.pattern.pattern

        def screen(values: Any) -> Any:
            ok = pc.match_substring_regex(values, pattern) if pattern else pc.is_valid(values)
            if found.max_length is not None:
                ok = pc.and_(ok, pc.less_equal(pc.utf8_length(values), found.max_length))
            if found.min_length is not None:
                ok = pc.and_(ok, pc.greater_equal(pc.utf8_length(values), found.min_length))
            return ok

        return screen


_ORG = "organizations.csv"
_ENG = "engagements.csv"
_DOC = "documents.csv"
_REF = "legal_references.csv"
_PARENTS = "parents.csv"
_PUBLISHERS = "publishers.csv"
_CITATIONS = "citations.csv"
COLUMN_RULES = (
    *(ColumnRule(_ORG, c, Organization, c) for c in ("name", "legal_name", "country", "address", "website")),
    *(ColumnRule(_ORG, c, Organization, c) for c in ("recipient_class", "description")),
    *(
        ColumnRule(_ORG, c, Organization, c, _json)
        for c in ("registrations", "certifications", "retention", "collects", "transfer_statements", "evidence")
    ),
    ColumnRule(_ORG, "id", Organization, "id"),
    ColumnRule(_DOC, "id", Document, "id"),
    ColumnRule(_DOC, "kind", Document, "kind"),
    ColumnRule(_DOC, "title", Document, "title"),
    *(ColumnRule(_DOC, c, Document, c) for c in ("url", "language", "source_file", "sha256")),
    ColumnRule(_ENG, "id", Engagement, "id"),
    *(ColumnRule(_ENG, c, Engagement, c) for c in ("role", "service", "purpose", "location_scope", "regime")),
    ColumnRule(_ENG, "tia_ref", Engagement, "tia_ref"),
    ColumnRule(_ENG, "categories", Engagement, "categories", _pipes),
    ColumnRule(_ENG, "countries", Engagement, "countries", _pipes),
    ColumnRule(_ENG, "mechanisms", Engagement, "mechanisms", _json),
    ColumnRule(_ENG, "evidence", Engagement, "evidence", _json),
    *(ColumnRule(_REF, c, LegalReference, c) for c in ("id", "name", "kind", "jurisdiction", "reference")),
    ColumnRule(_CITATIONS, "section", Citation, "section"),
    ColumnRule(_CITATIONS, "quote", Citation, "quote"),
)

Offending = Callable[[Any], list[int]]  # a file's table -> the rows breaking a rule (0-based, in file order)


@dataclass(frozen=True)
class RowRule:
    """A rule across columns: ``offending`` finds the rows that break it, vectorised over the file's table."""

    file: str
    column: str
    message: str
    offending: Offending


def _where(mask: Any) -> list[int]:
    """The first rows where ``mask`` is true (NULL counts as false)."""
    flat = pc.fill_null(mask, False)
    flat = flat.combine_chunks() if isinstance(flat, pa.ChunkedArray) else flat
    return [int(i) for i in pc.indices_nonzero(flat).slice(0, MAX_SHOWN_ISSUES).to_pylist()]


def _per_value(column: Any, test: Callable[[Any], Any]) -> Any:
    """``test`` of every row's value; once per distinct value when the column is dictionary-encoded."""
    if not pa.types.is_dictionary(column.type):
        return test(column)
    return pa.chunked_array([pc.take(test(c.dictionary), c.indices) for c in column.chunks], type=pa.bool_())


def _blank(column: Any) -> Any:
    return pc.fill_null(_per_value(column, lambda v: pc.equal(v, "")), True)


def _equals(column: Any, value: str) -> Any:
    return _per_value(column, lambda v: pc.equal(v, value))


def _repeats(column: Any) -> list[int]:
    """The first rows whose (non-NULL) value an earlier row already holds."""
    valid = len(column) - column.null_count
    if not valid or pc.count_distinct(column).as_py() == valid:  # one hash pass: the usual answer
        return []
    order = pc.sort_indices(column)  # stable: the earlier of two equal values first, NULLs last
    ordered = pc.take(column, order)
    again = pc.fill_null(pc.equal(ordered.slice(1), ordered.slice(0, len(ordered) - 1)), False)
    return sorted(int(i) for i in pc.filter(order.slice(1), again).to_pylist())[:MAX_SHOWN_ISSUES]


def _same_ends(table: Any) -> list[int]:
    return _where(pc.equal(table["from"], table["to"]))


def _ends_before_start(table: Any) -> list[int]:
    return _where(pc.less(table["valid_to"], table["valid_from"]))


def _stated_without_countries(table: Any) -> list[int]:
    return _where(pc.and_(_equals(table["location_scope"], "stated"), _blank(table["countries"])))


def _unnamed_without_class(table: Any) -> list[int]:
    return _where(pc.and_(table["unnamed"], _blank(table["recipient_class"])))


ROW_RULES = (
    RowRule(_ENG, "from", "exporter and importer are the same organisation", _same_ends),
    RowRule(_ENG, "valid_to", "valid_to is before valid_from", _ends_before_start),
    RowRule(_ENG, "countries", "location_scope 'stated' needs at least one country", _stated_without_countries),
    RowRule(_ENG, "id", "the engagement id is used twice", lambda table: _repeats(table["id"])),
    RowRule(_ORG, "recipient_class", "an unnamed placeholder needs recipient_class", _unnamed_without_class),
    RowRule(_PARENTS, "from", "an organisation cannot be its own parent", _same_ends),
    RowRule(_PARENTS, "id", "an organisation has one parent", lambda table: _repeats(table["from"])),
    RowRule(_PUBLISHERS, "id", "a document has one publisher", lambda table: _repeats(table["to"])),
    RowRule(_CITATIONS, "id", "the citation id is used twice", lambda table: _repeats(table["id"])),
)


def _evidence_documents(values: Iterable[Any]) -> set[str]:
    return {item["document"] for v in values for item in _json(v) if isinstance(item, dict) and "document" in item}


# --- cells as COPY FROM stores them ----------------------------------------------------------------------

Cell = Callable[[str], Any]  # a non-NULL cell as COPY FROM stores it; ValueError says what is wrong
_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def boolean_cell(cell: str) -> bool | None:
    word = cell.strip().lower()
    if not word:
        return None
    if word in ("true", "1"):
        return True
    if word in ("false", "0"):
        return False
    raise ValueError(f"{cell!r} is not true or false")


def date_cell(cell: str) -> date | None:
    if not cell.strip():
        return None
    found = _DATE.match(cell)
    try:
        if found is None:
            raise ValueError
        return date(*(int(g) for g in found.groups()))
    except ValueError:
        raise ValueError(f"{cell!r} is not a date (YYYY-MM-DD)") from None


def list_cell(cell: str) -> list[str] | None:
    """``[a,b]``: elements trimmed; a comma inside quotes does not split (the quotes stay)."""
    text = cell.strip()
    if not text:
        return None
    if len(text) < 2 or text[0] != "[" or text[-1] != "]":
        raise ValueError(f"{cell!r} is not a list ([a,b])")
    inner = text[1:-1]
    if not inner.strip():
        return []
    items: list[str] = []
    current, quote = "", ""
    for ch in inner:
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch == ",":
            items.append(current.strip())
            current = ""
            continue
        current += ch
    items.append(current.strip())
    if any(not item for item in items):
        raise ValueError(f"{cell!r} has an empty element")
    return items


def integer_cell(cell: str) -> int | None:
    if not cell.strip():
        return None
    try:
        return int(cell.strip())
    except ValueError:
        raise ValueError(f"{cell!r} is not a whole number") from None


CELLS: dict[str, tuple[Cell, Any]] = {  # LadybugDB type -> (cell converter, Arrow type COPY FROM takes)
    "BOOLEAN": (boolean_cell, pa.bool_()),
    "INT64": (integer_cell, pa.int64()),
    "DATE": (date_cell, pa.date32()),
    "STRING[]": (list_cell, pa.list_(pa.string())),
}


# --- reading and checking ---------------------------------------------------------------------------------

NOUNS = {ORGANIZATION.name: "organisation", DOCUMENT.name: "document", LEGAL_REFERENCE.name: "legal reference"}
_KEYS = ("id", "from", "to")  # about one value per row: kept plain, never dictionary-encoded


def copy_statement(spec: BulkFile, table: Any) -> Query:
    """LadybugDB's bulk loader, from a table ``BulkLoad`` made and checked (the table travels as a parameter)."""
    return Query(f"COPY {spec.table.name} FROM $rows", {"rows": table})


def _records(path: Path) -> Iterator[tuple[int, list[str]]]:
    """The data records of a file with the line each starts on; blank lines skipped, as pyarrow skips them."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        line = reader.line_num + 1
        for cells in reader:
            if cells:
                yield line, cells
            line = reader.line_num + 1


def _one_per_line(path: Path, rows_read: int, rows_counted: int) -> bool:
    """Whether each record of a file is one line (no line break inside a quoted cell, no blank line): then its
    line breaks, counted by ``open_bulk``, are one per record plus the header's, the last perhaps missing."""
    with path.open("rb") as f:
        f.seek(max(0, path.stat().st_size - 1))
        ends_with_newline = f.read(1) == b"\n"
    return rows_read == rows_counted + (0 if ends_with_newline else 1)


class _Lines:
    """Data rows (0-based, as pyarrow numbers them) to the line each starts on; for error messages only."""

    def __init__(self, path: Path, one_per_line: bool) -> None:
        self.path = path
        self.one_per_line = one_per_line  # then row i is on line i + 2

    def __call__(self, rows: Iterable[int]) -> dict[int, int]:
        wanted = set(rows)
        if self.one_per_line or not wanted:
            return {row: row + 2 for row in wanted}
        found: dict[int, int] = {}
        last = max(wanted)
        try:
            for row, (line, _) in enumerate(_records(self.path)):
                if row in wanted:
                    found[row] = line
                if row >= last:
                    break
        except (csv.Error, UnicodeDecodeError):
            pass
        return found


def _read_csv(spec: BulkFile, path: Path, *, newlines_in_values: bool) -> Any:
    """A file as columns of text: NULL for an empty cell, an empty string for "" (as COPY FROM reads CSV)."""
    return pa_csv.read_csv(
        path,
        read_options=pa_csv.ReadOptions(column_names=list(spec.columns), skip_rows=1),
        parse_options=pa_csv.ParseOptions(newlines_in_values=newlines_in_values),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(spec.columns, pa.string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            null_values=[""],
        ),
    )


def _unreadable(spec: BulkFile, path: Path, exc: Exception) -> Issue:
    """Why pyarrow could not read a file, at its line: a record of the wrong width, or bytes that are not UTF-8."""
    with path.open("rb") as f:
        for number, raw in enumerate(f, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as bad:
                return Issue(str(path), "", f"is not UTF-8 text ({raw[bad.start : bad.end]!r})", number)
    width = len(spec.columns)
    try:
        for line, cells in _records(path):
            if len(cells) != width:
                return Issue(str(path), "", f"has {len(cells)} cells; the header has {width}", line)
    except csv.Error as bad:
        return Issue(str(path), "", f"cannot be read as CSV: {bad}")
    return Issue(str(path), "", f"cannot be read as CSV: {exc}")


def _first_row(column: Any, value: Any) -> int:
    """The first row holding ``value`` (None: the first NULL) in a text column, plain or dictionary-encoded."""
    if value is None:
        mask = pc.is_null(column)
    elif pa.types.is_dictionary(column.type):
        mask = _equals(column, value)
    else:
        mask = pc.equal(column, value)
    return int(pc.index(pc.fill_null(mask, False), True).as_py())


def _distinct(column: Any) -> list[Any]:
    """A text column's distinct values, None among them if it has NULLs."""
    if pa.types.is_dictionary(column.type):
        values = column.chunk(0).dictionary.to_pylist() if column.num_chunks else []
        return [*values, None] if column.null_count else values
    return list(pc.unique(column).to_pylist())


class _Stop(Exception):
    """The load was abandoned: a file could not be read or converted, or the import gave up."""


class BulkLoad:
    """A bulk directory as the Arrow tables COPY FROM takes, and every check on them, in a thread of its own.

    ``start`` reads the files in load order and hands each table over (``table``) as soon as its cells are
    converted, so the engine loads one file while the next is read and while everything is checked; ``wait``
    then raises ValidationFailed naming the first problems, if any. Whoever loads the tables throws them away
    when ``wait`` raises: the checks are not done when the engine starts.
    """

    def __init__(self, source: BulkSource, step: Callable[[str], None] | None = None) -> None:
        self.source = source
        self.issues: list[Issue] = []
        self._step = step or (lambda _message: None)
        self._tables: dict[str, Any] = {}
        self._handed: dict[str, Future[Any]] = {name: Future() for name in source.files}
        self._lines: dict[str, _Lines] = {}
        self._evidence: dict[str, list[Any]] = {}
        self._thread: threading.Thread | None = None
        self._failure: BaseException | None = None
        self._cancelled = False

    def start(self) -> BulkLoad:
        self._thread = threading.Thread(target=self._run, name="flowmap-bulk-load", daemon=True)
        self._thread.start()
        return self

    def wait(self) -> None:
        """Until every file is read and checked; ValidationFailed (or what else stopped it) if not all passed."""
        self.join()
        if self._failure is not None:
            raise self._failure

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join()

    def cancel(self) -> None:
        """Stop at the next file or rule (the import failed elsewhere); ``join`` to wait for it."""
        self._cancelled = True

    def table(self, name: str) -> Any:
        """The table of ``name`` for COPY FROM, once it is read (waits); raises if the load was abandoned."""
        return self._handed[name].result()

    def _run(self) -> None:
        try:
            self.run()
        except BaseException as exc:
            self._failure = exc

    def run(self) -> None:
        """Read every file and hand its table over, then check them all; ValidationFailed with the first problems."""
        # The system allocator gives freed columns back at once; Arrow's default (mimalloc) keeps them for reuse,
        # which at L left ~170 MB more resident when the engine's load peaks (process-wide, as read_columns does).
        pa.set_memory_pool(pa.system_memory_pool())
        pool = pa.default_memory_pool()
        try:
            for spec in BULK_FILES:
                if spec.name in self.source.files:
                    self._go_on()
                    self._step(f"reading {spec.name}")
                    self._read(spec)
                    pool.release_unused()  # the text the dictionaries replaced: freed before the engine grows
                    if self.issues:
                        self._abandon(_Stop("a file could not be read or converted"))
                    else:
                        self._handed[spec.name].set_result(self._tables[spec.name])
            self._step("checking every column and rule")
            self._check()
            pool.release_unused()
        except BaseException as exc:
            self._abandon(exc)
            raise
        if self.issues:
            raise ValidationFailed(self.issues, "nothing was imported")
        self._step("every check passed")

    def _go_on(self) -> None:
        if self._cancelled:
            raise _Stop("the import gave up")

    def _abandon(self, exc: BaseException) -> None:
        for handed in self._handed.values():
            if not handed.done():
                handed.set_exception(exc)

    def _add(self, issue: Issue) -> None:
        self.issues.append(issue)
        if len(self.issues) >= MAX_SHOWN_ISSUES:
            raise ValidationFailed(self.issues, "nothing was imported")

    def _report(self, file: str, column: str, found: list[tuple[int, str]]) -> None:
        """Issues at rows (row, message), in file order."""
        lines = self._lines[file](row for row, _ in found)
        for row, message in sorted(found, key=lambda f: f[0]):
            self._add(Issue(str(self.source.files[file]), column, message, lines.get(row)))

    # reading

    def _read(self, spec: BulkFile) -> None:
        path = self.source.files[spec.name]
        counted = self.source.rows[spec.name]
        table = None
        with contextlib.suppress(pa.ArrowInvalid):  # fastest when no cell holds a line break; else read again
            table = _read_csv(spec, path, newlines_in_values=False)
        one_per_line = table is not None and _one_per_line(path, table.num_rows, counted)
        if not one_per_line:
            try:
                table = _read_csv(spec, path, newlines_in_values=True)
            except pa.ArrowInvalid as exc:
                self._add(_unreadable(spec, path, exc))
                return
        assert table is not None
        text = table
        self._lines[spec.name] = _Lines(path, one_per_line)
        types = {name: "STRING" for name in spec.columns} | dict(spec.table.props)
        if unknown := {kind for kind in types.values() if kind != "STRING" and kind not in CELLS}:
            raise ValueError(f"{spec.table.name}: no bulk conversion for {', '.join(sorted(unknown))}")
        names = [name for name in spec.columns if name not in _KEYS]
        with ThreadPoolExecutor(2) as threads:  # one column per call: two at a time on the two cores
            found = threads.map(lambda name: pc.dictionary_encode(text[name]).combine_chunks(), names)
            encoded = dict(zip(names, found, strict=True))
        for name in names:
            index = spec.columns.index(name)
            if types[name] in CELLS:
                typed = self._typed(spec, name, table.column(index), encoded[name], *CELLS[types[name]])
                table = table.set_column(index, name, typed)
            elif len(encoded[name].dictionary) * 2 <= len(encoded[name]):  # repetitive: a quarter of the memory
                table = table.set_column(index, name, pa.chunked_array([encoded[name]]))
        self._tables[spec.name] = table

    def _typed(self, spec: BulkFile, name: str, column: Any, encoded: Any, convert: Cell, arrow_type: Any) -> Any:
        """A text column as COPY FROM converts it, each distinct cell converted once; bad cells become issues."""
        converted: list[Any] = []
        bad: list[tuple[int, str]] = []
        for cell in encoded.dictionary.to_pylist():
            try:
                converted.append(convert(cell))
            except ValueError as exc:
                converted.append(None)
                bad.append((_first_row(column, cell), str(exc)))
        self._report(spec.name, name, bad)
        return pa.chunked_array([pc.take(pa.array(converted, type=arrow_type), encoded.indices)], type=arrow_type)

    # checking

    def _check(self) -> None:
        for spec in BULK_FILES:
            table = self._tables.get(spec.name)
            if table is None:
                continue
            if isinstance(spec.table, NodeTable):
                ids = table["id"]
                self._report(spec.name, "id", [(r, f"the id {ids[r].as_py()!r} is used twice") for r in _repeats(ids)])
            for rule in COLUMN_RULES:
                if rule.file == spec.name:
                    self._go_on()
                    self._column(rule, table[rule.column])
        self._endpoints()
        self._citations()
        for row_rule in ROW_RULES:
            table = self._tables.get(row_rule.file)
            if table is not None:
                ids = table["id"]
                message = row_rule.message
                found = [(r, f"{message} (id {ids[r].as_py()!r})") for r in row_rule.offending(table)]
                self._report(row_rule.file, row_rule.column, found)

    def _column(self, rule: ColumnRule, column: Any) -> None:
        screen = None if pa.types.is_dictionary(column.type) else rule.screen()
        if screen is not None:  # only the values the vectorised test does not pass go to pydantic
            values = pc.unique(pc.filter(column, pc.invert(pc.fill_null(screen(column), False)))).to_pylist()
        else:
            values = _distinct(column)
        if rule.column == "evidence":
            self._evidence[rule.file] = values
        found = [(_first_row(column, value), message) for value, message in _failures(rule, values)]
        self._report(rule.file, rule.column, found)

    def _endpoints(self) -> None:
        """Every relationship's ends name a row of their node file (an absent node file holds no rows)."""
        for spec in BULK_FILES:
            rels = self._tables.get(spec.name)
            if rels is None or not isinstance(spec.table, RelTable):
                continue
            for end, node in (("from", spec.table.src), ("to", spec.table.dst)):
                file = NODE_FILES[node.name]
                nodes = self._tables.get(file)
                known = nodes["id"].combine_chunks() if nodes is not None else pa.array([], type=pa.string())
                column = rels[end]
                missing = _where(pc.invert(pc.fill_null(pc.is_in(column, value_set=known), False)))
                message = f"names {NOUNS[node.name]} {{!r}}, which {file} does not hold"
                self._report(spec.name, end, [(r, message.format(column[r].as_py())) for r in missing])

    def _citations(self) -> None:
        documents = self._tables.get(_DOC)
        held = set(documents["id"].to_pylist()) if documents is not None else set()
        for file, values in self._evidence.items():
            found = []
            for value in values:
                try:
                    cited = _evidence_documents([value])
                except (json.JSONDecodeError, TypeError):
                    continue  # the column rule has said so
                for doc in sorted(cited - held):
                    message = f"cites document {doc!r}, which documents.csv does not hold"
                    found.append((_first_row(self._tables[file]["evidence"], value), message))
            self._report(file, "evidence", found)


def _failures(rule: ColumnRule, values: list[Any]) -> list[tuple[Any, str]]:
    """The values that fail ``rule``, each with its message; all validated in one call, the failures again alone."""
    adapter = rule.adapter()
    parsed: list[tuple[Any, Any]] = []
    failures: list[tuple[Any, str]] = []
    for value in values:
        try:
            parsed.append((value, rule.parse(value)))
        except json.JSONDecodeError as exc:
            failures.append((value, str(exc)))
    try:
        TypeAdapter(cast(Any, list)[rule.annotation()]).validate_python([p for _, p in parsed])
    except ValidationError as exc:
        for index in sorted({int(e["loc"][0]) for e in exc.errors()}):
            value, item = parsed[index]
            try:
                adapter.validate_python(item)
            except ValidationError as alone:
                failures.append((value, "; ".join(m for _, m in pydantic_messages(alone.errors()))))
    return failures
