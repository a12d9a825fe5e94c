"""Query builders: each returns a parametrised ``Query`` for a dialect. Dialect differences live here only.

Nothing from user input is ever formatted into Cypher text: labels and property names come from
the table declarations in ``schema``, values travel as parameters.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flowmap.store.schema import (
    AUDIT_ENTRY,
    CITES,
    DOCUMENT,
    ENGAGES,
    ORGANIZATION,
    PART_OF,
    PUBLISHED,
    Dialect,
    NodeTable,
    RelTable,
)

# Big enough to amortise a round-trip, small enough to bound LadybugDB's per-statement memory.
BATCH_SIZE = 1000


@dataclass(frozen=True)
class Query:
    cypher: str
    params: Mapping[str, Any] = field(default_factory=dict)


Row = dict[str, Any]
Columns = dict[str, list[Any]]  # a table as columns, each the same length


def _value(expr: str, ty: str, dialect: Dialect) -> str:
    """A typed parameter value. LadybugDB needs casts (an all-NULL column has no type); Neo4j needs date()."""
    if dialect == "ladybug":
        return f"CAST({expr} AS {ty})"
    return f"date({expr})" if ty == "DATE" else expr


def _batches(rows: Sequence[Row]) -> Iterator[Sequence[Row]]:
    for start in range(0, len(rows), BATCH_SIZE):
        yield rows[start : start + BATCH_SIZE]


def upsert_nodes(table: NodeTable, rows: Sequence[Row], dialect: Dialect) -> list[Query]:
    sets = ", ".join(f"n.{p} = {_value(f'r.{p}', ty, dialect)}" for p, ty in table.props if p != table.key)
    cypher = f"UNWIND $rows AS r MERGE (n:{table.name} {{{table.key}: r.{table.key}}})"
    if sets:
        cypher += f" SET {sets}"
    return [Query(cypher, {"rows": list(batch)}) for batch in _batches(rows)]


def upsert_rels(rel: RelTable, rows: Sequence[Row], dialect: Dialect) -> list[Query]:
    """Rows carry ``src``, ``dst`` and the rel's props. Two MATCH clauses: a comma-joined one is ~100x slower."""
    sets = ", ".join(f"e.{p} = {_value(f'r.{p}', ty, dialect)}" for p, ty in rel.props if p != "id")
    cypher = (
        f"UNWIND $rows AS r MATCH (a:{rel.src.name} {{{rel.src.key}: r.src}}) "
        f"MATCH (b:{rel.dst.name} {{{rel.dst.key}: r.dst}}) "
        f"MERGE (a)-[e:{rel.name} {{id: r.id}}]->(b)"
    )
    if sets:
        cypher += f" SET {sets}"
    return [Query(cypher, {"rows": list(batch)}) for batch in _batches(rows)]


def delete_all(table: NodeTable, dialect: Dialect) -> Query:
    return Query(f"MATCH (n:{table.name}) DETACH DELETE n")


def delete_rels(rel: RelTable, dialect: Dialect) -> Query:
    return Query(f"MATCH ()-[e:{rel.name}]->() DELETE e")


def count_nodes(table: NodeTable, dialect: Dialect) -> Query:
    return Query(f"MATCH (n:{table.name}) RETURN count(n) AS c")


def count_rels(rel: RelTable, dialect: Dialect) -> Query:
    return Query(f"MATCH ()-[e:{rel.name}]->() RETURN count(e) AS c")


def _returns(alias: str, table: NodeTable | RelTable) -> str:
    return ", ".join(f"{alias}.{p} AS {p}" for p in table.prop_names)


def read_nodes(table: NodeTable, dialect: Dialect) -> Query:
    return Query(f"MATCH (n:{table.name}) RETURN {_returns('n', table)} ORDER BY n.{table.key}")


def read_organizations(dialect: Dialect) -> Query:
    return Query(
        f"MATCH (n:{ORGANIZATION.name}) OPTIONAL MATCH (n)-[:{PART_OF.name}]->(p:{ORGANIZATION.name}) "
        f"RETURN {_returns('n', ORGANIZATION)}, p.id AS parent ORDER BY n.id"
    )


def read_organization(org_id: str, dialect: Dialect) -> Query:
    return Query(
        f"MATCH (n:{ORGANIZATION.name} {{id: $id}}) OPTIONAL MATCH (n)-[:{PART_OF.name}]->(p:{ORGANIZATION.name}) "
        f"RETURN {_returns('n', ORGANIZATION)}, p.id AS parent",
        {"id": org_id},
    )


def read_documents(dialect: Dialect) -> Query:
    return Query(
        f"MATCH (n:{DOCUMENT.name}) OPTIONAL MATCH (o:{ORGANIZATION.name})-[:{PUBLISHED.name}]->(n) "
        f"RETURN {_returns('n', DOCUMENT)}, o.id AS publisher ORDER BY n.id"
    )


def read_citations(dialect: Dialect) -> Query:
    return Query(
        f"MATCH (d:{DOCUMENT.name})-[e:{CITES.name}]->(r) "
        f"RETURN d.id AS document, r.id AS ref, e.ord AS ord, e.section AS section, e.quote AS quote "
        f"ORDER BY document, ord"
    )


# The columns of ``read_engagements``, as ``MapTables.from_columns`` reads them.
ENGAGEMENT_COLUMNS = ("exporter", "importer", *ENGAGES.prop_names)


def read_engagements(dialect: Dialect) -> Query:
    return Query(
        f"MATCH (a:{ORGANIZATION.name})-[e:{ENGAGES.name}]->(b:{ORGANIZATION.name}) "
        f"RETURN a.id AS exporter, b.id AS importer, {_returns('e', ENGAGES)}"  # sorted by the reader
    )


def read_rels(rel: RelTable, dialect: Dialect) -> Query:
    """Every relationship of ``rel`` with its ends' keys as ``src`` and ``dst`` (for exports; the reader sorts)."""
    return Query(
        f"MATCH (a:{rel.src.name})-[e:{rel.name}]->(b:{rel.dst.name}) "
        f"RETURN a.{rel.src.key} AS src, b.{rel.dst.key} AS dst, {_returns('e', rel)}"
    )


def read_meta(dialect: Dialect) -> Query:
    return Query("MATCH (m:FlowmapMeta) RETURN m.key AS key, m.value AS value")


def read_meta_value(key: str, dialect: Dialect) -> Query:
    return Query("MATCH (m:FlowmapMeta {key: $key}) RETURN m.value AS value", {"key": key})


def delete_engagement(exporter: str, engagement_id: str, dialect: Dialect) -> Query:
    """Anchored on the exporter's primary key, so it scans one adjacency list, not every edge."""
    return Query(
        f"MATCH (a:{ORGANIZATION.name} {{id: $exporter}})-[e:{ENGAGES.name}]->() WHERE e.id = $id DELETE e",
        {"exporter": exporter, "id": engagement_id},
    )


def delete_parent(org_id: str, dialect: Dialect) -> Query:
    return Query(f"MATCH (a:{ORGANIZATION.name} {{id: $id}})-[e:{PART_OF.name}]->() DELETE e", {"id": org_id})


def read_audit(skip: int, limit: int, dialect: Dialect) -> Query:
    return Query(
        f"MATCH (n:{AUDIT_ENTRY.name}) RETURN {_returns('n', AUDIT_ENTRY)} "
        "ORDER BY n.revision DESC, n.id SKIP $skip LIMIT $limit",
        {"skip": skip, "limit": limit},
    )


# Optimistic versions of single edits live in FlowmapMeta under this prefix and the engagement's key: counters of
# this store's bookkeeping, not columns of the map (the bulk files and the engine never see them).
VERSION_PREFIX = "version:engagement:"


def _counter(dialect: Dialect, condition: str) -> str:
    """MERGE a FlowmapMeta counter and move it on by one when ``condition`` (on ``current``) holds, in one statement;
    returns the value it had. In Neo4j the ``_lock`` write takes the node's write lock *before* the read, so two
    transactions cannot both read the same value and both write (read-committed would lose an update)."""
    lock = " SET m._lock = true" if dialect == "neo4j" else ""
    unlock = " REMOVE m._lock" if dialect == "neo4j" else ""
    as_int = "toInteger(m.value)" if dialect == "neo4j" else "CAST(m.value AS INT64)"
    next_value = "toString(current + 1)" if dialect == "neo4j" else "CAST(current + 1 AS STRING)"
    return (
        f"MERGE (m:FlowmapMeta {{key: $key}}) ON CREATE SET m.value = '0'{lock} "
        f"WITH m, {as_int} AS current "
        f"SET m.value = CASE WHEN {condition} THEN {next_value} ELSE m.value END{unlock} "
        "RETURN current"
    )


def bump_meta_counter(key: str, dialect: Dialect) -> Query:
    """The revision's next value, taken inside the commit's own transaction (one writer at a time per counter)."""
    return Query(_counter(dialect, "true"), {"key": key})


def bump_version(engagement_id: str, expected: int | None, dialect: Dialect) -> Query:
    """Move an engagement's version on only if it is still ``expected`` (None: whatever it is); returns the version
    it had, so the caller sees a conflict and rolls the whole transaction back."""
    expected_value = "CAST($expected AS INT64)" if dialect == "ladybug" else "$expected"
    return Query(
        _counter(dialect, f"{expected_value} IS NULL OR current = {expected_value}"),
        {"key": VERSION_PREFIX + engagement_id, "expected": expected},
    )


def read_versions(dialect: Dialect) -> Query:
    return Query(
        "MATCH (m:FlowmapMeta) WHERE m.key STARTS WITH $prefix RETURN m.key AS key, m.value AS value",
        {"prefix": VERSION_PREFIX},
    )
