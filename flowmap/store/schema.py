"""The graph's tables, declared once; each dialect's DDL is generated from these declarations.

Nested facts (evidence, certifications, retention...) are JSON strings: Cypher retrieves, Python
judges, and LadybugDB checkpoints badly with list columns on big rel tables. Engagement
categories and countries are ``'|a|b|'`` strings for the same reason (they stay matchable with
``CONTAINS '|US|'``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Dialect = Literal["ladybug", "neo4j"]

# Bump when a table or property changes meaning; stores written by another version are refused.
SCHEMA_VERSION = "3"

Prop = tuple[str, str]  # (name, LadybugDB type)


@dataclass(frozen=True)
class NodeTable:
    name: str
    key: str
    props: tuple[Prop, ...]  # including the key

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p for p, _ in self.props)


@dataclass(frozen=True)
class RelTable:
    name: str
    src: NodeTable
    dst: NodeTable
    props: tuple[Prop, ...]  # every rel has an "id" so MERGE is idempotent

    @property
    def prop_names(self) -> tuple[str, ...]:
        return tuple(p for p, _ in self.props)


S, B, D, INT = "STRING", "BOOLEAN", "DATE", "INT64"

ORGANIZATION = NodeTable(
    "Organization",
    "id",
    (
        ("id", S), ("name", S), ("legal_name", S), ("aliases", "STRING[]"), ("country", S),
        ("address", S), ("website", S), ("unnamed", B), ("recipient_class", S), ("description", S),
        ("fictional", B), ("registrations", S), ("certifications", S), ("retention", S),
        ("collects", S), ("transfer_statements", S), ("evidence", S),
    ),
)  # fmt: skip
COUNTRY = NodeTable("Country", "code", (("code", S), ("name", S), ("alpha3", S)))
DATA_CATEGORY = NodeTable(
    "DataCategory",
    "key",
    (("key", S), ("name", S), ("description", S), ("parent_key", S), ("special", S), ("deprecated", B)),
)
DOCUMENT = NodeTable(
    "Document",
    "id",
    (
        ("id", S), ("title", S), ("url", S), ("kind", S), ("language", S), ("effective_date", D),
        ("retrieved_on", D), ("source_file", S), ("sha256", S), ("fictional", B),
    ),
)  # fmt: skip
LEGAL_REFERENCE = NodeTable(
    "LegalReference",
    "id",
    (("id", S), ("name", S), ("kind", S), ("jurisdiction", S), ("reference", S), ("aliases", "STRING[]")),
)
META = NodeTable("FlowmapMeta", "key", (("key", S), ("value", S)))
# One entry per committed change, numbered by the map revision it produced; never removed by a reset.
AUDIT_ENTRY = NodeTable(
    "AuditEntry",
    "id",
    (
        ("id", S), ("revision", INT), ("at", S), ("actor", S), ("role", S), ("operation", S), ("target", S),
        ("before", S), ("after", S),
    ),
)  # fmt: skip

ENGAGES = RelTable(
    "ENGAGES",
    ORGANIZATION,
    ORGANIZATION,
    (
        ("id", S), ("role", S), ("service", S), ("purpose", S), ("categories", S), ("countries", S),
        ("location_scope", S), ("regime", S), ("mechanisms", S), ("valid_from", D), ("valid_to", D), ("tia_ref", S),
        ("fictional", B), ("evidence", S),
    ),
)  # fmt: skip
PUBLISHED = RelTable("PUBLISHED", ORGANIZATION, DOCUMENT, (("id", S),))
CITES = RelTable("CITES", DOCUMENT, LEGAL_REFERENCE, (("id", S), ("ord", INT), ("section", S), ("quote", S)))
PART_OF = RelTable("PART_OF", ORGANIZATION, ORGANIZATION, (("id", S),))

NODE_TABLES = (ORGANIZATION, COUNTRY, DATA_CATEGORY, DOCUMENT, LEGAL_REFERENCE, META, AUDIT_ENTRY)
REL_TABLES = (ENGAGES, PUBLISHED, CITES, PART_OF)
# What a reset removes: the map itself, not the reference data (countries, taxonomy) or meta.
MAP_NODE_TABLES = (ORGANIZATION, DOCUMENT, LEGAL_REFERENCE)
REFERENCE_NODE_TABLES = (COUNTRY, DATA_CATEGORY)
# What `stats` counts: the map and its reference data, not bookkeeping.
COUNTED_NODE_TABLES = (ORGANIZATION, COUNTRY, DATA_CATEGORY, DOCUMENT, LEGAL_REFERENCE)


def drop_ddl(dialect: Dialect) -> list[str]:
    """Statements that remove every flowmap table (LadybugDB). Neo4j is schemaless: its data is deleted instead."""
    if dialect == "ladybug":
        return [f"DROP TABLE IF EXISTS {t.name}" for t in (*REL_TABLES, *NODE_TABLES)]
    return []


def ddl(dialect: Dialect) -> list[str]:
    """Idempotent schema statements for a dialect."""
    if dialect == "ladybug":
        nodes = [
            f"CREATE NODE TABLE IF NOT EXISTS {t.name}("
            + ", ".join(f"{p} {ty}" for p, ty in t.props)
            + f", PRIMARY KEY({t.key}))"
            for t in NODE_TABLES
        ]
        rels = [
            f"CREATE REL TABLE IF NOT EXISTS {r.name}(FROM {r.src.name} TO {r.dst.name}, "
            + ", ".join(f"{p} {ty}" for p, ty in r.props)
            + ")"
            for r in REL_TABLES
        ]
        return nodes + rels
    constraints = [
        f"CREATE CONSTRAINT {t.name.lower()}_{t.key} IF NOT EXISTS FOR (n:{t.name}) REQUIRE n.{t.key} IS UNIQUE"
        for t in NODE_TABLES
    ]
    indexes = [
        f"CREATE INDEX {r.name.lower()}_id IF NOT EXISTS FOR ()-[e:{r.name}]-() ON (e.id)" for r in REL_TABLES
    ] + [
        "CREATE INDEX organization_country IF NOT EXISTS FOR (n:Organization) ON (n.country)",
        "CREATE INDEX organization_name IF NOT EXISTS FOR (n:Organization) ON (n.name)",
    ]
    return constraints + indexes
