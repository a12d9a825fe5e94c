"""The GraphQL schema: root types, limits and error masking, assembled in one place."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import strawberry
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.types import ExecutionContext
from strawberry.types.base import StrawberryObjectDefinition

from flowmap.api.auth import Permission, Requires
from flowmap.api.errors import MaskUnexpected, should_mask
from flowmap.api.mutations import Mutation
from flowmap.api.queries import Query
from flowmap.settings import Settings
from graphql import GraphQLError, OperationType


class FlowmapSchema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None) -> None:
        """Log only what is masked (our bugs); a caller's bad input is theirs to read, not an operator's alarm."""
        unexpected = [e for e in errors if should_mask(e)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def build_schema(settings: Settings) -> strawberry.Schema:
    """Extensions are passed as classes or factories, so each request gets fresh instances."""
    extensions: list[Callable[[], SchemaExtension]] = [
        partial(MaxTokensLimiter, max_token_count=settings.max_query_tokens),
        partial(QueryDepthLimiter, max_depth=settings.max_query_depth),
        partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),
        MaskUnexpected,
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return FlowmapSchema(query=Query, mutation=Mutation, extensions=extensions)


def root_permissions(schema: strawberry.Schema) -> dict[tuple[OperationType, str], list[Permission]]:
    """What each root field requires, from its permission classes: the HTTP layer checks these before executing."""
    out: dict[tuple[OperationType, str], list[Permission]] = {}
    for op, type_name in ((OperationType.QUERY, "Query"), (OperationType.MUTATION, "Mutation")):
        definition = schema.get_type_by_name(type_name)
        assert isinstance(definition, StrawberryObjectDefinition)
        for f in definition.fields:
            name = schema.config.name_converter.get_graphql_name(f)
            out[(op, name)] = [p.permission for p in f.permission_classes if issubclass(p, Requires)]
    return out


def sdl() -> str:
    """The schema as SDL, exactly as checked in at graphql/schema.graphql."""
    return build_schema(Settings()).as_str() + "\n"
