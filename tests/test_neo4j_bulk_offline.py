"""The Neo4j bulk import, offline: batching, query builders, the Python checks against the embedded import's own
checks, cell conversion against what COPY FROM stores, and the staging/flip sequence on a recording driver.

The same import against a real Neo4j is tests/contract/test_neo4j_bulk.py.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.ecosystem import write_bulk as write_ecosystem
from flowmap.domain.models import FlowMap
from flowmap.errors import ValidationFailed
from flowmap.store import GraphStore
from flowmap.store import neo4j_bulk as nb
from flowmap.store.bulk import BULK_FILES, ROW_RULES, open_bulk, write_bulk
from flowmap.store.bulk_import import import_embedded
from flowmap.store.embedded import EmbeddedExecutor
from flowmap.store.neo4j_backend import Neo4jExecutor
from flowmap.store.queries import Query, read_engagements, read_nodes
from flowmap.store.schema import COUNTRY, DOCUMENT, ENGAGES, MAP_NODE_TABLES, ORGANIZATION

HOSTILE = [
    "Robert'); MATCH (n) DETACH DELETE n; //",
    '"}) RETURN 1 UNION MATCH (n) RETURN n //',
    "back\\slash and $param",
    "emoji 🦜 and ünïcödé",
]
PARAM = re.compile(r"\$(\w+)")


def _rewrite(path: Path, column: str, row_index: int, value: str) -> int:
    """Set one cell; returns the CSV line it is on."""
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[row_index + 1][table[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    return row_index + 2


# --- batching -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "size", "expected"), [(0, 1000, []), (999, 1000, [999]), (1000, 1000, [1000]),
                                                     (12_345, 5000, [5000, 5000, 2345]), (20_000, 10_000, [10_000] * 2)])  # fmt: skip
def test_rows_go_in_batches_of_the_size(n: int, size: int, expected: list[int]) -> None:
    rows = ({"id": str(i)} for i in range(n))
    got = list(nb.batches(rows, size))
    assert [len(b) for b in got] == expected
    assert [r["id"] for b in got for r in b] == [str(i) for i in range(n)]  # in order, none lost


def test_batch_size_is_1k_to_10k_and_5k_by_default() -> None:
    assert nb.DEFAULT_BATCH_SIZE == 5000 and nb.check_batch_size(1000) == 1000 and nb.check_batch_size(10_000)
    for bad in (0, 999, 10_001):
        with pytest.raises(ValueError, match="outside"):
            nb.check_batch_size(bad)


# --- query builders -------------------------------------------------------------------------------------------


def _hostile_rows(props: tuple[str, ...], n: int = 3) -> list[dict[str, Any]]:
    return [{p: HOSTILE[(i + j) % len(HOSTILE)] for j, p in enumerate(props)} | {"src": HOSTILE[0], "dst": HOSTILE[1]}
            for i in range(n)]  # fmt: skip


def _assert_parametrised(query: Query, values: list[str]) -> None:
    for value in values:
        assert value not in query.cypher
    assert set(PARAM.findall(query.cypher)) == set(query.params), query.cypher
    assert "'" not in query.cypher.replace("'0'", ""), query.cypher  # no literal but the new meta node's '0'


def test_staging_queries_carry_every_value_as_a_parameter() -> None:
    gen = HOSTILE[2]
    for table in (ORGANIZATION, DOCUMENT):
        rows = _hostile_rows(table.prop_names)
        query = nb.create_staged_nodes(table, rows, gen)
        _assert_parametrised(query, [*HOSTILE, gen])
        assert query.params == {"rows": rows, "gen": gen}
        assert f"CREATE (n:{nb.STAGED}:{nb.STAGED_LABELS[table.name]})" in query.cypher
        assert "MERGE" not in query.cypher
        assert all(f"n.{p} = " in query.cypher for p in table.prop_names)
    rows = _hostile_rows(ENGAGES.prop_names)
    query = nb.create_staged_rels(ENGAGES, rows, gen)
    _assert_parametrised(query, [*HOSTILE, gen])
    assert "CREATE (a)-[e:ENGAGES]->(b)" in query.cypher and "MERGE" not in query.cypher
    assert "e.valid_from = date(r.valid_from)" in query.cypher  # dates as Neo4j dates, like the incremental path
    # both ends are seeks on the staged id index, restricted to this import's generation
    assert query.cypher.count("FlowmapStagedOrganization {id: r.") == 2 and query.cypher.count("= $gen") == 2
    assert any("FlowmapStagedOrganization) ON (n.id)" in s for s in nb.STAGING_DDL)


def test_cleanup_and_flip_queries_are_parametrised_and_bounded() -> None:
    gen = HOSTILE[0]
    for label in (nb.STAGED, nb.RETIRED):
        for query in (nb.delete_rels_batch(label, 5000), nb.delete_nodes_batch(label, 5000)):
            _assert_parametrised(query, [])
            assert "LIMIT $limit" in query.cypher and query.params == {"limit": 5000}
            assert f"(n:{label})" in query.cypher
    for query in (nb.promote(ORGANIZATION, gen), nb.count_staged_rels(ENGAGES, gen), nb.lock_revision()):
        _assert_parametrised(query, [gen])
    assert "SET n:Organization" in nb.promote(ORGANIZATION, gen).cypher
    assert "REMOVE n:FlowmapStaged:FlowmapStagedOrganization" in nb.promote(ORGANIZATION, gen).cypher
    assert "REMOVE n:Document SET n:FlowmapRetired" in nb.retire("Document").cypher
    assert "SET n:LegalReference" in nb.promote(MAP_NODE_TABLES[2], gen).cypher
    with pytest.raises(ValueError, match="not a table bulk files load"):
        nb.promote(COUNTRY, gen)


def test_every_row_rule_has_a_python_twin() -> None:
    assert {(r.file, r.column) for r in ROW_RULES} <= set(nb.ROW_CHECKS)
    for spec in BULK_FILES:  # every column type of every bulk file converts
        assert [c for c, _, _ in nb.converters(spec)] == list(spec.columns)


# --- the checks, against the embedded import's --------------------------------------------------------------

BAD_CELLS = [  # file, column, value, words the message must hold (the value, or what is wrong with it)
    ("engagements.csv", "role", "C2X", "C2X"),
    ("engagements.csv", "categories", "|user.contact.emial|", "user.contact.emial"),
    ("engagements.csv", "countries", "|XX|", "XX"),
    ("engagements.csv", "mechanisms", '[{"code": "SCC_2099"}]', "SCC_2099"),
    ("engagements.csv", "mechanisms", "[{not json", "property name"),
    ("engagements.csv", "evidence", '[{"document": "doc.nowhere", "quote": "q"}]', "doc.nowhere"),
    ("organizations.csv", "evidence", '[{"document": "doc.nowhere", "quote": "q"}]', "doc.nowhere"),
    ("organizations.csv", "country", "Germany", "Germany"),
    ("organizations.csv", "name", "bad\x07name", "control character"),
    ("documents.csv", "kind", "novel", "novel"),
]


@pytest.mark.parametrize(("file", "column", "value", "words"), BAD_CELLS)
async def test_a_bad_cell_is_named_as_the_embedded_import_names_it(
    mini_map: FlowMap, tmp_path: Path, file: str, column: str, value: str, words: str
) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    line = _rewrite(tmp_path / "bulk" / file, column, 0, value)
    source = open_bulk(tmp_path / "bulk")
    with pytest.raises(ValidationFailed) as embedded:
        await import_embedded(tmp_path / "store" / "x.lbug", source)
    with pytest.raises(ValidationFailed, match="nothing was imported") as ours:
        nb.check_source(source)
    want, got = embedded.value.issues[0], ours.value.issues[0]
    assert (Path(got.file).name, got.path, got.line) == (file, column, line)
    assert (got.file, got.path, got.line, got.message) == (want.file, want.path, want.line, want.message)
    assert words in got.message


async def test_rules_across_columns_are_named_as_the_embedded_import_names_them(
    mini_map: FlowMap, tmp_path: Path
) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    path = tmp_path / "bulk" / "engagements.csv"
    _rewrite(path, "valid_from", 0, "2024-01-01")
    _rewrite(path, "valid_to", 0, "2023-01-01")
    with path.open(encoding="utf-8", newline="") as f:
        first = next(iter(list(csv.DictReader(f))))
    _rewrite(path, "id", 1, first["id"])  # the same engagement id twice
    source = open_bulk(tmp_path / "bulk")
    with pytest.raises(ValidationFailed) as embedded:
        await import_embedded(tmp_path / "store" / "x.lbug", source)
    with pytest.raises(ValidationFailed) as ours:
        nb.check_source(source)
    key = lambda i: (i.path, i.message)  # noqa: E731
    assert sorted(map(key, ours.value.issues)) == sorted(map(key, embedded.value.issues))
    assert {i.line for i in ours.value.issues if "valid_to" in i.message} == {2}
    assert {i.line for i in ours.value.issues if "used twice" in i.message} == {3}  # the second use, not the first


@pytest.mark.parametrize(
    ("file", "column", "value", "words"),
    [
        ("engagements.csv", "valid_from", "2024-13-01", "is not a date"),
        ("engagements.csv", "fictional", "maybe", "is not true or false"),
        ("engagements.csv", "to", "nobody", "names organisation 'nobody', which organizations.csv does not hold"),
        ("organizations.csv", "aliases", "[a,,b]", "empty element"),
        ("organizations.csv", "aliases", "a,b", "is not a list"),
        ("citations.csv", "to", "law.nowhere", "names legal reference 'law.nowhere', which legal_references.csv"),
        ("citations.csv", "ord", "first", "is not a whole number"),
        ("parents.csv", "to", "nowhere", "names organisation 'nowhere', which organizations.csv does not hold"),
        ("parents.csv", "from", "acme", "an organisation cannot be its own parent"),
        ("publishers.csv", "to", "doc.nowhere", "names document 'doc.nowhere', which documents.csv does not hold"),
        ("legal_references.csv", "jurisdiction", "Europe", "Europe"),
    ],
)
def test_what_copy_from_enforces_is_checked_too(
    mini_map: FlowMap, tmp_path: Path, file: str, column: str, value: str, words: str
) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    line = _rewrite(tmp_path / "bulk" / file, column, 0, value)
    with pytest.raises(ValidationFailed) as caught:
        nb.check_source(open_bulk(tmp_path / "bulk"))
    issue = caught.value.issues[0]
    assert (Path(issue.file).name, issue.path, issue.line) == (file, column, line) and words in issue.message


def test_a_duplicate_organization_and_a_short_row_are_named(mini_map: FlowMap, tmp_path: Path) -> None:
    write_bulk(mini_map, tmp_path / "bulk")
    path = tmp_path / "bulk" / "organizations.csv"
    with path.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table.append(table[1])
    table.append(table[2][:3])
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    with pytest.raises(ValidationFailed) as caught:
        nb.check_source(open_bulk(tmp_path / "bulk"))
    text = str(caught.value)
    assert f"organizations.csv:{len(table) - 1}: id: the id {table[1][0]!r} is used twice" in text
    assert f"organizations.csv:{len(table)}: <root>: has 3 cells; the header has {len(table[0])}" in text


def test_a_valid_directory_passes_and_every_row_is_staged(mini_map: FlowMap, tmp_path: Path) -> None:
    summary = write_ecosystem(tmp_path / "eco", "S", 7)
    checker = nb.check_source(open_bulk(tmp_path / "eco"))
    assert checker.staged == {"organizations.csv": summary.organizations, "documents.csv": 1,
                              "engagements.csv": summary.engagements}  # fmt: skip
    write_bulk(mini_map, tmp_path / "mini")
    assert nb.check_source(open_bulk(tmp_path / "mini")).staged["engagements.csv"] == len(mini_map.engagements)


# --- cells, against what COPY FROM stores ----------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


async def test_cells_convert_to_what_copy_from_stores(mini_map: FlowMap, tmp_path: Path) -> None:
    """The rows Neo4j is given hold exactly the values LadybugDB's COPY FROM stores for the same files."""
    write_bulk(mini_map, tmp_path / "bulk")
    orgs, engs = tmp_path / "bulk" / "organizations.csv", tmp_path / "bulk" / "engagements.csv"
    _rewrite(orgs, "aliases", 0, "[ Alpha , Beta Co ]")  # COPY FROM trims list elements
    _rewrite(orgs, "aliases", 1, '["x, y",z]')  # a quoted comma does not split (the quotes stay)
    _rewrite(orgs, "fictional", 0, "True")
    _rewrite(orgs, "fictional", 1, "0")
    _rewrite(engs, "valid_from", 0, "2024-1-2")
    _rewrite(engs, "tia_ref", 0, " spaced ")
    source = open_bulk(tmp_path / "bulk")
    staged: dict[str, list[dict[str, Any]]] = {}
    checker = nb.RowChecker(source)
    for spec in BULK_FILES:
        staged[spec.name] = list(nb.staging_rows(checker, spec, source.files[spec.name]))
    checker.finish()
    await import_embedded(tmp_path / "store" / "x.lbug", source)
    executor = EmbeddedExecutor(tmp_path / "store" / "x.lbug")
    try:
        stored_orgs = await executor.read(read_nodes(ORGANIZATION, "ladybug"))
        stored_docs = await executor.read(read_nodes(DOCUMENT, "ladybug"))
        stored_engs = await executor.read(read_engagements("ladybug"))
    finally:
        await executor.close()
    assert sorted(staged["organizations.csv"], key=lambda r: r["id"]) == [
        {k: _plain(v) for k, v in r.items()} for r in stored_orgs
    ]
    assert sorted(staged["documents.csv"], key=lambda r: r["id"]) == [
        {k: _plain(v) for k, v in r.items()} for r in stored_docs
    ]
    renamed = [{"src": r.pop("exporter"), "dst": r.pop("importer"), **{k: _plain(v) for k, v in r.items()}}
               for r in stored_engs]  # fmt: skip
    assert sorted(staged["engagements.csv"], key=lambda r: r["id"]) == sorted(renamed, key=lambda r: r["id"])
    assert {r["id"]: r["aliases"] for r in staged["organizations.csv"]}[stored_orgs[0]["id"]] is not None


# --- the sequence, on a recording driver ------------------------------------------------------------------------


class _Result:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self._rows = rows

    async def data(self) -> list[dict[str, Any]]:
        return self._rows

    async def consume(self) -> None:
        return None


class _FakeNeo4j:
    """Just enough of a Neo4j to follow the import: it counts what the staging and flip queries would do."""

    def __init__(self, revision: int = 1, live: int = 7) -> None:
        self.log: list[str] = []
        self.revision = revision
        self.live, self.retired = live, 0
        self.staged: dict[str, int] = dict.fromkeys(nb.STAGED_LABELS.values(), 0) | {"ENGAGES": 0}
        self.fail_on: str | None = None

    def run(self, cypher: str, params: dict[str, Any]) -> _Result:
        self.log.append(cypher)
        if self.fail_on and self.fail_on in cypher:
            raise RuntimeError("injected failure")
        rows = len(params.get("rows", []))
        if cypher.startswith("UNWIND $rows AS r CREATE (n:FlowmapStaged:"):
            self.staged[cypher.split(":")[2].split(")")[0]] += rows
        elif "CREATE (a)-[e:ENGAGES]" in cypher:
            self.staged["ENGAGES"] += rows
        elif "COUNT {" in cypher:
            return _Result([{"c": self.staged.get(cypher.split("[:")[1].split("]")[0], 0)}])
        elif cypher == nb.count_label(nb.STAGED).cypher:
            return _Result([{"c": sum(self.staged[label] for label in nb.STAGED_LABELS.values())}])
        elif cypher == nb.count_label(nb.RETIRED).cypher:
            return _Result([{"c": self.retired}])
        elif "DETACH DELETE" in cypher or "DELETE e" in cypher:
            label = nb.STAGED if f"(n:{nb.STAGED})" in cypher else nb.RETIRED
            if label == nb.STAGED:
                gone = sum(self.staged.values())
                self.staged = dict.fromkeys(self.staged, 0)
            else:
                gone, self.retired = self.retired, 0
            return _Result([{"c": gone}])
        elif "RETURN m.value AS value" in cypher:
            return _Result([{"value": str(self.revision)}])
        elif "REMOVE n:Organization SET n:FlowmapRetired" in cypher:
            self.retired, self.live = self.retired + self.live, 0
        elif cypher.startswith("MATCH (n:FlowmapStaged") and "SET n:" in cypher:
            label = cypher.split("MATCH (n:")[1].split(")")[0]
            found, self.staged[label] = self.staged[label], 0
            self.live += found
            if label == "FlowmapStagedOrganization":
                self.staged["ENGAGES"] = 0  # their relationships are the live map's now
            return _Result([{"c": found}])
        elif "MERGE (n:FlowmapMeta" in cypher:
            self.revision = int(next(r["value"] for r in params["rows"] if r["key"] == "revision"))
        elif "count(" in cypher:
            return _Result([{"c": 0}])
        return _Result([])


class _Tx:
    def __init__(self, db: _FakeNeo4j) -> None:
        self.db = db

    async def run(self, cypher: str, params: dict[str, Any] | None = None) -> _Result:
        return self.db.run(cypher, params or {})


class _Session:
    def __init__(self, db: _FakeNeo4j) -> None:
        self.db = db

    async def __aenter__(self) -> _Session:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def execute_read(self, work: Any) -> Any:
        return await work(_Tx(self.db))

    async def execute_write(self, work: Any) -> Any:
        return await work(_Tx(self.db))


class _Driver:
    def __init__(self, db: _FakeNeo4j) -> None:
        self.db = db

    def session(self, **config: Any) -> _Session:
        return _Session(self.db)

    async def execute_query(self, cypher: str, *args: Any, **kwargs: Any) -> None:
        self.db.log.append(cypher)

    async def close(self) -> None:
        return None


def _store(db: _FakeNeo4j) -> GraphStore:
    return GraphStore(Neo4jExecutor("neo4j://fake:7687", "u", "p", "neo4j", driver=_Driver(db)))  # type: ignore[arg-type]


def _phase(log: list[str], text: str, last: bool = False) -> int:
    found = [i for i, c in enumerate(log) if text in c]
    return found[-1] if last else found[0]


async def test_the_import_stages_in_batches_then_flips_once_then_deletes_the_old_map(tmp_path: Path) -> None:
    summary = write_ecosystem(tmp_path / "eco", "S", 7)
    db = _FakeNeo4j(revision=4)
    lines: list[str] = []
    revision = await nb.import_neo4j(_store(db), open_bulk(tmp_path / "eco"), batch_size=2000, progress=lines.append)
    assert revision == 5 and db.revision == 5
    creates = [c for c in db.log if "CREATE (" in c and "INDEX" not in c]
    assert len(creates) == 1 + 1 + -(-summary.engagements // 2000)  # orgs (1000 rows), the document, 6 batches
    staged_end, lock = _phase(db.log, "CREATE (a)-[e:ENGAGES]", last=True), _phase(db.log, "MERGE (m:FlowmapMeta")
    retire, promote = _phase(db.log, "SET n:FlowmapRetired"), _phase(db.log, "SET n:Organization")
    audit, delete = _phase(db.log, "MERGE (n:AuditEntry"), _phase(db.log, "MATCH (n:FlowmapRetired)-[e]-()")
    assert staged_end < lock < retire < promote < audit < delete
    assert db.live == summary.organizations + 1 and db.retired == 0 and not any(db.staged.values())
    assert any("staging engagements.csv" in line for line in lines) and "deleting the previous map" in lines


async def test_a_failure_mid_staging_deletes_the_staging_and_never_flips(tmp_path: Path) -> None:
    write_ecosystem(tmp_path / "eco", "S", 7)
    db = _FakeNeo4j(revision=4)
    db.fail_on = "CREATE (a)-[e:ENGAGES]"
    with pytest.raises(RuntimeError, match="injected failure"):
        await nb.import_neo4j(_store(db), open_bulk(tmp_path / "eco"), batch_size=2000)
    assert db.revision == 4 and db.live == 7 and not any(db.staged.values())
    assert not any("FlowmapRetired" in c and "SET" in c for c in db.log)  # the old map was never touched
    assert any(f"MATCH (n:{nb.STAGED}) WITH n LIMIT $limit DETACH DELETE n" in c for c in db.log)


async def test_a_change_to_the_map_during_staging_stops_the_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_ecosystem(tmp_path / "eco", "S", 7)
    db = _FakeNeo4j(revision=4)
    real = nb.count_staged_rels

    def meanwhile(rel: Any, gen: str) -> Query:
        db.revision = 5  # another process committed while this import was staging
        return real(rel, gen)

    monkeypatch.setattr(nb, "count_staged_rels", meanwhile)
    with pytest.raises(nb.ImportConflict, match="revision 4 became 5"):
        await nb.import_neo4j(_store(db), open_bulk(tmp_path / "eco"), batch_size=2000)
    assert db.revision == 5 and db.live == 7 and not any(db.staged.values())


# --- the incremental write path stays on index seeks ------------------------------------------------------------


def test_every_lookup_of_the_write_path_has_a_constraint_or_index_in_neo4j() -> None:
    """Each ``(label {key: ...})`` and ``[rel {id: ...}]`` the single-change queries anchor on is indexed, so a
    mutation is a seek however large the map (and the staged ids the import matches on are indexed too)."""
    from flowmap.store import queries as q
    from flowmap.store.schema import NODE_TABLES, REL_TABLES, ddl

    writes = [
        *(query for t in NODE_TABLES for query in q.upsert_nodes(t, [{}], "neo4j")),
        *(query for r in REL_TABLES for query in q.upsert_rels(r, [{}], "neo4j")),
        q.delete_engagement("a", "a>b", "neo4j"),
        q.delete_parent("a", "neo4j"),
        q.read_organization("a", "neo4j"),
        q.read_meta_value("revision", "neo4j"),
        nb.create_staged_rels(ENGAGES, [], "g"),
    ]
    anchors = {m for w in writes for m in re.findall(r"\((?:\w+):(\w+) \{(\w+):", w.cypher)}
    rel_anchors = {m for w in writes for m in re.findall(r"\[e:(\w+) \{(\w+):", w.cypher)}
    assert ("Organization", "id") in anchors and ("ENGAGES", "id") in rel_anchors
    schema = " ".join([*ddl("neo4j"), *nb.STAGING_DDL])
    for label, key in anchors:
        assert f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE" in schema or f"FOR (n:{label}) ON (n.{key})" in schema, (
            label,
            key,
        )
    for rel, key in rel_anchors:
        assert f"FOR ()-[e:{rel}]-() ON (e.{key})" in schema
