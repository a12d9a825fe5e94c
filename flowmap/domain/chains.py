"""Walking a client's processor chains, narrowing the data categories hop by hop.

A client's data goes where the client sends it (C2P, C2C) and then only where a processor sends
it on while working for that client (P2P). A processor's own engagements (its CRM, its website
analytics) carry the processor's data, not the client's, so they do not continue the chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flowmap.domain.models import Engagement, Role

DEFAULT_MAX_DEPTH = 8
FIRST_HOP_ROLES = frozenset({Role.C2P, Role.C2C})
PROCESSOR_ROLES = frozenset({Role.C2P, Role.P2P})  # the importer acts for the client


def is_active(engagement: Engagement, day: date) -> bool:
    return (engagement.valid_from is None or engagement.valid_from <= day) and (
        engagement.valid_to is None or day <= engagement.valid_to
    )


@lru_cache(maxsize=4096)
def _lineage(key: str) -> frozenset[str]:
    """The key and all its ancestors: ``user.contact.email`` -> {user, user.contact, user.contact.email}."""
    parts = key.split(".")
    return frozenset(".".join(parts[: i + 1]) for i in range(len(parts)))


def narrow(carried: Iterable[str], onward: Iterable[str]) -> frozenset[str]:
    """Categories that reach the next importer: those both hops carry, at the more specific level.

    ``user.contact`` then ``user.contact.email`` gives ``user.contact.email``; disjoint keys give nothing.
    """
    a, b = frozenset(carried), frozenset(onward)
    if a == b:
        return a
    return frozenset(x for x in b if not a.isdisjoint(_lineage(x))) | frozenset(
        y for y in a if not b.isdisjoint(_lineage(y))
    )


@dataclass(frozen=True)
class Reach:
    """One path from a client to an importer, with the categories that survive along it."""

    client: str
    hops: tuple[Engagement, ...]
    categories: frozenset[str]

    @property
    def last(self) -> Engagement:
        return self.hops[-1]


class ChainIndex:
    """Outgoing engagements per exporter, active on one day."""

    def __init__(self, engagements: Iterable[Engagement], day: date) -> None:
        self.day = day
        self.outgoing: dict[str, list[Engagement]] = defaultdict(list)
        for e in engagements:
            if is_active(e, day):
                self.outgoing[e.exporter].append(e)

    def clients(self) -> list[str]:
        """Organisations acting as controller: they send data as C2P or C2C."""
        return sorted(o for o, es in self.outgoing.items() if any(e.role in FIRST_HOP_ROLES for e in es))

    def walk(self, client: str, max_depth: int = DEFAULT_MAX_DEPTH) -> Iterator[Reach]:
        """Every path from ``client``, depth first; a path never revisits an organisation."""
        stack: list[Reach] = [
            Reach(client, (e,), frozenset(e.categories))
            for e in reversed(self.outgoing.get(client, []))
            if e.role in FIRST_HOP_ROLES and e.importer != client
        ]
        while stack:
            reach = stack.pop()
            yield reach
            last = reach.last
            if len(reach.hops) >= max_depth or last.role not in PROCESSOR_ROLES:
                continue
            visited = {client, *(h.importer for h in reach.hops)}
            for onward in reversed(self.outgoing.get(last.importer, [])):
                if onward.role is not Role.P2P or onward.importer in visited:
                    continue
                categories = narrow(reach.categories, onward.categories)
                if categories:
                    stack.append(Reach(client, (*reach.hops, onward), categories))
