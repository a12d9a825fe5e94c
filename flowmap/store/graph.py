"""Map-level operations on top of an Executor; identical for every backend."""

from __future__ import annotations

import asyncio
import getpass
from collections import defaultdict
from collections.abc import Awaitable, Callable, Generator, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from uuid import uuid4

from flowmap.domain.audit import AuditEntry, AuditRecord
from flowmap.domain.categories import taxonomy
from flowmap.domain.countries import all_countries
from flowmap.domain.models import Citation, Document, Engagement, FlowMap, Organization
from flowmap.domain.tables import MapTables
from flowmap.errors import Conflict, StoreIncompatible, StoreUnavailable
from flowmap.store import bulk, rows
from flowmap.store import queries as q
from flowmap.store.bulk import BULK_FILES
from flowmap.store.embedded import EmbeddedExecutor
from flowmap.store.executor import Executor, Progress
from flowmap.store.schema import (
    AUDIT_ENTRY,
    CITES,
    COUNTED_NODE_TABLES,
    COUNTRY,
    DATA_CATEGORY,
    DOCUMENT,
    ENGAGES,
    LEGAL_REFERENCE,
    MAP_NODE_TABLES,
    META,
    NODE_TABLES,
    ORGANIZATION,
    PART_OF,
    PUBLISHED,
    REL_TABLES,
    SCHEMA_VERSION,
    NodeTable,
    RelTable,
    ddl,
    drop_ddl,
)

REVISION_KEY = "revision"
StepProgress = Callable[[str], None]  # told what a long operation is doing now
# The engine's threads for a bulk load: its COPY of a rel table is mostly serial anyway, so one thread costs it
# little and leaves the other core to the checks (bench/import_speed.md).
BULK_THREADS = 1


@dataclass(frozen=True)
class VersionCheck:
    """An engagement's optimistic version check: ``expected`` None moves the version on whatever it is."""

    engagement: str
    expected: int | None


class Saved(NamedTuple):
    """What a commit produced: the map revision, and the edited engagement's new version (if one was checked)."""

    revision: int
    version: int | None = None


Plan = Generator[q.Query, list[q.Row], Saved]


def _drive(plan: Plan, run: Callable[[q.Query], list[q.Row]]) -> Saved:
    rows_back: list[q.Row] | None = None
    try:
        while True:
            query = plan.send(rows_back) if rows_back is not None else next(plan)
            rows_back = run(query)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def _drive_async(plan: Plan, run: Callable[[q.Query], Awaitable[list[q.Row]]]) -> Saved:
    rows_back: list[q.Row] | None = None
    try:
        while True:
            query = plan.send(rows_back) if rows_back is not None else next(plan)
            rows_back = await run(query)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Restore:
    """What a dump restores besides the map: its audit log and the revision it was taken at."""

    history: tuple[AuditEntry, ...]
    revision: int


@dataclass(frozen=True)
class ImportPlan:
    """The history and revision a whole-map import leaves: the audit entries to add (a dump's entries the store
    lacks), the new revision, and the import's own audit entry. A dump restored into a store that was never
    written recreates the store it was taken from (its revision, its history) and adds no entry of its own, so
    export -> import -> export gives the same bytes; over an existing map it is a change like any other."""

    added: tuple[AuditEntry, ...]
    revision: int
    entry: AuditEntry | None

    @staticmethod
    def make(revision: int, history: Sequence[AuditEntry], record: AuditRecord, restore: Restore | None) -> ImportPlan:
        held = {e.id for e in history}
        added = tuple(e for e in restore.history if e.id not in held) if restore else ()
        latest = max((e.revision for e in (*history, *added)), default=0)
        if restore is not None and revision == 0 and not history:
            return ImportPlan(added, max(restore.revision, latest), None)
        new = max(revision, latest, restore.revision if restore else 0) + 1
        return ImportPlan(added, new, AuditEntry(id=uuid4().hex, revision=new, record=record))


@dataclass(frozen=True)
class Counts:
    nodes: dict[str, int]
    relationships: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {"nodes": dict(self.nodes), "relationships": dict(self.relationships)}


class GraphStore:
    """The map's persistence. Every change goes through ``commit``: one transaction, a new revision, an audit entry."""

    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self.dialect = executor.dialect
        self.roundtrips = 0  # reads and transactions sent to the backend; metrics and the N+1 test watch it
        self._commit_lock = asyncio.Lock()

    async def _read(self, query: q.Query) -> list[q.Row]:
        self.roundtrips += 1
        return await self.executor.read(query)

    async def _write(self, queries: Sequence[q.Query], progress: Progress | None = None) -> None:
        self.roundtrips += 1
        await self.executor.write(queries, progress)

    @property
    def kind(self) -> str:
        return self.executor.kind

    async def ensure_schema(self, *, rebuild_incompatible: bool = False) -> None:
        """Create tables/constraints if missing; refuse a store of another schema version unless told to rebuild it."""
        await self.executor.run_schema(ddl(self.dialect))
        meta = {r["key"]: r["value"] for r in await self._read(q.read_meta(self.dialect))}
        found = meta.get("schema_version")
        if found is not None and found != SCHEMA_VERSION:
            if not rebuild_incompatible or self.executor.read_only:
                raise StoreIncompatible(
                    f"The store at {self.executor.location} has schema version {found}; this flowmap expects "
                    f"{SCHEMA_VERSION}. Rebuild it from the seed files with `flowmap seed --reset` "
                    "(this discards what it holds)."
                )
            await self._write([q.delete_all(t, self.dialect) for t in NODE_TABLES])
            await self.executor.run_schema([*drop_ddl(self.dialect), *ddl(self.dialect)])
            found = None
        if found is None and not self.executor.read_only:
            await self._write(q.upsert_nodes(META, [{"key": "schema_version", "value": SCHEMA_VERSION}], self.dialect))

    def _map_statements(self, flow_map: FlowMap, reset: bool) -> list[q.Query]:
        d = self.dialect
        statements: list[q.Query] = self._reset_statements() if reset else []
        statements += self._reference_statements()
        statements += q.upsert_nodes(
            LEGAL_REFERENCE, [rows.legal_reference_row(r) for r in flow_map.legal_references], d
        )
        statements += q.upsert_nodes(ORGANIZATION, [rows.organization_row(o) for o in flow_map.organizations], d)
        statements += q.upsert_nodes(DOCUMENT, [rows.document_row(doc) for doc in flow_map.documents], d)
        statements += q.upsert_rels(PART_OF, [rows.parent_row(o) for o in flow_map.organizations if o.parent], d)
        published = [rows.publisher_row(doc) for doc in flow_map.documents if doc.publisher]
        statements += q.upsert_rels(PUBLISHED, published, d)
        statements += q.upsert_rels(CITES, [r for doc in flow_map.documents for r in rows.citation_rows(doc)], d)
        statements += q.upsert_rels(ENGAGES, [rows.engagement_row(e) for e in flow_map.engagements], d)
        return statements

    async def write_map(
        self,
        flow_map: FlowMap,
        *,
        reset: bool = False,
        progress: Progress | None = None,
        actor: str | None = None,
        operation: str | None = None,
    ) -> int:
        """Write a whole validated map in one transaction (upserts; ``reset`` first removes the old map)."""
        record = AuditRecord(
            actor=actor or f"cli:{getpass.getuser()}",
            role="system",
            operation=operation or ("replaceMap" if reset else "loadMap"),
            target="map",
            before=None,
            after={
                "organizations": len(flow_map.organizations),
                "engagements": len(flow_map.engagements),
                "documents": len(flow_map.documents),
                "legalReferences": len(flow_map.legal_references),
            },
        )
        return (await self.commit(self._map_statements(flow_map, reset), record, progress)).revision

    def _reference_statements(self) -> list[q.Query]:
        """Countries and the category taxonomy: reference data every map is checked against (idempotent)."""
        d = self.dialect
        return [
            *q.upsert_nodes(COUNTRY, [rows.country_row(c) for c in all_countries().values()], d),
            *q.upsert_nodes(DATA_CATEGORY, [rows.category_row(c) for c in taxonomy().values()], d),
        ]

    def _reset_statements(self) -> list[q.Query]:
        d = self.dialect
        return [*(q.delete_rels(r, d) for r in REL_TABLES), *(q.delete_all(t, d) for t in MAP_NODE_TABLES)]

    async def load_bulk(
        self, load: bulk.BulkLoad, history: list[AuditEntry], plan: ImportPlan, progress: StepProgress | None = None
    ) -> int:
        """Fill an *empty* scratch store from a bulk directory, carrying over ``history`` (the audit log of the
        store it replaces) and what ``plan`` adds; return the new revision. ``load`` (started) reads the files as
        Arrow tables and checks
        them in its thread while the engine COPYs each table as soon as it is read (the engine loads on one core,
        the checks run on the other). Every statement commits on its own, which keeps the engine's memory to one
        file's load, so a failure leaves this store partly filled: ``bulk_import.import_embedded`` deletes it
        then, and swaps it in only when every check passed and everything was written."""
        executor = self.executor
        if not isinstance(executor, EmbeddedExecutor):
            raise StoreUnavailable("Bulk import needs the embedded store (the Neo4j path comes with issue 8).")
        if (await self.counts()).relationships["ENGAGES"] or await self.revision():
            raise StoreUnavailable(f"{executor.location} is not empty; bulk loading fills a new store only.")
        step = progress or (lambda _message: None)
        carried = [*history, *plan.added]
        source = load.source
        d = self.dialect

        def copy(run: Callable[[q.Query], list[q.Row]], spec: bulk.BulkFile) -> None:
            if spec.name in source.files:
                table = load.table(spec.name)  # waits until it is read
                step(f"loading {spec.name} ({table.num_rows:,} rows)")
                run(bulk.copy_statement(spec, table))

        def fill(run: Callable[[q.Query], list[q.Row]]) -> None:
            run(q.Query(f"CALL threads={BULK_THREADS}"))  # this connection only: it is the scratch file's
            nodes = [spec for spec in BULK_FILES if isinstance(spec.table, NodeTable)]
            for spec in nodes:
                copy(run, spec)
            # While the relationships (by far the biggest file) are still being read:
            step(f"carrying over {len(carried)} audit entries and the reference data")
            for statement in self._reference_statements():
                run(statement)
            for statement in q.upsert_nodes(AUDIT_ENTRY, [rows.audit_row(e) for e in carried], d):
                run(statement)
            for statement in self._bookkeeping(plan.revision, plan.entry):
                run(statement)
            for spec in BULK_FILES:
                if spec not in nodes:
                    copy(run, spec)

        async with self._commit_lock:
            self.roundtrips += 1
            filling = asyncio.ensure_future(executor.transaction(fill, autocommit=True))
            try:
                await asyncio.to_thread(load.wait)
            except BaseException:
                await asyncio.gather(filling, return_exceptions=True)  # the scratch file is discarded after
                raise
            await filling
        return plan.revision

    def _bookkeeping(self, revision: int, entry: AuditEntry | None) -> list[q.Query]:
        d = self.dialect
        return [
            *q.upsert_nodes(META, [{"key": REVISION_KEY, "value": str(revision)}], d),
            *q.upsert_nodes(AUDIT_ENTRY, [rows.audit_row(entry)] if entry else [], d),
        ]

    async def revision(self) -> int:
        """The number of committed changes; any change to the map moves it, so caches key on it."""
        found = await self._read(q.read_meta_value(REVISION_KEY, self.dialect))
        return int(found[0]["value"]) if found else 0

    async def commit(
        self,
        statements: list[q.Query],
        record: AuditRecord,
        progress: Progress | None = None,
        *,
        version: VersionCheck | None = None,
    ) -> Saved:
        """Run ``statements`` with the audit entry and the new revision, all in one transaction; return the revision
        (and, with ``version``, the engagement's new version).

        The revision, and an engagement's version, are read and moved on by statements inside that transaction, so
        two writers can never take the same revision; a ``version`` that no longer holds raises ``Conflict`` and
        rolls everything back. The lock serialises this process's commits (the embedded file has one owning
        process); in Neo4j each counter's write lock serialises commits across processes too.
        """
        async with self._commit_lock:
            self.roundtrips += 1
            plan = self._commit_plan(statements, record, version, progress)
            executor = self.executor
            if isinstance(executor, EmbeddedExecutor):
                return await executor.transaction(lambda run: _drive(plan, run))
            # Neo4j's driver may run the work again after a transient error: each attempt gets a fresh plan.
            from flowmap.store.neo4j_backend import Neo4jExecutor

            assert isinstance(executor, Neo4jExecutor)

            async def attempt(run: Callable[[q.Query], Awaitable[list[q.Row]]]) -> Saved:
                return await _drive_async(self._commit_plan(statements, record, version, progress), run)

            return await executor.transaction(attempt)

    def _commit_plan(
        self,
        statements: list[q.Query],
        record: AuditRecord,
        version: VersionCheck | None,
        progress: Progress | None,
    ) -> Plan:
        """The commit as a sequence of queries, each sent back the rows it returned: one plan for both backends'
        transaction styles (a thread with a blocking connection, an async driver)."""
        d = self.dialect
        new_version = None
        if version is not None:
            (row,) = yield q.bump_version(version.engagement, version.expected, d)
            current = int(row["current"])
            if version.expected is not None and current != version.expected:
                raise Conflict(version.engagement, version.expected, current)
            new_version = current + 1
        (row,) = yield q.bump_meta_counter(REVISION_KEY, d)
        revision = int(row["current"]) + 1
        entry = AuditEntry(id=uuid4().hex, revision=revision, record=record)
        audit = q.upsert_nodes(AUDIT_ENTRY, [rows.audit_row(entry)], d)
        total = len(statements) + len(audit)
        for done, statement in enumerate([*statements, *audit], start=1):
            yield statement
            if progress:
                progress(done, total)
        return Saved(revision, new_version)

    async def engagement_versions(self) -> dict[str, int]:
        """Each engagement's optimistic version: how many single edits it has had (absent: none)."""
        prefix = len(q.VERSION_PREFIX)
        return {r["key"][prefix:]: int(r["value"]) for r in await self._read(q.read_versions(self.dialect))}

    async def save_organization(
        self, org: Organization, record: AuditRecord, documents: Sequence[Document] = ()
    ) -> int:
        """Create or replace one organisation (its parent link included), with the ``documents`` its new facts cite
        created or replaced in the same transaction. References are checked by the caller."""
        d = self.dialect
        statements = [*q.upsert_nodes(DOCUMENT, [rows.document_row(doc) for doc in documents], d)]
        statements += [*q.upsert_nodes(ORGANIZATION, [rows.organization_row(org)], d), q.delete_parent(org.id, d)]
        if org.parent:
            statements += q.upsert_rels(PART_OF, [rows.parent_row(org)], d)
        return (await self.commit(statements, record)).revision

    async def save_engagement(
        self,
        engagement: Engagement,
        previous: Engagement | None,
        record: AuditRecord,
        *,
        expected_version: int | None = None,
    ) -> Saved:
        """Create or replace one engagement; ``previous`` (same key) is removed first, whatever its ends were.

        Moves the engagement's version on by one, and only if it is still ``expected_version`` (None: any):
        otherwise ``Conflict`` and nothing written.
        """
        d = self.dialect
        statements = [q.delete_engagement(previous.exporter, previous.key, d)] if previous else []
        statements += q.upsert_rels(ENGAGES, [rows.engagement_row(engagement)], d)
        return await self.commit(statements, record, version=VersionCheck(engagement.key, expected_version))

    async def audit_log(self, offset: int, limit: int) -> list[AuditEntry]:
        """Newest first."""
        return [rows.audit_from_row(r) for r in await self._read(q.read_audit(offset, limit, self.dialect))]

    async def audit_count(self) -> int:
        return int((await self._read(q.count_nodes(AUDIT_ENTRY, self.dialect)))[0]["c"])

    async def counts(self) -> Counts:
        nodes = {t.name: int((await self._read(q.count_nodes(t, self.dialect)))[0]["c"]) for t in COUNTED_NODE_TABLES}
        relationships = {r.name: int((await self._read(q.count_rels(r, self.dialect)))[0]["c"]) for r in REL_TABLES}
        return Counts(nodes, relationships)

    async def organization(self, org_id: str) -> Organization | None:
        found = await self._read(q.read_organization(org_id, self.dialect))
        return rows.organization_from_row(found[0]) if found else None

    async def read_tables(self) -> MapTables:
        """The whole map for the engine: organisations and documents as models, engagements as compact
        columns (a million engagements as models would take ~5 GB; see ``flowmap.domain.tables``)."""
        d = self.dialect
        citations: dict[str, list[Citation]] = defaultdict(list)
        for r in await self._read(q.read_citations(d)):
            citations[r["document"]].append(Citation(ref=r["ref"], section=r["section"], quote=r["quote"]))
        self.roundtrips += 1
        if isinstance(self.executor, EmbeddedExecutor):
            columns = await self.executor.read_columns(q.read_engagements(d), order_by="id")
        else:
            found = sorted(await self.executor.read(q.read_engagements(d)), key=lambda r: r["id"])
            columns = {name: [r[name] for r in found] for name in q.ENGAGEMENT_COLUMNS}
        return MapTables.from_columns(
            [rows.organization_from_row(r) for r in await self._read(q.read_organizations(d))],
            [rows.document_from_row(r, citations[r["id"]]) for r in await self._read(q.read_documents(d))],
            [rows.legal_reference_from_row(r) for r in await self._read(q.read_nodes(LEGAL_REFERENCE, d))],
            columns,
            rows.engagement_from_row,
        )

    async def table_columns(self, table: NodeTable | RelTable) -> q.Columns:
        """Every row of one table as the store holds it, as columns (a relationship's ends as ``src`` and ``dst``),
        in an order that depends on the content alone: nodes by key, relationships by (id, src, dst). For exports,
        through the same interface on every backend; columns, so a million engagements are not a million dicts."""
        d = self.dialect
        query = q.read_nodes(table, d) if isinstance(table, NodeTable) else q.read_rels(table, d)
        key = table.key if isinstance(table, NodeTable) else "id"
        self.roundtrips += 1
        if isinstance(self.executor, EmbeddedExecutor):
            columns = await self.executor.read_columns(query, order_by=key)
        else:
            found = await self.executor.read(query)
            names = [*(() if isinstance(table, NodeTable) else ("src", "dst")), *table.prop_names]
            columns = {name: [r[name] for r in found] for name in names}
        ids = columns[key]
        ends = (columns.get("src") or [None] * len(ids), columns.get("dst") or [None] * len(ids))
        order = sorted(range(len(ids)), key=lambda i: (ids[i] or "", ends[0][i] or "", ends[1][i] or ""))
        return {name: [values[i] for i in order] for name, values in columns.items()}

    async def read_map(self) -> FlowMap:
        """The whole map back as domain models, in a stable order (for exports and small maps)."""
        return (await self.read_tables()).to_map()

    async def close(self) -> None:
        await self.executor.close()
