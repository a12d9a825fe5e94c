"""The map as a Cypher script that recreates it in any Neo4j (`cypher-shell -f map.cypher`).

A script cannot carry parameters, so every value is a literal, and every string literal is written by one function,
``cypher_string``: single-quoted, with backslash, quote and every control or line-breaking character escaped. Labels
and property names come from the store's table declarations, never from data, and are back-quoted anyway.
The script writes the same labels, properties and relationship types as flowmap's own Neo4j store (nested facts
as JSON text, categories and countries as '|a|b|'), MERGEd on their keys, so running it twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from flowmap.store.graph import GraphStore
from flowmap.store.queries import Columns
from flowmap.store.schema import (
    CITES,
    COUNTRY,
    DOCUMENT,
    ENGAGES,
    LEGAL_REFERENCE,
    ORGANIZATION,
    PART_OF,
    PUBLISHED,
    NodeTable,
    RelTable,
)

BATCH = 500  # rows per UNWIND statement: big enough to be quick, small enough for any server's transaction
NODES = (COUNTRY, ORGANIZATION, DOCUMENT, LEGAL_REFERENCE)
RELS = (PART_OF, PUBLISHED, CITES, ENGAGES)
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def cypher_string(value: str) -> str:
    """``value`` as a Cypher string literal that reads back as exactly ``value``, whatever it holds."""
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def name(identifier: str) -> str:
    """A label, type or property name, back-quoted (they come from the schema, but a quote never hurts)."""
    return "`" + identifier.replace("`", "``") + "`"


def literal(value: Any) -> str:
    """A Python value of the store as a Cypher literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return f"datetime({cypher_string(value.isoformat())})"
    if isinstance(value, date):
        return f"date({cypher_string(value.isoformat())})"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{name(str(k))}: {literal(v)}" for k, v in value.items()) + "}"
    return cypher_string(str(value))


def _rows(columns: Columns, names: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    n = len(columns[names[0]]) if names else 0
    for i in range(n):
        yield {c: columns[c][i] for c in names if columns[c][i] is not None}


def _batches(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def node_statements(table: NodeTable, columns: Columns) -> Iterator[str]:
    rows = list(_rows(columns, table.prop_names))
    for batch in _batches(rows):
        yield (
            f"UNWIND {literal(batch)} AS row MERGE (n:{name(table.name)} {{{name(table.key)}: row.{name(table.key)}}})"
            " SET n += row;"
        )


def rel_statements(table: RelTable, columns: Columns) -> Iterator[str]:
    rows = [
        {"src": columns["src"][i], "dst": columns["dst"][i], "props": props}
        for i, props in enumerate(_rows(columns, table.prop_names))
    ]
    src, dst = table.src, table.dst
    for batch in _batches(rows):
        yield (
            f"UNWIND {literal(batch)} AS row"
            f" MATCH (a:{name(src.name)} {{{name(src.key)}: row.src}}),"
            f" (b:{name(dst.name)} {{{name(dst.key)}: row.dst}})"
            f" MERGE (a)-[r:{name(table.name)} {{id: row.props.id}}]->(b) SET r += row.props;"
        )


def constraints() -> list[str]:
    return [
        f"CREATE CONSTRAINT {t.name.lower()}_{t.key} IF NOT EXISTS FOR (n:{name(t.name)}) "
        f"REQUIRE n.{name(t.key)} IS UNIQUE;"
        for t in NODES
    ]


async def export_cypher(store: GraphStore) -> tuple[str, dict[str, int]]:
    """The script, and the rows it writes per table."""
    lines = [
        "// flowmap map as a Cypher script: cypher-shell -f this-file (idempotent: MERGE on every key).",
        "// One statement per line; nested facts are JSON text, categories and countries '|a|b|' (as stored).",
        *constraints(),
    ]
    counts: dict[str, int] = {}
    for table in (*NODES, *RELS):
        columns = await store.table_columns(table)
        counts[table.name] = len(columns["id" if isinstance(table, RelTable) else table.key])
        if isinstance(table, NodeTable):
            lines += node_statements(table, columns)
        else:
            lines += rel_statements(table, columns)
    return "\n".join(lines) + "\n", counts
