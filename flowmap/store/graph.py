"""Map-level operations on top of an Executor; identical for every backend."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flowmap.domain.categories import taxonomy
from flowmap.domain.countries import all_countries
from flowmap.domain.models import Citation, FlowMap, Organization
from flowmap.errors import StoreIncompatible
from flowmap.store import queries as q
from flowmap.store import rows
from flowmap.store.executor import Executor, Progress
from flowmap.store.schema import (
    CITES,
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
    ddl,
    drop_ddl,
)


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
    def __init__(self, executor: Executor) -> None:
        self.executor = executor
        self.dialect = executor.dialect

    @property
    def kind(self) -> str:
        return self.executor.kind

    async def ensure_schema(self, *, rebuild_incompatible: bool = False) -> None:
        """Create tables/constraints if missing; refuse a store of another schema version unless told to rebuild it."""
        await self.executor.run_schema(ddl(self.dialect))
        meta = {r["key"]: r["value"] for r in await self.executor.read(q.read_meta(self.dialect))}
        found = meta.get("schema_version")
        if found is not None and found != SCHEMA_VERSION:
            if not rebuild_incompatible or self.executor.read_only:
                raise StoreIncompatible(
                    f"The store at {self.executor.location} has schema version {found}; this flowmap expects "
                    f"{SCHEMA_VERSION}. Rebuild it from the seed files with `flowmap seed --reset` "
                    "(this discards what it holds)."
                )
            await self.executor.write([q.delete_all(t, self.dialect) for t in NODE_TABLES])
            await self.executor.run_schema([*drop_ddl(self.dialect), *ddl(self.dialect)])
            found = None
        if found is None and not self.executor.read_only:
            await self.executor.write(
                q.upsert_nodes(META, [{"key": "schema_version", "value": SCHEMA_VERSION}], self.dialect)
            )

    def _map_statements(self, flow_map: FlowMap, reset: bool) -> list[q.Query]:
        d = self.dialect
        statements: list[q.Query] = []
        if reset:
            statements += [q.delete_rels(r, d) for r in REL_TABLES]
            statements += [q.delete_all(t, d) for t in MAP_NODE_TABLES]
        statements += q.upsert_nodes(COUNTRY, [rows.country_row(c) for c in all_countries().values()], d)
        statements += q.upsert_nodes(DATA_CATEGORY, [rows.category_row(c) for c in taxonomy().values()], d)
        statements += q.upsert_nodes(
            LEGAL_REFERENCE, [rows.legal_reference_row(r) for r in flow_map.legal_references], d
        )
        statements += q.upsert_nodes(ORGANIZATION, [rows.organization_row(o) for o in flow_map.organizations], d)
        statements += q.upsert_nodes(DOCUMENT, [rows.document_row(doc) for doc in flow_map.documents], d)
        parents = [
            {"src": o.id, "dst": o.parent, "id": f"{o.id}>{o.parent}"} for o in flow_map.organizations if o.parent
        ]
        statements += q.upsert_rels(PART_OF, parents, d)
        published = [
            {"src": doc.publisher, "dst": doc.id, "id": f"{doc.publisher}>{doc.id}"}
            for doc in flow_map.documents
            if doc.publisher
        ]
        statements += q.upsert_rels(PUBLISHED, published, d)
        statements += q.upsert_rels(CITES, [r for doc in flow_map.documents for r in rows.citation_rows(doc)], d)
        statements += q.upsert_rels(ENGAGES, [rows.engagement_row(e) for e in flow_map.engagements], d)
        return statements

    async def write_map(self, flow_map: FlowMap, *, reset: bool = False, progress: Progress | None = None) -> None:
        """Write a whole validated map in one transaction (upserts; ``reset`` first removes the old map)."""
        await self.executor.write(self._map_statements(flow_map, reset), progress)

    async def counts(self) -> Counts:
        nodes = {}
        for t in NODE_TABLES:
            if t is not META:
                nodes[t.name] = int((await self.executor.read(q.count_nodes(t, self.dialect)))[0]["c"])
        relationships = {
            r.name: int((await self.executor.read(q.count_rels(r, self.dialect)))[0]["c"]) for r in REL_TABLES
        }
        return Counts(nodes, relationships)

    async def organization(self, org_id: str) -> Organization | None:
        found = await self.executor.read(q.read_organization(org_id, self.dialect))
        return rows.organization_from_row(found[0]) if found else None

    async def read_map(self) -> FlowMap:
        """The whole map back as domain models, in a stable order."""
        d = self.dialect
        citations: dict[str, list[Citation]] = defaultdict(list)
        for r in await self.executor.read(q.read_citations(d)):
            citations[r["document"]].append(Citation(ref=r["ref"], section=r["section"], quote=r["quote"]))
        return FlowMap(
            legal_references=[
                rows.legal_reference_from_row(r) for r in await self.executor.read(q.read_nodes(LEGAL_REFERENCE, d))
            ],
            documents=[
                rows.document_from_row(r, citations[r["id"]]) for r in await self.executor.read(q.read_documents(d))
            ],
            organizations=[rows.organization_from_row(r) for r in await self.executor.read(q.read_organizations(d))],
            engagements=[rows.engagement_from_row(r) for r in await self.executor.read(q.read_engagements(d))],
        )

    async def close(self) -> None:
        await self.executor.close()
