"""The GraphQL schema (Strawberry). Issue 4 grows this into the full API; this is its foundation."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.fastapi import BaseContext
from strawberry.types import Info

from flowmap import NOT_LEGAL_ADVICE, __version__
from flowmap.domain import models
from flowmap.store import GraphStore


class Context(BaseContext):
    def __init__(self, store: GraphStore) -> None:
        super().__init__()
        self.store = store


@strawberry.type
class Count:
    name: str
    count: int


@strawberry.type
class Stats:
    store: str
    nodes: list[Count]
    relationships: list[Count]


@strawberry.type
class Evidence:
    document: str
    section: str | None
    quote: str


@strawberry.type
class Organization:
    id: strawberry.ID
    name: str
    legal_name: str | None
    aliases: list[str]
    country: str | None
    unnamed: bool
    recipient_class: str | None
    fictional: bool
    evidence: list[Evidence]

    @classmethod
    def of(cls, org: models.Organization) -> Organization:
        return cls(
            id=strawberry.ID(org.id),
            name=org.name,
            legal_name=org.legal_name,
            aliases=list(org.aliases),
            country=org.country,
            unnamed=org.unnamed,
            recipient_class=org.recipient_class,
            fictional=org.fictional,
            evidence=[Evidence(document=e.document, section=e.section, quote=e.quote) for e in org.evidence],
        )


@strawberry.type
class Query:
    @strawberry.field(description="flowmap's version.")
    def version(self) -> str:
        return __version__

    @strawberry.field(description="Shown with every assessment.")
    def disclaimer(self) -> str:
        return NOT_LEGAL_ADVICE

    @strawberry.field(description="Node and relationship counts of the map.")
    async def stats(self, info: Info[Context, Any]) -> Stats:
        store = info.context.store
        counts = await store.counts()
        return Stats(
            store=store.kind,
            nodes=[Count(name=k, count=v) for k, v in counts.nodes.items()],
            relationships=[Count(name=k, count=v) for k, v in counts.relationships.items()],
        )

    @strawberry.field(description="One organisation by id.")
    async def organization(self, info: Info[Context, Any], id: strawberry.ID) -> Organization | None:
        org = await info.context.store.organization(str(id))
        return Organization.of(org) if org else None


schema = strawberry.Schema(query=Query)


def sdl() -> str:
    """The schema as SDL, exactly as checked in at graphql/schema.graphql."""
    return schema.as_str() + "\n"
