"""Bulk import: the map comes back as written; bad files are refused whole, naming file, line and column.

Embedded only: it is the engine's COPY FROM path (the Neo4j path comes with issue 8's atomic batches).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from flowmap.domain.models import FlowMap
from flowmap.errors import StoreLocked, StoreUnavailable, ValidationFailed
from flowmap.store import GraphStore
from flowmap.store.bulk import COLUMN_RULES, MAX_SHOWN_ISSUES, ColumnRule, open_bulk, write_bulk
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
    # every table of the map comes back: parents, publishers, citations and legal references included
    assert back.organizations == sorted(mini_map.organizations, key=lambda o: o.id)
    assert any(o.parent for o in back.organizations)
    assert back.documents == mini_map.documents and any(d.citations and d.publisher for d in back.documents)
    assert back.legal_references == mini_map.legal_references and back.legal_references
    assert revision == now == 2 and audited == 2
    store = await _open(seeded)
    try:
        newest = (await store.audit_log(0, 1))[0]
        assert newest.record.operation == "importMap" and newest.revision == 2
        assert (await store.counts()).nodes["Country"] == 249  # reference data comes with it
    finally:
        await store.close()
    assert not list(seeded.parent.glob("*.import*"))


async def _rejected(
    seeded: Path, mini_map: FlowMap, tmp_path: Path, file: str, column: str, value: str, words: str, match: str = ""
) -> None:
    """``value`` in ``column`` of the first data row stops the import, named by file, column and line; the
    store is as it was and no scratch file is left."""
    before = await _snapshot(seeded)
    write_bulk(mini_map, tmp_path / "bulk")
    line = _rewrite(tmp_path / "bulk" / file, column, 1, value)
    with pytest.raises(ValidationFailed, match=match) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    issue = caught.value.issues[0]
    assert (Path(issue.file).name, issue.path, issue.line) == (file, column, line)
    assert words in issue.message
    assert await _snapshot(seeded) == before
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
    await _rejected(seeded, mini_map, tmp_path, file, column, value, words)


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


# --- what the Arrow checks add: cell types, keys, endpoints, line numbers -------------------------------------


def _append_rows(path: Path, rows: list[list[str]]) -> int:
    """Append rows; returns the line of the first one."""
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([*table, *rows])
    return len(table) + 1


@pytest.mark.parametrize(
    ("file", "column", "value", "words"),
    [
        ("engagements.csv", "valid_from", "2024-13-01", "'2024-13-01' is not a date"),
        ("engagements.csv", "fictional", "maybe", "'maybe' is not true or false"),
        ("engagements.csv", "to", "nobody", "names organisation 'nobody', which organizations.csv does not hold"),
        ("engagements.csv", "id", "Not An Id", "String should match pattern"),  # through the vectorised screen
        ("organizations.csv", "aliases", "[a,,b]", "has an empty element"),
        ("organizations.csv", "aliases", "a,b", "is not a list"),
        ("organizations.csv", "unnamed", "yes", "'yes' is not true or false"),
    ],
)
async def test_what_copy_from_would_refuse_is_named_before_it_loads(
    seeded: Path, mini_map: FlowMap, tmp_path: Path, file: str, column: str, value: str, words: str
) -> None:
    await _rejected(seeded, mini_map, tmp_path, file, column, value, words, match="nothing was imported")


async def test_repeated_keys_and_short_rows_are_named_at_their_lines(
    seeded: Path, mini_map: FlowMap, tmp_path: Path
) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    engagements = tmp_path / "bulk" / "engagements.csv"
    with engagements.open(encoding="utf-8", newline="") as f:
        first_id = next(iter(csv.DictReader(f)))["id"]
    _rewrite(engagements, "id", 1, first_id)
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    assert [(i.path, i.line, i.message) for i in caught.value.issues] == [
        ("id", 3, f"the engagement id is used twice (id {first_id!r})")  # the second use
    ]
    write_bulk(mini_map, tmp_path / "bulk")
    organizations = tmp_path / "bulk" / "organizations.csv"
    with organizations.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    line = _append_rows(organizations, [rows[1]])
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    assert f"organizations.csv:{line}: id: the id {rows[1][0]!r} is used twice" in str(caught.value)
    write_bulk(mini_map, tmp_path / "bulk")
    line = _append_rows(organizations, [rows[2][:3]])
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    assert f"organizations.csv:{line}: <root>: has 3 cells; the header has {len(rows[0])}" in str(caught.value)


async def test_a_line_break_inside_a_cell_is_kept_and_later_lines_still_named(
    seeded: Path, mini_map: FlowMap, tmp_path: Path
) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    organizations = tmp_path / "bulk" / "organizations.csv"
    _rewrite(organizations, "description", 0, "two\nlines")
    await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    back, _, _ = await _snapshot(seeded)
    assert {o.id: o.description for o in back.organizations}[mini_map.organizations[0].id] == "two\nlines"
    line = _rewrite(organizations, "country", 2, "Germany") + 1  # one line further down: the quoted break
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    assert (caught.value.issues[0].path, caught.value.issues[0].line) == ("country", line)


async def test_cells_are_stored_as_copy_from_stored_them(seeded: Path, mini_map: FlowMap, tmp_path: Path) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    organizations, engagements = tmp_path / "bulk" / "organizations.csv", tmp_path / "bulk" / "engagements.csv"
    _rewrite(organizations, "aliases", 0, "[ Alpha , Beta Co ]")
    _rewrite(organizations, "fictional", 0, "True")
    _rewrite(organizations, "fictional", 1, "0")
    _rewrite(engagements, "valid_from", 0, "2024-1-2")
    _rewrite(engagements, "tia_ref", 0, " spaced ")
    await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    back, _, _ = await _snapshot(seeded)
    orgs = {o.id: o for o in back.organizations}
    first, second = mini_map.organizations[0].id, mini_map.organizations[1].id
    assert orgs[first].aliases == ["Alpha", "Beta Co"] and orgs[first].fictional and not orgs[second].fictional
    engagement = {e.key: e for e in back.engagements}[mini_map.engagements[0].key]
    assert engagement.valid_from == date(2024, 1, 2) and engagement.tia_ref == "spaced"  # the model strips Text


async def test_a_quoted_empty_cell_is_an_empty_string_not_null(seeded: Path, mini_map: FlowMap, tmp_path: Path) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    organizations = tmp_path / "bulk" / "organizations.csv"
    with organizations.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    with organizations.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(table)  # every empty cell written as ""
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    legal_name = next(i for i in caught.value.issues if i.path == "legal_name")
    assert "at least 1 character" in legal_name.message


async def test_only_the_first_problems_are_listed(seeded: Path, mini_map: FlowMap, tmp_path: Path) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    engagements = tmp_path / "bulk" / "engagements.csv"
    with engagements.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    role, ident = rows[0].index("role"), rows[0].index("id")
    bad = [[*row[:ident], f"x{i}", *row[ident + 1 :]] for i, row in enumerate([rows[1]] * 30)]
    for i, row in enumerate(bad):
        row[role] = f"R{i}"
    first = _append_rows(engagements, bad)
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    issues = caught.value.issues
    assert len(issues) == MAX_SHOWN_ISSUES
    assert [(i.path, i.line) for i in issues] == [("role", first + i) for i in range(MAX_SHOWN_ISSUES)]


async def test_an_empty_file_is_read_and_what_cites_into_it_is_named(
    seeded: Path, mini_map: FlowMap, tmp_path: Path
) -> None:
    write_bulk(mini_map.model_copy(update={"documents": []}), tmp_path / "bulk")  # documents.csv: the header only
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    cited = {(Path(i.file).name, i.path, i.line) for i in caught.value.issues}
    document = mini_map.documents[0].id
    assert all(f"cites document {document!r}, which documents.csv does not hold" in i.message
               for i in caught.value.issues)  # fmt: skip
    assert ("engagements.csv", "evidence", 2) in cited


_IDS = ["a", "a.b-c:d~e", "A", "a b", "", "a\n", "-a", "a" * 200, "a" * 201, "ä", "a>b", "0" * 64, "0" * 63, "g" * 64]
_IDS += ["EU", "DE", "INT", "EUR", "de", "D"]  # legal references' jurisdictions


@pytest.mark.parametrize(
    "rule", [r for r in COLUMN_RULES if r.screen() is not None], ids=lambda r: f"{r.file}:{r.column}"
)
def test_the_vectorised_screen_passes_only_what_pydantic_passes(rule: ColumnRule) -> None:
    passed = pa.array(_IDS)
    screened = rule.screen()
    assert screened is not None
    adapter = rule.adapter()
    for value, ok in zip(_IDS, screened(passed).to_pylist(), strict=True):
        if ok:
            adapter.validate_python(value)  # never raises
    assert any(screened(passed).to_pylist())
    # Only plain constrained strings are screened: ids, hashes and jurisdictions, never Text (stripped, checked for
    # control codes).
    assert {r.column for r in COLUMN_RULES if r.screen() is not None} == {"id", "sha256", "jurisdiction"}


async def test_an_engine_failure_while_filling_the_scratch_file_is_a_clear_error(tmp_path: Path) -> None:
    executor = EmbeddedExecutor(tmp_path / "x.lbug")
    try:

        def work(run: Callable[[Query], list[dict[str, Any]]]) -> None:
            run(Query("RETURN 1 / 0 AS x"))

        with pytest.raises(StoreUnavailable, match="the engine stopped"):
            await executor.transaction(work, autocommit=True)
        assert await executor.read(Query("RETURN 1 AS x")) == [{"x": 1}]
    finally:
        await executor.close()


async def test_a_store_another_process_holds_is_left_alone(seeded: Path, mini_map: FlowMap, tmp_path: Path) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    theirs = seeded.with_name(seeded.name + ".import")
    theirs.write_bytes(b"another import's scratch file")
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(seeded)], stdout=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        with pytest.raises(StoreLocked):
            await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    finally:
        holder.kill()
        holder.wait()
    assert theirs.read_bytes() == b"another import's scratch file"
    assert not [t for t in threading.enumerate() if t.name == "flowmap-bulk-load"]  # the reading stopped too


_HOLD = "import sys, time, ladybug; db = ladybug.Database(sys.argv[1]); print('holding', flush=True); time.sleep(60)"


@pytest.mark.parametrize(
    ("file", "column", "value", "words"),
    [
        ("citations.csv", "to", "law.nowhere", "names legal reference 'law.nowhere', which legal_references.csv"),
        ("citations.csv", "ord", "first", "is not a whole number"),
        ("citations.csv", "quote", "x " * 30, "at most 20"),
        ("parents.csv", "to", "nowhere", "names organisation 'nowhere', which organizations.csv does not hold"),
        ("publishers.csv", "to", "doc.nowhere", "names document 'doc.nowhere', which documents.csv does not hold"),
        ("legal_references.csv", "jurisdiction", "Europe", "Europe"),
    ],
)
async def test_the_map_s_other_tables_are_checked_too(
    seeded: Path, mini_map: FlowMap, tmp_path: Path, file: str, column: str, value: str, words: str
) -> None:
    """Parents, publishers, citations and legal references: their ends must exist and their cells pass the models."""
    before = await _snapshot(seeded)
    write_bulk(mini_map, tmp_path / "bulk")
    line = _rewrite(tmp_path / "bulk" / file, column, 0, value)
    with pytest.raises(ValidationFailed) as caught:
        await import_embedded(seeded, open_bulk(tmp_path / "bulk"))
    issue = caught.value.issues[0]
    assert (Path(issue.file).name, issue.path, issue.line) == (file, column, line)
    assert words in issue.message
    assert await _snapshot(seeded) == before


async def test_what_a_killed_import_leaves_beside_the_store_does_not_block_the_next(
    seeded: Path, mini_map: FlowMap, tmp_path: Path
) -> None:
    """A process killed mid-checkpoint leaves the scratch file's checkpoint files; the engine refuses to open a
    new file under a name whose ``.wal.checkpoint`` belongs to another database, so they must go too."""
    write_bulk(mini_map, tmp_path / "bulk")
    other = tmp_path / "other" / "x.lbug"  # a real checkpoint file of another database
    store = await _open(other)
    await store.close()
    stale = seeded.with_name(seeded.name + ".import.wal.checkpoint")
    stale.write_bytes(b"\x00" * 64 + other.read_bytes()[:4096])
    for name in (".import", ".import.checkpoint.apply.lock", ".import.checkpoint.intent.lock"):
        seeded.with_name(seeded.name + name).write_bytes(b"")
    assert await import_embedded(seeded, open_bulk(tmp_path / "bulk")) == 2
    assert not list(seeded.parent.glob("*.import*"))
