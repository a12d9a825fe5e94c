"""Snapshot tests of the query builders per dialect, without a database.

Regenerate after an intended change with: FLOWMAP_UPDATE_SNAPSHOTS=1 pytest tests/test_query_builders.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flowmap.store import queries as q
from flowmap.store.schema import CITES, ENGAGES, NODE_TABLES, ORGANIZATION, REL_TABLES, Dialect, ddl

SNAPSHOTS = Path(__file__).parent / "snapshots"


def _render(dialect: Dialect) -> str:
    queries: list[tuple[str, q.Query]] = [
        ("upsert Organization", q.upsert_nodes(ORGANIZATION, [{"id": "a"}], dialect)[0]),
        ("upsert ENGAGES", q.upsert_rels(ENGAGES, [{"src": "a", "dst": "b", "id": "a>b"}], dialect)[0]),
        ("upsert CITES", q.upsert_rels(CITES, [{"src": "d", "dst": "r", "id": "d>r#0"}], dialect)[0]),
        ("read organizations", q.read_organizations(dialect)),
        ("read organization", q.read_organization("acme", dialect)),
        ("read documents", q.read_documents(dialect)),
        ("read citations", q.read_citations(dialect)),
        ("read engagements", q.read_engagements(dialect)),
        ("read meta value", q.read_meta_value("revision", dialect)),
        ("delete engagement", q.delete_engagement("a", "a>b", dialect)),
        ("delete parent", q.delete_parent("a", dialect)),
        ("read audit", q.read_audit(0, 10, dialect)),
        ("bump revision", q.bump_meta_counter("revision", dialect)),
        ("bump engagement version", q.bump_version("a>b", 3, dialect)),
        ("read engagement versions", q.read_versions(dialect)),
        *[(f"count {t.name}", q.count_nodes(t, dialect)) for t in NODE_TABLES],
        *[(f"count {r.name}", q.count_rels(r, dialect)) for r in REL_TABLES],
        *[(f"delete {t.name}", q.delete_all(t, dialect)) for t in NODE_TABLES],
    ]
    out = ["## ddl\n" + "\n".join(ddl(dialect))]
    out += [f"## {name}\n{query.cypher}\nparams: {sorted(query.params)}" for name, query in queries]
    return "\n\n".join(out) + "\n"


@pytest.mark.parametrize("dialect", ["ladybug", "neo4j"])
def test_queries_match_snapshot(dialect: Dialect) -> None:
    rendered = _render(dialect)
    snapshot = SNAPSHOTS / f"queries_{dialect}.txt"
    if os.environ.get("FLOWMAP_UPDATE_SNAPSHOTS") == "1":
        snapshot.write_text(rendered, encoding="utf-8")
    assert snapshot.read_text(encoding="utf-8") == rendered


def test_batches_bound_every_unwind() -> None:
    rows = [{"id": str(i)} for i in range(q.BATCH_SIZE * 2 + 1)]
    batches = q.upsert_nodes(ORGANIZATION, rows, "neo4j")
    assert [len(b.params["rows"]) for b in batches] == [q.BATCH_SIZE, q.BATCH_SIZE, 1]


def test_no_value_is_ever_formatted_into_cypher() -> None:
    marker = "INJECTED'); DETACH DELETE n //"
    for dialect in ("ladybug", "neo4j"):
        built = [
            *q.upsert_nodes(ORGANIZATION, [{"id": marker}], dialect),
            *q.upsert_rels(ENGAGES, [{"src": marker, "dst": marker, "id": marker}], dialect),
            q.read_organization(marker, dialect),
            q.delete_engagement(marker, marker, dialect),
            q.delete_parent(marker, dialect),
            q.read_meta_value(marker, dialect),
            q.bump_version(marker, 1, dialect),
        ]
        assert all(marker not in b.cypher for b in built)
