"""Bulk import into Neo4j: the same map as the embedded import, atomic over its many transactions, repeatable.

Runs against Neo4j when one is reachable (FLOWMAP_NEO4J_URI, or Docker for testcontainers; see tests/conftest.py),
and is skipped with the reason otherwise. WARNING: like the rest of the contract suite it deletes every flowmap
node in that database. The offline half (batching, query builders, the checks against the embedded import's,
the staging/flip sequence) is tests/test_neo4j_bulk_offline.py.
"""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bench.ecosystem import write_bulk as write_ecosystem
from flowmap.domain.audit import AuditRecord
from flowmap.domain.models import FlowMap
from flowmap.errors import ValidationFailed
from flowmap.store import GraphStore, open_store
from flowmap.store import neo4j_bulk as nb
from flowmap.store.bulk import open_bulk, write_bulk
from flowmap.store.bulk_import import import_embedded
from flowmap.store.embedded import EmbeddedExecutor
from flowmap.store.queries import Query
from flowmap.store.schema import NODE_TABLES

pytestmark = pytest.mark.neo4j
BATCH = 1000  # the smallest batch, so the S ecosystem (11k engagements) takes a dozen staging transactions


@pytest.fixture
async def neo4j_store(neo4j_target: Any) -> AsyncIterator[GraphStore]:
    """An empty Neo4j store with its schema; skipped, with the reason, when no Neo4j is reachable."""
    if neo4j_target.settings is None:
        pytest.skip(neo4j_target.skip_reason)
    store = await open_store(neo4j_target.settings)
    labels = [t.name for t in NODE_TABLES] + [nb.STAGED, nb.RETIRED]
    await store.executor.write([Query(f"MATCH (n:{label}) DETACH DELETE n") for label in labels])
    await store.ensure_schema()
    try:
        yield store
    finally:
        await store.close()


async def _snapshot(store: GraphStore) -> tuple[FlowMap, int, int]:
    return await store.read_map(), await store.revision(), await store.audit_count()


async def _leftovers(store: GraphStore) -> int:
    found = 0
    for label in (nb.STAGED, nb.RETIRED):
        found += int((await store.executor.read(nb.count_label(label)))[0]["c"])
    return found


async def _embedded_import(tmp_path: Path, before: FlowMap, bulk: Path) -> tuple[FlowMap, dict[str, Any]]:
    """What the embedded store holds after importing ``bulk`` over ``before``: the reference result."""
    path = tmp_path / "embedded" / "flowmap.lbug"
    store = GraphStore(EmbeddedExecutor(path))
    await store.ensure_schema()
    await store.write_map(before)
    await store.close()
    await import_embedded(path, open_bulk(bulk))
    store = GraphStore(EmbeddedExecutor(path))
    try:
        return await store.read_map(), (await store.counts()).as_dict()
    finally:
        await store.close()


def _rewrite(path: Path, column: str, row_index: int, value: str) -> int:
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[row_index + 1][table[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    return row_index + 2


async def test_the_import_gives_the_map_the_embedded_import_gives(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path
) -> None:
    await neo4j_store.write_map(mini_map)
    summary = write_ecosystem(tmp_path / "eco", "S", 7)
    lines: list[str] = []
    revision = await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "eco"), batch_size=BATCH, progress=lines.append)
    expected_map, expected_counts = await _embedded_import(tmp_path, mini_map, tmp_path / "eco")
    back = await neo4j_store.read_map()
    assert len(back.engagements) == summary.engagements and len(back.organizations) == summary.organizations
    assert back == expected_map
    assert (await neo4j_store.counts()).as_dict() == expected_counts
    assert revision == await neo4j_store.revision() == 2 and await neo4j_store.audit_count() == 2
    newest, oldest = await neo4j_store.audit_log(0, 2)
    assert (newest.revision, newest.record.operation, oldest.record.operation) == (2, "importMap", "loadMap")
    assert newest.record.before is not None and newest.record.before["revision"] == 1
    assert newest.record.after is not None and newest.record.after["engagements"] == summary.engagements
    assert await _leftovers(neo4j_store) == 0
    assert any("staging engagements.csv" in line for line in lines)


async def test_importing_the_same_directory_twice_gives_the_same_map(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path
) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "bulk"), batch_size=BATCH)
    first = await neo4j_store.read_map()
    counts = await neo4j_store.counts()
    assert await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "bulk"), batch_size=BATCH) == 2
    assert await neo4j_store.read_map() == first and await neo4j_store.counts() == counts
    assert await _leftovers(neo4j_store) == 0


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("role", "C2X", "C2X"),
        ("countries", "|XX|", "XX"),
        ("to", "nobody", "names organisation 'nobody'"),
        ("valid_from", "2024-13-01", "is not a date"),
    ],
)
async def test_a_bad_row_is_named_and_the_old_map_stays(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path, column: str, value: str, words: str
) -> None:
    await neo4j_store.write_map(mini_map)
    before = await _snapshot(neo4j_store)
    write_ecosystem(tmp_path / "eco", "S", 7)
    line = _rewrite(tmp_path / "eco" / "engagements.csv", column, 7_500, value)  # after several staged batches
    with pytest.raises(ValidationFailed, match="nothing was imported") as caught:
        await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "eco"), batch_size=BATCH)
    issue = caught.value.issues[0]
    assert (Path(issue.file).name, issue.path, issue.line) == ("engagements.csv", column, line)
    assert words in issue.message
    assert await _snapshot(neo4j_store) == before
    assert await _leftovers(neo4j_store) == 0


def _failing_writes(store: GraphStore, monkeypatch: pytest.MonkeyPatch, after: int) -> None:
    """The ``after``-th engagement batch fails, as a lost connection or a full disk would fail it."""
    real = store.executor.write
    seen = [0]

    async def write(queries: Any, progress: Any = None) -> None:
        if any("CREATE (a)-[e:ENGAGES]" in q.cypher for q in queries):
            seen[0] += 1
            if seen[0] == after:
                raise RuntimeError("injected failure mid-staging")
        await real(queries, progress)

    monkeypatch.setattr(store.executor, "write", write)


async def test_a_failure_mid_staging_keeps_the_old_map(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await neo4j_store.write_map(mini_map)
    before = await _snapshot(neo4j_store)
    write_ecosystem(tmp_path / "eco", "S", 7)
    _failing_writes(neo4j_store, monkeypatch, after=4)
    with pytest.raises(RuntimeError, match="injected failure"):
        await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "eco"), batch_size=BATCH)
    assert await _snapshot(neo4j_store) == before
    assert await _leftovers(neo4j_store) == 0  # the failed staging was deleted


async def test_a_crash_mid_staging_keeps_the_old_map_and_the_next_import_cleans_up(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await neo4j_store.write_map(mini_map)
    before = await _snapshot(neo4j_store)
    write_ecosystem(tmp_path / "eco", "S", 7)
    _failing_writes(neo4j_store, monkeypatch, after=4)

    async def crashed(*_args: Any) -> None:  # the process died: nothing deletes the staging
        return None

    monkeypatch.setattr(nb, "_discard_staging", crashed)
    with pytest.raises(RuntimeError, match="injected failure"):
        await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "eco"), batch_size=BATCH)
    assert await _leftovers(neo4j_store) > 0
    assert await _snapshot(neo4j_store) == before  # the staged generation is invisible to the map
    monkeypatch.undo()
    await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "eco"), batch_size=BATCH)
    expected_map, _ = await _embedded_import(tmp_path, mini_map, tmp_path / "eco")
    assert await neo4j_store.read_map() == expected_map
    assert await _leftovers(neo4j_store) == 0


async def test_a_change_to_the_map_during_the_import_stops_it(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await neo4j_store.write_map(mini_map)
    write_ecosystem(tmp_path / "eco", "S", 7)
    acme = next(o for o in mini_map.organizations if o.id == "acme")
    real = nb._count

    async def count(executor: Any, query: Query) -> int:
        if "COUNT {" in query.cypher:  # staging is done: an editor commits before the flip
            await neo4j_store.save_organization(acme.model_copy(update={"name": "Acme, edited meanwhile"}),
                                                AuditRecord("editor", "editor", "rename", "acme", None, None))  # fmt: skip
        return await real(executor, query)

    monkeypatch.setattr(nb, "_count", count)
    with pytest.raises(nb.ImportConflict, match="revision 1 became 2"):
        await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "eco"), batch_size=BATCH)
    edited = await neo4j_store.organization("acme")
    assert edited is not None and edited.name == "Acme, edited meanwhile"  # the editor's change stands
    assert len((await neo4j_store.read_map()).engagements) == len(mini_map.engagements)
    assert await neo4j_store.revision() == 2 and await _leftovers(neo4j_store) == 0


async def test_single_changes_after_an_import_use_the_imported_nodes(
    neo4j_store: GraphStore, mini_map: FlowMap, tmp_path: Path
) -> None:
    """The promoted nodes carry the real labels and keys: MERGE finds them (no duplicate), constraints hold."""
    write_bulk(mini_map, tmp_path / "bulk")
    await nb.import_neo4j(neo4j_store, open_bulk(tmp_path / "bulk"), batch_size=BATCH)
    counts = await neo4j_store.counts()
    acme = next(o for o in mini_map.organizations if o.id == "acme")
    record = AuditRecord("editor", "editor", "rename", "acme", None, None)
    await neo4j_store.save_organization(acme.model_copy(update={"name": "Acme Renamed"}), record)
    old = next(e for e in mini_map.engagements if e.key == "client-nl>acme")
    await neo4j_store.save_engagement(old.model_copy(update={"service": "moved"}), old, record)
    assert await neo4j_store.counts() == counts
    back = await neo4j_store.organization("acme")
    assert back is not None and back.name == "Acme Renamed"
