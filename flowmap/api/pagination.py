"""Relay-style connections: every list that can grow is paged with ``first``/``after`` and has ``totalCount``.

Cursors are opaque offsets into a stable order. Each resolver reads at one map revision, so a
cursor means the same position until the map changes.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from flowmap.errors import Issue, ValidationFailed

T = TypeVar("T")
S = TypeVar("S")
DEFAULT_PAGE_SIZE = 50
_PREFIX = "flowmap:"


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    total_count: int
    page_info: PageInfo
    edges: list[Edge[T]]

    @strawberry.field(description="The page's nodes, without cursors.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        if text.startswith(_PREFIX) and text[len(_PREFIX) :].isdigit():
            return int(text[len(_PREFIX) :])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValidationFailed([Issue("after", "", f"{cursor[:40]!r} is not a cursor this API issued")])


def window(first: int | None, after: str | None, max_page_size: int) -> tuple[int, int]:
    """(offset, limit) for a page request, refusing sizes over the maximum."""
    limit = DEFAULT_PAGE_SIZE if first is None else first
    if limit < 0 or limit > max_page_size:
        raise ValidationFailed([Issue("first", "", f"first must be between 0 and {max_page_size}, got {limit}")])
    offset = decode_cursor(after) + 1 if after else 0
    return offset, min(limit, max_page_size)


def connection(nodes: Sequence[T], offset: int, total: int) -> Connection[T]:
    edges = [Edge(cursor=encode_cursor(offset + i), node=n) for i, n in enumerate(nodes)]
    return Connection(
        total_count=total,
        page_info=PageInfo(
            has_next_page=offset + len(nodes) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        edges=edges,
    )


def paginate(
    items: Sequence[S], first: int | None, after: str | None, max_page_size: int, wrap: Callable[[S], T]
) -> Connection[T]:
    """One page of an in-memory sequence; only the page's items are wrapped into API objects."""
    offset, limit = window(first, after, max_page_size)
    return connection([wrap(i) for i in items[offset : offset + limit]], offset, len(items))
