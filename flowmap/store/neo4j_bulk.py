"""`flowmap import` into Neo4j: a whole map from a bulk directory, atomic and repeatable over many transactions.

A million engagements do not fit one Neo4j transaction comfortably, so the import is a *staged generation*:

1. Leftovers of an earlier import that failed or crashed (staged or retired nodes) are deleted in batches.
2. The files are streamed; every row is checked in Python with the same rules the embedded path runs in
   LadybugDB (``bulk.COLUMN_RULES`` on each distinct value, a Python twin of each of ``bulk.ROW_RULES``, plus
   what COPY FROM enforces there: cell types, unique keys, existing endpoints). Valid rows are written with
   ``UNWIND $rows ... CREATE`` in transactions of ``batch_size`` rows (1k-10k) under staging labels
   (``FlowmapStaged`` + ``FlowmapStagedOrganization``/``FlowmapStagedDocument``, tagged with this import's id), which
   no query of the store ever matches: the API and the CLI keep reading the old map.
3. The staged relationships are counted against the rows written.
4. One short write transaction flips the generations: it locks the revision and refuses if the map changed
   since the import began, relabels the old map's nodes ``FlowmapRetired`` and the staged ones with their real
   labels (checking that every staged row is there), refreshes the reference data and writes the new revision
   with an ``importMap`` audit entry. The audit log is untouched, so it carries over as it is.
5. The retired generation is deleted in batches.

A failure or crash before step 4 leaves the old map exactly as it was (failed staging is deleted at once, or by
the next import if the process died); after step 4 the new map is complete, and whatever step 5 did not finish
is deleted by the next import. Importing the same directory twice gives the same map. Every query is
parametrised: labels and property names come from ``schema``, values travel in ``$rows``.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import functools
import getpass
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

from neo4j.exceptions import Neo4jError
from pydantic import TypeAdapter, ValidationError

from flowmap.domain.audit import AuditRecord
from flowmap.errors import FlowmapError, Issue, StoreUnavailable, ValidationFailed, pydantic_messages
from flowmap.store import queries as q
from flowmap.store import rows
from flowmap.store.bulk import (
    BULK_FILES,
    COLUMN_RULES,
    MAX_SHOWN_ISSUES,
    NODE_FILES,
    NOUNS,
    ROW_RULES,
    BulkFile,
    BulkSource,
    ColumnRule,
    RowRule,
    _evidence_documents,
    boolean_cell,
    date_cell,
    imported,
    integer_cell,
    list_cell,
)
from flowmap.store.graph import REVISION_KEY, GraphStore, ImportPlan, Restore, StepProgress
from flowmap.store.neo4j_backend import Neo4jExecutor, Run
from flowmap.store.queries import Query, Row
from flowmap.store.schema import (
    AUDIT_ENTRY,
    DOCUMENT,
    LEGAL_REFERENCE,
    MAP_NODE_TABLES,
    META,
    ORGANIZATION,
    NodeTable,
    RelTable,
)

DEFAULT_BATCH_SIZE = 5_000
MIN_BATCH_SIZE = 1_000
MAX_BATCH_SIZE = 10_000
PROGRESS_SECONDS = 5.0  # at most one progress line per file this often
INDEX_WAIT_SECONDS = 300

STAGED = "FlowmapStaged"  # every node of a generation being written
RETIRED = "FlowmapRetired"  # the previous map's nodes, from the flip until they are deleted
STAGED_LABELS = {
    ORGANIZATION.name: "FlowmapStagedOrganization",
    DOCUMENT.name: "FlowmapStagedDocument",
    LEGAL_REFERENCE.name: "FlowmapStagedLegalReference",
}
GEN = "flowmap_gen"  # on staged nodes: the id of the import that wrote them
# The flip retires the map's own nodes (MAP_NODE_TABLES: the embedded import starts from an empty file, so the
# legal references go too); countries, categories, meta and the audit log stay.
_SPECS = {spec.name: spec for spec in BULK_FILES}
ORGANIZATION_FILE = next(spec.name for spec in BULK_FILES if spec.table is ORGANIZATION)
DOCUMENT_FILE = next(spec.name for spec in BULK_FILES if spec.table is DOCUMENT)
NODE_SPECS = [spec for spec in BULK_FILES if isinstance(spec.table, NodeTable)]
REL_SPECS = [spec for spec in BULK_FILES if isinstance(spec.table, RelTable)]

# The staged endpoints are looked up by id for every relationship row: that must be an index seek.
STAGING_DDL = [
    f"CREATE INDEX flowmap_staged_{table.lower()}_id IF NOT EXISTS FOR (n:{label}) ON (n.id)"
    for table, label in STAGED_LABELS.items()
]


class ImportConflict(FlowmapError):
    """The map changed, or another import took over, while this import was staging; nothing was imported."""

    code = "IMPORT_CONFLICT"
    exit_code = 1


def check_batch_size(size: int) -> int:
    if not MIN_BATCH_SIZE <= size <= MAX_BATCH_SIZE:
        raise ValueError(f"batch size {size} is outside {MIN_BATCH_SIZE:,}-{MAX_BATCH_SIZE:,} rows")
    return size


def batches(rows: Iterable[Row], size: int) -> Iterator[list[Row]]:
    """``rows`` in lists of ``size`` (the last may be shorter), without holding more than one list."""
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# --- query builders: labels and property names from ``schema``, every value a parameter ----------------------


def _value(prop: str, ty: str) -> str:
    return f"date(r.{prop})" if ty == "DATE" else f"r.{prop}"


def _staged_label(table: NodeTable) -> str:
    if table.name not in STAGED_LABELS:
        raise ValueError(f"{table.name} is not a table bulk files load")
    return STAGED_LABELS[table.name]


def create_staged_nodes(table: NodeTable, rows: list[Row], gen: str) -> Query:
    sets = ", ".join(f"n.{p} = {_value(p, ty)}" for p, ty in table.props)
    cypher = f"UNWIND $rows AS r CREATE (n:{STAGED}:{_staged_label(table)}) SET n.{GEN} = $gen, {sets}"
    return Query(cypher, {"rows": rows, "gen": gen})


def create_staged_rels(rel: RelTable, rows: list[Row], gen: str) -> Query:
    """Rows carry ``src``/``dst`` (staged node ids) and the rel's props; both ends are index seeks."""
    sets = ", ".join(f"e.{p} = {_value(p, ty)}" for p, ty in rel.props)
    src, dst = _staged_label(rel.src), _staged_label(rel.dst)
    cypher = (
        f"UNWIND $rows AS r MATCH (a:{src} {{{rel.src.key}: r.src}}) WHERE a.{GEN} = $gen "
        f"MATCH (b:{dst} {{{rel.dst.key}: r.dst}}) WHERE b.{GEN} = $gen "
        f"CREATE (a)-[e:{rel.name}]->(b) SET {sets}"
    )
    return Query(cypher, {"rows": rows, "gen": gen})


def count_label(label: str) -> Query:
    return Query(f"MATCH (n:{label}) RETURN count(n) AS c")


def count_staged_rels(rel: RelTable, gen: str) -> Query:
    """From the node degrees, not a scan of the relationships."""
    return Query(
        f"MATCH (a:{_staged_label(rel.src)}) WHERE a.{GEN} = $gen "
        f"RETURN coalesce(sum(COUNT {{ (a)-[:{rel.name}]->() }}), 0) AS c",
        {"gen": gen},
    )


def delete_rels_batch(label: str, limit: int) -> Query:
    """Up to ``limit`` relationships touching ``label`` nodes; returns how many went (0: none left)."""
    return Query(
        f"MATCH (n:{label})-[e]-() WITH DISTINCT e LIMIT $limit DELETE e RETURN count(*) AS c", {"limit": limit}
    )


def delete_nodes_batch(label: str, limit: int) -> Query:
    return Query(f"MATCH (n:{label}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS c", {"limit": limit})


def lock_revision() -> Query:
    """The revision, write-locked for the rest of the transaction (a concurrent commit waits for the flip)."""
    return Query(
        f"MERGE (m:{META.name} {{key: $key}}) ON CREATE SET m.value = '0' "
        "SET m.flowmap_lock = true REMOVE m.flowmap_lock RETURN m.value AS value",
        {"key": REVISION_KEY},
    )


def retire(label: str) -> Query:
    return Query(f"MATCH (n:{label}) REMOVE n:{label} SET n:{RETIRED} RETURN count(n) AS c")


def promote(table: NodeTable, gen: str) -> Query:
    staged = _staged_label(table)
    return Query(
        f"MATCH (n:{staged}) WHERE n.{GEN} = $gen REMOVE n:{STAGED}:{staged}, n.{GEN} SET n:{table.name} "
        "RETURN count(n) AS c",
        {"gen": gen},
    )


def await_indexes() -> Query:
    return Query("CALL db.awaitIndexes($seconds)", {"seconds": INDEX_WAIT_SECONDS})


# --- reading and checking the files in Python -----------------------------------------------------------------

Convert = Callable[[str], Any]  # a cell as COPY FROM stores it; ValueError names what is wrong


def _string(cell: str) -> str | None:
    return cell if cell else None


def _date(cell: str) -> str | None:
    """``bulk.date_cell``, as the ISO text the Cypher ``date()`` in the staging query takes."""
    day = date_cell(cell)
    return day.isoformat() if day else None


_CONVERTERS: dict[str, Convert] = {
    "STRING": _string,
    "BOOLEAN": boolean_cell,
    "DATE": _date,
    "INT64": integer_cell,
    "STRING[]": list_cell,
}


@functools.cache
def converters(spec: BulkFile) -> list[tuple[str, str, Convert]]:
    """(CSV column, row key, converter) for each column of ``spec``, in file order."""
    types = dict(spec.table.props)
    out: list[tuple[str, str, Convert]] = []
    for column in spec.columns:
        if column in ("from", "to"):
            out.append((column, "src" if column == "from" else "dst", _string))
        elif types[column] not in _CONVERTERS:
            raise ValueError(f"{spec.table.name}.{column}: no bulk converter for type {types[column]}")
        else:
            out.append((column, column, _CONVERTERS[types[column]]))
    return out


# Python twins of ``bulk.ROW_RULES`` (the Cypher there reads the live labels, which the staged map is not under),
# keyed by the rule's (file, column); a rule without a twin stops the import rather than go unchecked.
RowCheck = Callable[[Row, "_Seen"], bool]


@dataclass
class _Seen:
    ids: dict[tuple[str, str], set[str]] = field(default_factory=dict)  # (file, column) -> the values seen


def _same_ends(row: Row, seen: _Seen) -> bool:
    return bool(row["src"] == row["dst"])


def _ends_before_start(row: Row, seen: _Seen) -> bool:
    return bool(row["valid_to"] and row["valid_from"] and row["valid_to"] < row["valid_from"])  # ISO dates


def _stated_without_countries(row: Row, seen: _Seen) -> bool:
    return row["location_scope"] == "stated" and not row["countries"]


def _twice(file: str, key: str) -> RowCheck:
    """A check that a row's ``key`` value (not NULL) is not one an earlier row of ``file`` held."""

    def check(row: Row, seen: _Seen) -> bool:
        if row[key] is None:
            return False
        held = seen.ids.setdefault((file, key), set())
        twice = row[key] in held
        held.add(row[key])
        return twice

    return check


def _unnamed_without_class(row: Row, seen: _Seen) -> bool:
    return bool(row["unnamed"]) and not row["recipient_class"]


ROW_CHECKS: dict[tuple[str, str], RowCheck] = {
    ("engagements.csv", "from"): _same_ends,
    ("engagements.csv", "valid_to"): _ends_before_start,
    ("engagements.csv", "countries"): _stated_without_countries,
    ("engagements.csv", "id"): _twice("engagements.csv", "id"),
    ("organizations.csv", "recipient_class"): _unnamed_without_class,
    ("parents.csv", "from"): _same_ends,
    ("parents.csv", "id"): _twice("parents.csv", "src"),
    ("publishers.csv", "id"): _twice("publishers.csv", "dst"),
    ("citations.csv", "id"): _twice("citations.csv", "id"),
}
_CACHED_VALUES = 200_000  # distinct valid values remembered per column rule (the rest are checked again)


class RowChecker:
    """Checks rows as they stream by, turning each valid one into the row the staging query takes."""

    def __init__(self, source: BulkSource) -> None:
        self.source = source
        self.issues: list[Issue] = []
        self.staged: dict[str, int] = {}  # rows handed on for staging, per file
        self._seen = _Seen()
        self._keys: dict[str, set[str]] = {spec.name: set() for spec in BULK_FILES}
        self._rules: dict[str, list[tuple[ColumnRule, TypeAdapter[Any]]]] = {}
        for rule in COLUMN_RULES:
            self._rules.setdefault(rule.file, []).append((rule, rule.adapter()))
        self._valid: dict[tuple[str, str], set[Any]] = {}
        self._reported: set[tuple[str, str, Any]] = set()
        self._row_rules: dict[str, list[tuple[RowRule, RowCheck]]] = {}
        for row_rule in ROW_RULES:
            check = ROW_CHECKS.get((row_rule.file, row_rule.column))
            if check is None:
                raise NotImplementedError(
                    f"bulk.ROW_RULES checks {row_rule.file} {row_rule.column} ({row_rule.message}); "
                    "flowmap.store.neo4j_bulk.ROW_CHECKS needs its Python twin"
                )
            self._row_rules.setdefault(row_rule.file, []).append((row_rule, check))
        self._cited_by_organizations: dict[str, int] = {}  # document -> the first line citing it

    def _issue(self, spec: BulkFile, column: str, message: str, line: int | None) -> None:
        self.issues.append(Issue(str(self.source.files[spec.name]), column, message, line))
        if len(self.issues) >= MAX_SHOWN_ISSUES:
            raise ValidationFailed(self.issues, "nothing was imported")

    def _check_value(self, spec: BulkFile, rule: ColumnRule, adapter: TypeAdapter[Any], value: Any, line: int) -> None:
        key = (rule.file, rule.column)
        valid = self._valid.setdefault(key, set())
        if value in valid or (rule.file, rule.column, value) in self._reported:
            return
        try:
            adapter.validate_python(rule.parse(value))
        except (ValidationError, json.JSONDecodeError) as exc:
            self._reported.add((rule.file, rule.column, value))
            messages = (
                [m for _, m in pydantic_messages(exc.errors())] if isinstance(exc, ValidationError) else [str(exc)]
            )
            self._issue(spec, rule.column, "; ".join(messages), line)
            return
        if len(valid) < _CACHED_VALUES:
            valid.add(value)

    def _check_citations(self, spec: BulkFile, value: Any, line: int) -> None:
        try:
            cited = _evidence_documents([value])
        except json.JSONDecodeError:
            return  # the column rule has reported it
        for doc in sorted(cited - self._keys[DOCUMENT_FILE]):
            if spec.name == ORGANIZATION_FILE:  # documents.csv comes later: decided in ``finish``
                self._cited_by_organizations.setdefault(doc, line)
            elif (spec.name, "evidence", doc) not in self._reported:
                self._reported.add((spec.name, "evidence", doc))
                self._issue(spec, "evidence", f"cites document {doc!r}, which documents.csv does not hold", line)

    def row(self, spec: BulkFile, line: int, cells: list[str]) -> Row | None:
        """The staging row for a CSV record, or None when it has a problem (recorded in ``issues``). Once anything
        is wrong nothing more is staged, but checking goes on, to list the first problems of every kind."""
        columns = converters(spec)
        if len(cells) != len(columns):
            self._issue(spec, "", f"has {len(cells)} cells; the header has {len(columns)}", line)
            return None
        row: Row = {}
        converted = True
        for (column, key, convert), cell in zip(columns, cells, strict=True):
            try:
                row[key] = convert(cell)
            except ValueError as exc:
                self._issue(spec, column, str(exc), line)
                converted = False
        if "id" in row or "src" in row:
            self._check_keys(spec, row, line)  # even for a bad row: its id exists, so no knock-on errors
        if not converted:
            return None
        for rule, adapter in self._rules.get(spec.name, []):
            self._check_value(spec, rule, adapter, row[rule.column], line)
            if rule.column == "evidence":
                self._check_citations(spec, row["evidence"], line)
        for row_rule, check in self._row_rules.get(spec.name, []):
            if check(row, self._seen):
                self._issue(spec, row_rule.column, f"{row_rule.message} (id {row['id']!r})", line)
        if self.issues:
            return None
        self.staged[spec.name] = self.staged.get(spec.name, 0) + 1
        return row

    def _check_keys(self, spec: BulkFile, row: Row, line: int) -> None:
        if isinstance(spec.table, RelTable):
            for column, key, node in (("from", "src", spec.table.src), ("to", "dst", spec.table.dst)):
                file = NODE_FILES[node.name]
                if key in row and row[key] not in self._keys[file]:
                    message = f"names {NOUNS[node.name]} {row[key]!r}, which {file} does not hold"
                    self._issue(spec, column, message, line)
            return
        keys = self._keys[spec.name]
        if "id" not in row:
            return
        if row["id"] in keys:
            self._issue(spec, "id", f"the id {row['id']!r} is used twice", line)
        elif row["id"] is not None:
            keys.add(row["id"])

    def finish(self) -> None:
        """The checks that need every file read; ValidationFailed with the first problems, if any."""
        spec = _SPECS[ORGANIZATION_FILE]
        for doc, line in sorted(self._cited_by_organizations.items(), key=lambda kv: kv[1]):
            if doc not in self._keys[DOCUMENT_FILE]:
                self._issue(spec, "evidence", f"cites document {doc!r}, which documents.csv does not hold", line)
        if self.issues:
            raise ValidationFailed(self.issues, "nothing was imported")


def staging_rows(checker: RowChecker, spec: BulkFile, path: Path) -> Iterator[Row]:
    """The valid rows of one file, checked as they are read."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        next(reader, None)
        for cells in reader:
            row = checker.row(spec, reader.line_num, cells)
            if row is not None:
                yield row


def check_source(source: BulkSource) -> RowChecker:
    """Every check of the import, without a store: ValidationFailed naming file, line, column and value."""
    checker = RowChecker(source)
    for spec in BULK_FILES:
        if spec.name in source.files:
            for _ in staging_rows(checker, spec, source.files[spec.name]):
                pass
    checker.finish()
    return checker


def staging_query(spec: BulkFile, rows: list[Row], gen: str) -> Query:
    if isinstance(spec.table, RelTable):
        return create_staged_rels(spec.table, rows, gen)
    return create_staged_nodes(spec.table, rows, gen)


# --- the import ---------------------------------------------------------------------------------------------


async def _count(executor: Neo4jExecutor, query: Query) -> int:
    return int((await executor.read(query))[0]["c"])


async def _write_count(executor: Neo4jExecutor, query: Query) -> int:
    async def work(run: Run) -> list[Row]:
        return await run(query)

    found = await executor.transaction(work)
    return int(found[0]["c"]) if found else 0


async def _delete_generation(executor: Neo4jExecutor, label: str, size: int) -> None:
    """Every ``label`` node and its relationships, ``size`` at a time (each batch its own transaction)."""
    while await _write_count(executor, delete_rels_batch(label, size)):
        pass
    while await _write_count(executor, delete_nodes_batch(label, size)):
        pass


async def _discard_staging(executor: Neo4jExecutor, size: int) -> None:
    await _delete_generation(executor, STAGED, size)


async def _stage_file(
    executor: Neo4jExecutor, checker: RowChecker, spec: BulkFile, gen: str, size: int, step: StepProgress
) -> None:
    """Parse and check the next batch in a thread while the previous one is written."""
    total = checker.source.rows[spec.name]
    rows = batches(staging_rows(checker, spec, checker.source.files[spec.name]), size)
    pending: asyncio.Future[None] | None = None
    written, last = 0, time.monotonic()
    try:
        while (batch := await asyncio.to_thread(next, rows, None)) is not None:
            if pending is not None:
                await pending
            pending = asyncio.ensure_future(executor.write([staging_query(spec, batch, gen)]))
            written += len(batch)
            if time.monotonic() - last >= PROGRESS_SECONDS:
                step(f"staging {spec.name}: {written:,}/{total:,} rows")
                last = time.monotonic()
        if pending is not None:
            await pending
            pending = None
    finally:
        if pending is not None:  # a check failed while a batch was being written: let it finish, then clean up
            await asyncio.gather(pending, return_exceptions=True)


async def import_neo4j(
    store: GraphStore,
    source: BulkSource,
    *,
    actor: str | None = None,
    progress: StepProgress | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    restore: Restore | None = None,
    described: dict[str, Any] | None = None,
) -> int:
    """Replace the map in the Neo4j store behind ``store`` with ``source``; return the new revision. ``restore``:
    the audit log and revision of the dump ``source`` was made from (``ImportPlan`` says what they become);
    ``described``: what the audit entry says was imported (default: the directory and its rows)."""
    executor = store.executor
    if not isinstance(executor, Neo4jExecutor):
        raise StoreUnavailable("import_neo4j needs a Neo4j store; the embedded store has bulk_import.import_embedded.")
    size = check_batch_size(batch_size)
    step = progress or (lambda _message: None)
    gen = uuid4().hex
    await executor.run_schema(STAGING_DDL)
    await executor.write([await_indexes()])
    leftovers = await _count(executor, count_label(STAGED)) + await _count(executor, count_label(RETIRED))
    if leftovers:
        step(f"deleting {leftovers:,} nodes an earlier import left behind")
        await _delete_generation(executor, STAGED, size)
        await _delete_generation(executor, RETIRED, size)
    base = await store.revision()
    record = AuditRecord(
        actor=actor or f"cli:{getpass.getuser()}",
        role="system",
        operation="importMap",
        target="map",
        before={"revision": base, "counts": (await store.counts()).as_dict()},
        after=described or imported(source),
    )
    plan = ImportPlan.make(base, await store.audit_log(0, await store.audit_count()), record, restore)
    try:
        checker = RowChecker(source)
        for spec in BULK_FILES:
            if spec.name in source.files:
                step(f"staging {spec.name} ({source.rows[spec.name]:,} rows, {size:,} per transaction)")
                await _stage_file(executor, checker, spec, gen, size, step)
        checker.finish()
        step("counting the staged relationships")
        for spec in REL_SPECS:
            assert isinstance(spec.table, RelTable)
            expected = checker.staged.get(spec.name, 0)
            found = await _count(executor, count_staged_rels(spec.table, gen))
            if found != expected:
                raise ImportConflict(
                    f"{found:,} of {expected:,} rows of {spec.name} were staged (another import running at the same "
                    "time?); nothing was imported"
                )
        step(f"switching to the new map (revision {plan.revision})")

        async def flip(run: Run) -> int:
            held = await run(lock_revision())
            current = int(held[0]["value"]) if held else 0
            if current != base:
                raise ImportConflict(
                    f"the map changed while importing (revision {base} became {current}); nothing was imported: "
                    "run the import again"
                )
            for table in MAP_NODE_TABLES:
                await run(retire(table.name))
            for spec in NODE_SPECS:
                assert isinstance(spec.table, NodeTable)
                promoted = int((await run(promote(spec.table, gen)))[0]["c"])
                if promoted != checker.staged.get(spec.name, 0):
                    raise ImportConflict(
                        f"{promoted:,} of {checker.staged.get(spec.name, 0):,} staged rows of {spec.name} were found "
                        "(another import running at the same time?); nothing was imported"
                    )
            history = q.upsert_nodes(AUDIT_ENTRY, [rows.audit_row(e) for e in plan.added], "neo4j")
            for statement in [*store._reference_statements(), *history, *store._bookkeeping(plan.revision, plan.entry)]:
                await run(statement)
            return plan.revision

        async with store._commit_lock:  # and this process's own commits wait for the flip
            revision = await executor.transaction(flip)
    except Exception as exc:
        with contextlib.suppress(Exception):  # the first error is the one to report; the next import cleans up
            await _discard_staging(executor, size)
        if isinstance(exc, Neo4jError):
            raise StoreUnavailable(f"Neo4j stopped the import, nothing was imported: {exc}") from exc
        raise
    step("deleting the previous map")
    try:
        await _delete_generation(executor, RETIRED, size)
    except (StoreUnavailable, Neo4jError) as exc:  # the new map is in place; the next import finishes this
        step(f"the previous map is not deleted yet ({exc}); the next import deletes it")
    return revision
