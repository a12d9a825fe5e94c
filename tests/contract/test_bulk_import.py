"""Bulk import: the map comes back as written; bad files are refused whole, naming file, line and column.

Embedded only: it is the engine's COPY FROM path (the Neo4j path comes with issue 8's atomic batches).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from flowmap.domain.models import FlowMap
from flowmap.errors import StoreUnavailable, ValidationFailed
from flowmap.store import GraphStore
from flowmap.store.bulk import open_bulk, write_bulk
from flowmap.store.bulk_import import import_embedded
from flowmap.store.embedded import EmbeddedExecutor
from flowmap.store.queries import Query


async def _open(path: Path) -> GraphStore:
    store = GraphStore(EmbeddedExecutor(path))
    await store.ensure_schema()
    return store


async def _snapshot(path: Path) -> tuple[FlowMap, int, int]:
    store = await _open(path)
    try:
        return await store.read_map(), await store.revision(), await store.audit_count()
    finally:
        await store.close()


@pytest.fixture
async def seeded(tmp_path: Path, mini_map: FlowMap) -> Path:
    """An embedded store holding the mini map (revision 1, one audit entry), closed."""
    path = tmp_path / "store" / "flowmap.lbug"
    store = await _open(path)
    await store.write_map(mini_map)
    await store.close()
    return path


def _rewrite(path: Path, column: str, row_index: int, value: str) -> int:
    """Set one cell; returns the CSV line it is on."""
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[row_index + 1][table[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    return row_index + 2


async def test_import_round_trips_and_carries_the_audit_log(seeded: Path, mini_map: FlowMap, tmp_path: Path) -> None:
    written = write_bulk(mini_map, tmp_path / "bulk")
    revision = await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    back, now, audited = await _snapshot(seeded)
    assert written["engagements.csv"] == len(mini_map.engagements) == len(back.engagements)
    by_key = {e.key: e for e in back.engagements}
    for original in mini_map.engagements:
        assert by_key[original.key].model_dump(exclude={"id"}) == original.model_dump(exclude={"id"})
    assert {o.id for o in back.organizations} == {o.id for o in mini_map.organizations}
    assert revision == now == 2 and audited == 2
    store = await _open(seeded)
    try:
        newest = (await store.audit_log(0, 1))[0]
        assert newest.record.operation == "importMap" and newest.revision == 2
        assert (await store.counts()).nodes["Country"] == 249  # reference data comes with it
    finally:
        await store.close()
    assert not list(seeded.parent.glob("*.import*"))


async def test_importing_twice_gives_the_same_map(seeded: Path, mini_map: FlowMap, tmp_path: Path) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    first, _, _ = await _snapshot(seeded)
    await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    second, revision, _ = await _snapshot(seeded)
    assert second == first and revision == 3


@pytest.mark.parametrize(
    ("file", "column", "value", "words"),
    [
        ("engagements.csv", "role", "C2X", "C2X"),
        ("engagements.csv", "categories", "|user.contact.emial|", "user.contact.emial"),
        ("engagements.csv", "countries", "|XX|", "XX"),
        ("engagements.csv", "mechanisms", '[{"code": "SCC_2099"}]', "SCC_2099"),
        ("engagements.csv", "evidence", '[{"document": "doc.nowhere", "quote": "q"}]', "doc.nowhere"),
        ("organizations.csv", "country", "Germany", "Germany"),
        ("organizations.csv", "name", "bad\x07name", "control character"),
    ],
)
async def test_a_bad_value_stops_the_whole_import(
    seeded: Path, mini_map: FlowMap, tmp_path: Path, file: str, column: str, value: str, words: str
) -> None:
    before = await _snapshot(seeded)
    write_bulk(mini_map, tmp_path / "bulk")
    line = _rewrite(tmp_path / "bulk" / file, column, 1, value)
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    issue = caught.value.issues[0]
    assert (Path(issue.file).name, issue.path, issue.line) == (file, column, line)
    assert words in issue.message
    assert await _snapshot(seeded) == before
    assert not list(seeded.parent.glob("*.import*"))


async def test_rules_across_columns_are_checked(seeded: Path, mini_map: FlowMap, tmp_path: Path) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    path = tmp_path / "bulk" / "engagements.csv"
    _rewrite(path, "valid_from", 0, "2024-01-01")
    line = _rewrite(path, "valid_to", 0, "2023-01-01")
    with pytest.raises(ValidationFailed, match="valid_to is before valid_from") as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    assert caught.value.issues[0].line == line


def test_a_wrong_header_names_the_columns(mini_map: FlowMap, tmp_path: Path) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    path = tmp_path / "bulk" / "engagements.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("location_scope", "scope", 1), encoding="utf-8")
    (tmp_path / "bulk" / "organizations.csv").unlink()
    with pytest.raises(ValidationFailed) as caught:
        open_bulk(tmp_path / "bulk")
    text = str(caught.value)
    assert "organizations.csv: is missing" in text
    assert "missing location_scope; unexpected scope" in text and "engagements.csv:1" in text


async def test_an_engine_failure_inside_the_load_is_a_clear_error(tmp_path: Path) -> None:
    executor = EmbeddedExecutor(tmp_path / "x.lbug")
    try:

        def work(run: Callable[[Query], list[dict[str, Any]]]) -> None:
            run(Query("RETURN 1 / 0 AS x"))

        with pytest.raises(StoreUnavailable, match="the engine stopped the transaction"):
            await executor.transaction(work)
        assert await executor.read(Query("RETURN 1 AS x")) == [{"x": 1}]  # and the store still works
    finally:
        await executor.close()
