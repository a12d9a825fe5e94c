"""Where a client's data goes: a dataflow over engagements, not an enumeration of paths.

A client's data goes where the client sends it (C2P, C2C) and then only where a processor sends it
on while working for that client (P2P). A processor's own engagements (its CRM, its website
analytics) carry the processor's data, not the client's, so they do not continue the chain.

Why a dataflow: in a real ecosystem the number of paths explodes (the synthetic L map has 24.7M
client paths, 46k for its busiest client) while the engagements a client reaches stay few (at
most ~12k). So each engagement is reached once per client with the union of the categories that
arrive over every chain (exact, because narrowing distributes over union: only newly arrived
categories are pushed on), the length of its shortest chain, and that chain as the one shown.
Data may pass an organisation twice (a processor that is also a sub-processor further down), but
never flows back into the client itself; ``max_depth`` bounds the chains followed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from flowmap.domain.models import Role
from flowmap.domain.tables import (
    FIRST_HOP_ROLES,
    PROCESSOR_ROLES,
    DayView,
    Edge,
    MapTables,
    is_active,
    narrow,
    narrow_bits,
)

__all__ = ["FIRST_HOP_ROLES", "PROCESSOR_ROLES", "Reach", "Walk", "flow", "is_active", "leading_to", "narrow"]

DEFAULT_MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Reach:
    """The client's data at one engagement: every category arriving over any chain, and the shortest chain."""

    edge: Edge
    categories: int  # bitset
    path: tuple[Edge, ...]  # the shortest chain, client's first hop first

    @property
    def depth(self) -> int:
        return len(self.path)


class Walk:
    """One client's dataflow, run lazily: iterating yields each engagement at its first arrival (by depth,
    then as met), so a yes/no question stops early; ``reaches()`` runs it to the end."""

    def __init__(
        self,
        view: DayView,
        client: str,
        first: Iterable[Edge],
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> None:
        self.view, self.client, self.max_depth = view, client, max_depth
        self.carried: dict[Edge, int] = {}  # everything that arrived at the edge so far
        self.layers: list[dict[Edge, Edge | None]] = []  # per depth: edge -> the edge it arrived from
        self.first_depth: dict[Edge, int] = {}
        self._first = [e for e in first if e.importer != client]
        self._steps = self._run()

    def __iter__(self) -> Iterator[Edge]:
        return self._steps

    def reaches(self, keep: frozenset[Edge] | None = None) -> list[Reach]:
        """Runs the walk to the end; with ``keep``, only the reaches at those engagements are built."""
        layers = self.layers
        return [Reach(e, bits, _chain(layers, e, d)) for e, bits, d in self.arrivals(keep)]

    def arrivals(self, keep: frozenset[Edge] | None = None) -> Iterator[tuple[Edge, int, int]]:
        """(engagement, categories, depth of its shortest chain), in order of first arrival, after running
        the walk to the end: what a count needs, without building a chain per engagement."""
        for _ in self._steps:
            pass
        carried = self.carried
        for e, d in self.first_depth.items():
            if keep is None or e in keep:
                yield e, carried[e], d

    def _run(self) -> Iterator[Edge]:
        client, carried, first_depth, onward = self.client, self.carried, self.first_depth, self.view.onward
        frontier: dict[Edge, int] = {}
        via: dict[Edge, Edge | None] = {}
        for e in self._first:
            frontier[e] = frontier.get(e, 0) | e.categories
            via.setdefault(e, None)
        depth = 1
        while frontier:
            self.layers.append(via)
            ahead: dict[Edge, int] = {}
            ahead_via: dict[Edge, Edge | None] = {}
            for e, bits in frontier.items():
                before = carried.get(e, 0)
                new = bits & ~before
                if not new:
                    continue
                carried[e] = before | new
                if not before:
                    first_depth[e] = depth
                    yield e
                if depth >= self.max_depth or e.role not in PROCESSOR_ROLES:
                    continue
                for o in onward(e.importer):
                    if o.importer == client:
                        continue
                    arriving = narrow_bits(new, o.categories)
                    if arriving:
                        if o in ahead:
                            ahead[o] |= arriving
                        else:
                            ahead[o] = arriving
                            ahead_via[o] = e
            frontier, via = ahead, ahead_via
            depth += 1


def flow(
    view: DayView,
    client: str,
    first: Iterable[Edge],
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> list[Reach]:
    """Every engagement the client's data reaches through ``first`` (some of its first hops), within
    ``max_depth`` hops; in order of first arrival. On a ``PrunedView`` the walk keeps to its engagements (a
    what-if prunes it to the ones that can lead to what it changes)."""
    return Walk(view, client, first, max_depth).reaches()


def _chain(layers: list[dict[Edge, Edge | None]], last: Edge, depth: int) -> tuple[Edge, ...]:
    """Back along the arrivals: the edge an arrival at depth d came from arrived itself at depth d - 1."""
    out = [last]
    edge: Edge | None = layers[depth - 1][last]
    while edge is not None:
        out.append(edge)
        depth -= 1
        edge = layers[depth - 1][edge]
    return tuple(reversed(out))


def leading_to(tables: MapTables, targets: frozenset[Edge], day: date) -> frozenset[Edge]:
    """The targets and every active engagement that a chain to one of them can pass, walked backwards:
    a superset of what any client's walk to a target uses, so a walk on ``view.pruned(...)`` stays exact there."""
    found = set(targets)
    todo = [e for e in targets if e.role is Role.P2P]
    seen: set[str] = set()
    while todo:
        exporter = todo.pop().exporter
        if exporter in seen:
            continue
        seen.add(exporter)
        for e in tables.incoming.get(exporter, ()):
            if e.role in PROCESSOR_ROLES and is_active(e, day) and e not in found:
                found.add(e)
                if e.role is Role.P2P:
                    todo.append(e)
    return frozenset(found)
