"""`flowmap export --format json` and reading it back: a complete, versioned, deterministic dump of the map.

Why a dump of the store's own tables: it is what the store holds, nothing derived, and it goes back in through the
bulk import (``bulk.BULK_FILES`` has a file per table), so restoring is the same atomic, checked path as
`flowmap import DIR` on both backends, not a second loader. The dump holds:

- a header: ``flowmap_dump`` (the format version), ``schema_version`` (the store's), ``revision`` (the map revision
  it was taken at) and ``counts`` (records per section, checked on the way back in);
- one section per table of the map (``organizations``, ``documents``, ``legal_references``, ``engagements``,
  ``parents``, ``publishers``, ``citations``): every column, relationships with their ends as ``from`` and ``to``;
- ``audit``: the audit log, every entry (the map is legal evidence; its history is part of it).

Not in it: the countries and the category taxonomy (reference data from code, rewritten by every import) and the
store's other bookkeeping (schema version marker, counters). Values are JSON: nested facts as JSON, categories and
countries as lists, dates as ISO strings. Keys are sorted, records sorted by key (relationships by id, then ends,
audit entries by revision, then id), one record per line: the same map gives the same bytes, and a diff of two
dumps reads as a diff of the maps.

Restoring (``read_dump`` then ``import_dump``): a dump restored into a store never written recreates the store it
came from, revision and history included, and adds no audit entry, so export -> import -> export gives the same
bytes. Over an existing map it is an import like any other: the new map replaces the old, the two histories are
kept (the dump's entries the store lacks are added) and an ``importMap`` entry records it.
"""

from __future__ import annotations

import bisect
import json
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from flowmap.domain.audit import AuditEntry, AuditRecord
from flowmap.errors import Issue, ValidationFailed
from flowmap.store.bulk import BULK_FILES, BulkFile, BulkSource, open_bulk
from flowmap.store.graph import GraphStore, Restore
from flowmap.store.queries import Columns
from flowmap.store.rows import pipe_join, pipe_split
from flowmap.store.schema import AUDIT_ENTRY, ENGAGES, ORGANIZATION, SCHEMA_VERSION, NodeTable, RelTable

DUMP_FORMAT = 1
HEADER = ("flowmap_dump", "schema_version", "revision", "counts")
AUDIT = "audit"
# Columns holding JSON text in the store (nested facts; an audit entry's before and after): parsed in the dump.
JSON_COLUMNS = {
    ORGANIZATION.name: frozenset(
        {"registrations", "certifications", "retention", "collects", "transfer_statements", "evidence"}
    ),
    ENGAGES.name: frozenset({"mechanisms", "evidence"}),
    AUDIT_ENTRY.name: frozenset({"before", "after"}),
}
# Columns holding '|a|b|' in the store: lists in the dump (an empty list for '' and NULL alike).
PIPE_COLUMNS = {ENGAGES.name: frozenset({"categories", "countries"})}


@dataclass(frozen=True)
class Section:
    name: str  # in the dump
    table: NodeTable | RelTable
    spec: BulkFile | None  # the bulk file it is restored through (the audit log goes in beside it)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.spec.columns if self.spec else self.table.prop_names

    @property
    def key(self) -> str:
        return self.table.key if isinstance(self.table, NodeTable) else "id"


SECTIONS = (
    *(Section(spec.name.removesuffix(".csv"), spec.table, spec) for spec in BULK_FILES),
    Section(AUDIT, AUDIT_ENTRY, None),
)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _converter(table: str, name: str) -> Callable[[Any], Any]:
    """How a store column's values become the dump's (JSON text parsed once per distinct value: a million
    engagements share a few thousand mechanism and evidence lists)."""
    if name in PIPE_COLUMNS.get(table, ()):
        return pipe_split
    if name in JSON_COLUMNS.get(table, ()):
        parsed: dict[str, Any] = {}

        def parse(value: Any) -> Any:
            if not value:
                return None
            if value not in parsed:
                parsed[value] = json.loads(value)
            return parsed[value]

        return parse
    return lambda value: value.isoformat() if isinstance(value, date | datetime) else value


def _records(section: Section, columns: Columns) -> Iterator[dict[str, Any]]:
    names = {"src": "from", "dst": "to"}
    n = len(columns[section.key])
    if section.table is AUDIT_ENTRY:  # the log's own order: by revision, then id
        order = sorted(range(n), key=lambda i: (int(columns["revision"][i]), columns["id"][i]))
    else:
        order = list(range(n))  # table_columns sorted them
    convert = [(names.get(c, c), _converter(section.table.name, c), values) for c, values in columns.items()]
    for i in order:
        yield {name: to(values[i]) for name, to, values in convert}


async def export_dump(store: GraphStore, out: IO[str]) -> dict[str, int]:
    """Write the store's map and audit log to ``out`` as a dump; return the records per section."""
    tables = {s.name: await store.table_columns(s.table) for s in SECTIONS}
    counts = {s.name: len(tables[s.name][s.key]) for s in SECTIONS}
    header = {"flowmap_dump": DUMP_FORMAT, "schema_version": SCHEMA_VERSION, "revision": await store.revision()}
    out.write("{\n")
    for name, value in [*header.items(), ("counts", counts)]:
        out.write(f"{json.dumps(name)}: {_dumps(value)},\n")
    for number, section in enumerate(SECTIONS):
        out.write(f"{json.dumps(section.name)}: [")
        for i, record in enumerate(_records(section, tables.pop(section.name))):
            out.write(("," if i else "") + "\n" + _dumps(record))
        out.write(("\n" if counts[section.name] else "") + "]" + ("," if number < len(SECTIONS) - 1 else "") + "\n")
    out.write("}\n")
    return counts


# --- reading a dump back --------------------------------------------------------------------------------------


def is_dump(path: Path) -> bool:
    """A file whose first non-blank character opens a JSON object (a bulk import is a directory)."""
    if not path.is_file():
        return False
    with path.open("rb") as f:
        head = f.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


@dataclass
class Dump:
    """A dump, checked in its shape and types, as a bulk directory (``source``) plus what the bulk files do not
    hold (``restore``). ``where`` turns an issue the bulk import finds in a file back into the dump's record."""

    path: Path
    directory: Path
    source: BulkSource
    restore: Restore
    counts: dict[str, int]
    _lines: dict[str, list[int]]  # per bulk file: the line each record starts on
    _keys: dict[str, list[Any]]  # per bulk file: each record's key, to name it

    def described(self) -> dict[str, Any]:
        """What the import's audit entry says was imported."""
        return {"dump": str(self.path), "dumpRevision": self.restore.revision, **self.counts}

    def located(self, failed: ValidationFailed) -> ValidationFailed:
        """The bulk import's issues, named by the dump's section, record and field instead of a file and line."""
        issues = []
        for issue in failed.issues:
            file = Path(issue.file).name
            section = file.removesuffix(".csv")
            starts = self._lines.get(file)
            if starts is None or issue.line is None:
                issues.append(Issue(str(self.path), section if file in self._lines else issue.path, issue.message))
                continue
            index = max(0, bisect.bisect_right(starts, issue.line) - 1)
            key = self._keys[file][index]
            where = f"{section}[{index}]" + (f".{issue.path}" if issue.path else "")
            message = issue.message
            for spec in BULK_FILES:  # "which organizations.csv does not hold": the dump's section, not a file
                message = message.replace(spec.name, spec.name.removesuffix(".csv"))
            issues.append(Issue(str(self.path), where, f"{message} (record {key!r})"))
        return ValidationFailed(issues, "nothing was imported")


def _fail(path: Path, where: str, message: str) -> ValidationFailed:
    return ValidationFailed([Issue(str(path), where, message)], "nothing was imported")


def _load(path: Path) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as f:
            data = json.load(f)
    except json.JSONDecodeError as exc:
        end = " (the end of the file: truncated?)" if exc.pos >= len(exc.doc.rstrip()) else ""
        message = f"is not complete JSON: {exc.msg}, line {exc.lineno} column {exc.colno}{end}"
        raise _fail(path, "", message) from None
    except UnicodeDecodeError as exc:
        raise _fail(path, "", f"is not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise _fail(path, "", f"cannot be read: {exc.strerror}") from None
    if not isinstance(data, dict) or "flowmap_dump" not in data:
        raise _fail(path, "flowmap_dump", "is missing: this is not a flowmap dump (`flowmap export --format json`)")
    return data


def _check_header(path: Path, data: dict[str, Any]) -> None:
    if data["flowmap_dump"] != DUMP_FORMAT or isinstance(data["flowmap_dump"], bool):
        raise _fail(
            path,
            "flowmap_dump",
            f"format version {data['flowmap_dump']!r} is not one this flowmap reads ({DUMP_FORMAT})",
        )
    known = {*HEADER, *(s.name for s in SECTIONS)}
    issues = [Issue(str(path), name, "is not a field of a flowmap dump") for name in data if name not in known]
    issues += [Issue(str(path), name, "is missing") for name in known if name not in data]
    if issues:
        raise ValidationFailed(issues, "nothing was imported")
    if data["schema_version"] != SCHEMA_VERSION:
        raise _fail(
            path,
            "schema_version",
            f"{data['schema_version']!r}: this flowmap writes schema {SCHEMA_VERSION}; the dump's columns differ",
        )
    revision = data["revision"]
    if not isinstance(revision, int) or isinstance(revision, bool) or revision < 0:
        raise _fail(path, "revision", f"{revision!r} is not a revision number (a whole number, 0 or more)")
    counts = data["counts"]
    if not isinstance(counts, dict) or set(counts) != {s.name for s in SECTIONS}:
        raise _fail(path, "counts", f"must give the records of every section: {', '.join(s.name for s in SECTIONS)}")
    for section in SECTIONS:
        records = data[section.name]
        if not isinstance(records, list):
            raise _fail(path, section.name, "is not a list of records")
        if counts[section.name] != len(records):
            raise _fail(
                path,
                section.name,
                f"holds {len(records)} records; the header's counts say {counts[section.name]!r} (records lost?)",
            )


_TYPES: dict[str, tuple[tuple[type, ...], str]] = {
    "STRING": ((str,), "a string"),
    "BOOLEAN": ((bool,), "true or false"),
    "DATE": ((str,), "an ISO date string"),
    "INT64": ((int,), "a whole number"),
    "STRING[]": ((list,), "a list of strings"),
}


class _Checked:
    """Collects the shape and type problems of a dump's records, the first ``limit`` of them."""

    def __init__(self, path: Path, limit: int = 20) -> None:
        self.path = path
        self.issues: list[Issue] = []
        self.limit = limit

    def add(self, where: str, message: str) -> None:
        self.issues.append(Issue(str(self.path), where, message))
        if len(self.issues) >= self.limit:
            raise ValidationFailed(self.issues, "nothing was imported")

    def record(self, section: Section, index: int, record: Any) -> bool:
        """Whether ``record`` has exactly the section's fields, each of the right JSON type (null allowed)."""
        where = f"{section.name}[{index}]"
        if not isinstance(record, dict):
            self.add(where, "is not an object")
            return False
        named = f" (record {record.get(section.key)!r})" if isinstance(record.get(section.key), str) else ""
        ok = True
        for name in record:
            if name not in section.fields:
                self.add(f"{where}.{name}", f"is not a field of {section.name}{named}")
                ok = False
        for name in section.fields:
            if name not in record:
                self.add(f"{where}.{name}", f"is missing{named}")
                ok = False
        types = dict(section.table.props) | {"from": "STRING", "to": "STRING"}
        for name in section.fields:
            value = record.get(name)
            if value is None or name in JSON_COLUMNS.get(section.table.name, ()):
                continue
            allowed: tuple[type, ...]
            if name in PIPE_COLUMNS.get(section.table.name, ()):
                allowed, words = (list,), "a list of strings"
            else:
                allowed, words = _TYPES[types[name]]
            bad = not isinstance(value, allowed) or (isinstance(value, bool) and bool not in allowed)
            if isinstance(value, list):
                bad = bad or not all(isinstance(v, str) for v in value)
            if bad:
                self.add(f"{where}.{name}", f"{_shown(value)} is not {words}{named}")
                ok = False
            elif isinstance(value, list) and any("," in v or v.strip() != v or v[:1] in "'\"" for v in value):
                message = "has an element with a comma, a leading quote or outer spaces, which bulk lists cannot carry"
                self.add(f"{where}.{name}", f"{_shown(value)} {message}{named}")
                ok = False
        return ok


def _shown(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."


def _cell(table: str, name: str, value: Any) -> str:
    """A dump value as a CSV cell of the bulk file: unquoted empty for null, quoted text otherwise (so an empty
    string stays one), ``'|a|b|'`` and ``[a,b]`` for lists, JSON text for nested facts."""
    if value is None:
        return ""
    if name in JSON_COLUMNS.get(table, ()):
        text = json.dumps(value, ensure_ascii=False)
    elif name in PIPE_COLUMNS.get(table, ()):
        text = pipe_join(value)
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list):
        text = "[" + ",".join(value) + "]"
    else:
        text = str(value)
    return '"' + text.replace('"', '""') + '"'


def _audit_entry(checked: _Checked, index: int, record: dict[str, Any]) -> AuditEntry | None:
    where = f"{AUDIT}[{index}]"
    try:
        at = datetime.fromisoformat(record["at"])
    except (TypeError, ValueError):
        checked.add(f"{where}.at", f"{_shown(record['at'])} is not an ISO date and time")
        return None
    for name in ("id", "actor", "role", "operation", "target"):
        if not isinstance(record[name], str) or not record[name]:
            checked.add(f"{where}.{name}", f"{_shown(record[name])} is not a non-empty string")
            return None
    if not isinstance(record["revision"], int) or isinstance(record["revision"], bool) or record["revision"] < 1:
        checked.add(f"{where}.revision", f"{_shown(record['revision'])} is not a revision number (1 or more)")
        return None
    for name in ("before", "after"):
        if record[name] is not None and not isinstance(record[name], dict):
            checked.add(f"{where}.{name}", "is not an object or null")
            return None
    change = AuditRecord(
        actor=record["actor"],
        role=record["role"],
        operation=record["operation"],
        target=record["target"],
        before=record["before"],
        after=record["after"],
        at=at,
    )
    return AuditEntry(id=record["id"], revision=record["revision"], record=change)


def read_dump(path: Path, directory: Path) -> Dump:
    """Check a dump's header and the shape of every record, and write its tables into ``directory`` as a bulk
    directory; ValidationFailed naming the section, record and field of the first problems. The values are
    checked by the bulk import itself (``Dump.located`` names its findings by record)."""
    data = _load(path)
    _check_header(path, data)
    checked = _Checked(path)
    lines: dict[str, list[int]] = {}
    keys: dict[str, list[Any]] = {}
    history: list[AuditEntry] = []
    seen: set[str] = set()
    for section in SECTIONS:
        records = data[section.name]
        if section.spec is None:
            for i, record in enumerate(records):
                if checked.record(section, i, record) and (entry := _audit_entry(checked, i, record)):
                    if entry.id in seen:
                        checked.add(f"{AUDIT}[{i}].id", f"{entry.id!r} is used twice")
                    seen.add(entry.id)
                    history.append(entry)
            continue
        spec = section.spec
        starts: list[int] = []
        with (directory / spec.name).open("w", encoding="utf-8", newline="") as f:
            f.write(",".join(spec.columns) + "\n")
            line = 2
            for i, record in enumerate(records):
                if not checked.record(section, i, record):
                    continue
                text = ",".join(_cell(spec.table.name, c, record[c]) for c in spec.columns) + "\n"
                starts.append(line)
                keys.setdefault(spec.name, []).append(record[section.key])
                line += text.count("\n")
                f.write(text)
        lines[spec.name] = starts
        keys.setdefault(spec.name, [])
    if checked.issues:
        raise ValidationFailed(checked.issues, "nothing was imported")
    counts = {s.name: len(data[s.name]) for s in SECTIONS}
    restore = Restore(tuple(history), int(data["revision"]))
    return Dump(path, directory, open_bulk(directory), restore, counts, lines, keys)


Load = Callable[[BulkSource, Restore, dict[str, Any]], Awaitable[int]]  # a backend's import of a bulk directory


async def import_dump(path: Path, load: Load) -> int:
    """Restore the dump at ``path`` through a backend's bulk import (``load``: ``bulk_import.import_embedded`` or
    ``neo4j_bulk.import_neo4j`` with the source, restore and description passed on); return the new revision.
    Every problem is named by section, record and field, and leaves the store as it was."""
    with tempfile.TemporaryDirectory(prefix="flowmap-dump-") as scratch:
        dump = read_dump(path, Path(scratch))
        try:
            return await load(dump.source, dump.restore, dump.described())
        except ValidationFailed as exc:
            raise dump.located(exc) from None
