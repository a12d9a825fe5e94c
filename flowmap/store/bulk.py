"""Bulk import of a whole map from CSV files, through the engine's own loader, checked before it commits.

Why: per-row ``UNWIND ... MERGE`` runs at about 2k edges/s, LadybugDB's ``COPY FROM`` at about 100k/s. The
files hold the tables' own columns (``BULK_FILES``), so nothing is converted on the way in. Every rule the
domain models enforce is then checked inside the same transaction, on the *distinct* values each column
holds (a synthetic 1.1M-engagement map has a few thousand distinct category sets), plus a few cross-column
queries; any failure rolls the whole import back and names the file, line, column and value.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from flowmap.domain.models import Document, Engagement, FlowMap, Organization
from flowmap.errors import Issue, ValidationFailed, pydantic_messages
from flowmap.store import rows
from flowmap.store.queries import Query
from flowmap.store.rows import pipe_split
from flowmap.store.schema import DOCUMENT, ENGAGES, ORGANIZATION, NodeTable, RelTable

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


# In load order: the engagements' endpoints and the evidence's documents must exist first.
BULK_FILES = (
    BulkFile("organizations.csv", ORGANIZATION, True),
    BulkFile("documents.csv", DOCUMENT, False),
    BulkFile("engagements.csv", ENGAGES, True),
)
_SAFE_PATH = re.compile(r"^[^'\\\n\r\x00]+$")  # COPY takes its path as a literal, never a parameter


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
        if not _SAFE_PATH.match(str(path)):
            issues.append(Issue(str(path), "", "the path holds a quote, backslash or line break; move the file"))
            continue
        with path.open(encoding="utf-8", newline="") as f:
            header = next(csv.reader(f), [])
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


def copy_statement(spec: BulkFile, path: Path) -> Query:
    """LadybugDB's bulk loader; ``path`` passed ``open_bulk``'s check, so the literal cannot break out."""
    return Query(f"COPY {spec.table.name} FROM '{path}' (header=true)")


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
    """A map as a bulk directory (organisations, documents, engagements); rows written per file."""
    directory.mkdir(parents=True, exist_ok=True)
    specs = {spec.name: spec for spec in BULK_FILES}
    sources: dict[str, Iterable[dict[str, Any]]] = {
        "organizations.csv": (rows.organization_row(o) for o in flow_map.organizations),
        "documents.csv": (rows.document_row(d) for d in flow_map.documents),
        "engagements.csv": (rows.engagement_row(e) for e in flow_map.engagements),
    }
    return {name: write_rows(directory / name, specs[name].columns, it) for name, it in sources.items()}


# --- the checks ------------------------------------------------------------------------------------------

Parse = Callable[[Any], Any]


def _json(value: Any) -> Any:
    return json.loads(value) if value else []


def _pipes(value: Any) -> Any:
    return pipe_split(value)


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class ColumnRule:
    """A column's distinct values must each pass the model field's own validation."""

    file: str
    column: str
    model: type[Organization] | type[Engagement] | type[Document]
    field: str
    parse: Parse = _same

    def adapter(self) -> TypeAdapter[Any]:
        info = self.model.model_fields[self.field]
        annotation: Any = info.annotation
        for meta in info.metadata:
            annotation = Annotated[annotation, meta]
        return TypeAdapter(annotation)


_ORG = "organizations.csv"
_ENG = "engagements.csv"
_DOC = "documents.csv"
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
    ColumnRule(_ENG, "id", Engagement, "id"),
    *(ColumnRule(_ENG, c, Engagement, c) for c in ("role", "service", "purpose", "location_scope", "regime")),
    ColumnRule(_ENG, "tia_ref", Engagement, "tia_ref"),
    ColumnRule(_ENG, "categories", Engagement, "categories", _pipes),
    ColumnRule(_ENG, "countries", Engagement, "countries", _pipes),
    ColumnRule(_ENG, "mechanisms", Engagement, "mechanisms", _json),
    ColumnRule(_ENG, "evidence", Engagement, "evidence", _json),
)


def _pattern(spec_file: str) -> str:
    if spec_file == _ENG:
        return "MATCH (a:Organization)-[e:ENGAGES]->(b:Organization)"
    return f"MATCH (e:{ORGANIZATION.name if spec_file == _ORG else DOCUMENT.name})"


def distinct_values(rule: ColumnRule) -> Query:
    return Query(f"{_pattern(rule.file)} RETURN DISTINCT e.{rule.column} AS v")


@dataclass(frozen=True)
class RowRule:
    """A rule across columns, as a query returning the offending rows' first column (``v``)."""

    file: str
    column: str
    message: str
    query: Query


ROW_RULES = (
    RowRule(_ENG, "from", "exporter and importer are the same organisation",
            Query(f"{_pattern(_ENG)} WHERE a.id = b.id RETURN e.id AS v LIMIT 5")),
    RowRule(_ENG, "valid_to", "valid_to is before valid_from",
            Query(f"{_pattern(_ENG)} WHERE e.valid_to < e.valid_from RETURN e.id AS v LIMIT 5")),
    RowRule(_ENG, "countries", "location_scope 'stated' needs at least one country",
            Query(f"{_pattern(_ENG)} WHERE e.location_scope = 'stated' AND (e.countries IS NULL OR e.countries = '') "
                  "RETURN e.id AS v LIMIT 5")),
    RowRule(_ENG, "id", "the engagement id is used twice",
            Query(f"{_pattern(_ENG)} WITH e.id AS v, count(*) AS n WHERE n > 1 RETURN v LIMIT 5")),
    RowRule(_ORG, "recipient_class", "an unnamed placeholder needs recipient_class",
            Query(f"{_pattern(_ORG)} WHERE e.unnamed AND (e.recipient_class IS NULL OR e.recipient_class = '') "
                  "RETURN e.id AS v LIMIT 5")),
)  # fmt: skip


def _evidence_documents(values: Iterable[Any]) -> set[str]:
    return {item["document"] for v in values for item in _json(v) if isinstance(item, dict) and "document" in item}


def _line_of(path: Path, column: str, value: Any, key_column: str | None = None) -> int | None:
    """The first data line whose ``column`` (or, for row rules, the id column) holds ``value``: error path only."""
    wanted = "" if value is None else str(value)
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader, [])
        index = header.index(key_column or column)
        for cells in reader:
            if index < len(cells) and cells[index] == wanted:
                return reader.line_num
    return None


def check_loaded(source: BulkSource, read: Callable[[Query], list[dict[str, Any]]]) -> None:
    """Run every rule on what COPY loaded (inside its transaction); ValidationFailed with the first problems."""
    issues: list[Issue] = []
    documents: set[str] = set()
    evidence_values: list[tuple[str, Any]] = []
    for rule in COLUMN_RULES:
        if rule.file not in source.files:
            continue
        adapter = rule.adapter()
        path = source.files[rule.file]
        for row in read(distinct_values(rule)):
            value = row["v"]
            if rule.file == _DOC and rule.column == "id":
                documents.add(value)
            if rule.column == "evidence":
                evidence_values.append((rule.file, value))
            try:
                adapter.validate_python(rule.parse(value))
            except (ValidationError, json.JSONDecodeError) as exc:
                messages = (
                    [m for _, m in pydantic_messages(exc.errors())] if isinstance(exc, ValidationError) else [str(exc)]
                )
                issues.append(Issue(str(path), rule.column, "; ".join(messages), _line_of(path, rule.column, value)))
            if len(issues) >= MAX_SHOWN_ISSUES:
                raise ValidationFailed(issues, "nothing was imported")
    for file, value in evidence_values:
        for doc in sorted(_evidence_documents([value]) - documents):
            path = source.files[file]
            message = f"cites document {doc!r}, which documents.csv does not hold"
            issues.append(Issue(str(path), "evidence", message, _line_of(path, "evidence", value)))
    for row_rule in ROW_RULES:
        if row_rule.file not in source.files:
            continue
        path = source.files[row_rule.file]
        for row in read(row_rule.query):
            line = _line_of(path, row_rule.column, row["v"], key_column="id")
            issues.append(Issue(str(path), row_rule.column, f"{row_rule.message} (id {row['v']!r})", line))
    if issues:
        raise ValidationFailed(issues[:MAX_SHOWN_ISSUES], "nothing was imported")
