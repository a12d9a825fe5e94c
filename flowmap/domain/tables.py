"""The map held compactly for the engine: one small ``Edge`` per engagement, category sets as bitsets.

A million pydantic ``Engagement`` models take ~5 GB and a minute to build; the engine needs a dozen
fields of each. So the engine walks ``Edge`` objects (interned values, category keys as bits of an
int, ~200 bytes each), and a full ``Engagement`` model is built only when someone asks for one (an
API page, an export), from the columns kept beside the edges.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol, TypeVar, cast

from flowmap.domain.categories import taxonomy
from flowmap.domain.mechanisms import RegimeCode
from flowmap.domain.models import (
    DeclaredMechanism,
    Document,
    Engagement,
    FlowMap,
    LegalReference,
    LocationScope,
    Organization,
    Role,
)

FIRST_HOP_ROLES = frozenset({Role.C2P, Role.C2C})
PROCESSOR_ROLES = frozenset({Role.C2P, Role.P2P})  # the importer acts for the client
T = TypeVar("T")
_MODEL_CACHE = 4096  # full Engagement models kept; API pages ask for at most a few hundred


# --- category keys as bits ------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _universe() -> tuple[tuple[str, ...], dict[str, int]]:
    """One bit per fideslang key, in a fixed order, so bitsets mean the same in every map and process."""
    keys = tuple(sorted(taxonomy()))
    return keys, {k: i for i, k in enumerate(keys)}


def category_bits(keys: Iterable[str]) -> int:
    index = _universe()[1]
    bits = 0
    for key in keys:
        bits |= 1 << index[key]
    return bits


# Art. 9/10 categories: the only part of a category set that a verdict depends on.
SPECIAL_BITS = category_bits(k for k, c in taxonomy().items() if c.special)


@lru_cache(maxsize=65536)
def category_keys(bits: int) -> tuple[str, ...]:
    """The keys of a bitset, sorted."""
    keys = _universe()[0]
    out = []
    while bits:
        low = bits & -bits
        out.append(keys[low.bit_length() - 1])
        bits ^= low
    return tuple(sorted(out))


@lru_cache(maxsize=1)
def _lineage_bits() -> tuple[int, ...]:
    """Per key: the bits of the key and all its ancestors (``user.contact.email`` -> user, user.contact, itself)."""
    keys, index = _universe()
    out = []
    for key in keys:
        parts = key.split(".")
        out.append(
            category_bits(".".join(parts[: i + 1]) for i in range(len(parts)) if ".".join(parts[: i + 1]) in index)
        )
    return tuple(out)


def _each(bits: int) -> Iterator[int]:
    while bits:
        low = bits & -bits
        yield low.bit_length() - 1
        bits ^= low


@lru_cache(maxsize=262144)
def narrow_bits(carried: int, onward: int) -> int:
    """Categories that reach the next importer: those both hops carry, at the more specific level.

    ``user.contact`` then ``user.contact.email`` gives ``user.contact.email``; disjoint keys give nothing.
    It distributes over union (``narrow(a | b, o) == narrow(a, o) | narrow(b, o)``), which is what lets the
    engine push only newly arrived categories through a hop and still get the exact union.
    """
    if carried == onward:
        return carried
    lineage = _lineage_bits()
    out = 0
    for i in _each(onward):  # an onward key under (or equal to) a carried one
        if lineage[i] & carried:
            out |= 1 << i
    for i in _each(carried):  # a carried key under an onward one
        if lineage[i] & onward:
            out |= 1 << i
    return out


def narrow(carried: Iterable[str], onward: Iterable[str]) -> frozenset[str]:
    """``narrow_bits`` on keys."""
    return frozenset(category_keys(narrow_bits(category_bits(carried), category_bits(onward))))


class _Dated(Protocol):
    @property
    def valid_from(self) -> date | None: ...
    @property
    def valid_to(self) -> date | None: ...


def is_active(item: _Dated, day: date) -> bool:
    """An engagement (model or edge) in force on ``day``."""
    return (item.valid_from is None or item.valid_from <= day) and (item.valid_to is None or day <= item.valid_to)


# --- edges ----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, eq=False)  # identity hash: the engine keys dicts by edge
class Edge:
    """What the engine needs of one engagement."""

    index: int
    key: str
    exporter: str
    importer: str
    role: Role
    categories: int  # bitset, see category_bits
    countries: tuple[str, ...]
    location_scope: LocationScope
    regime: RegimeCode | None
    mechanisms: tuple[DeclaredMechanism, ...]
    valid_from: date | None
    valid_to: date | None
    tia_ref: str | None
    documents: tuple[str, ...]  # the documents its evidence cites


def same_reach(a: Edge, b: Edge) -> bool:
    """Whether two versions of an engagement carry data alike: every walk through one goes through the other, to
    the same destinations. Then an edit (a TIA, a mechanism, evidence) changes only what the verdicts read."""
    return (
        a.exporter == b.exporter
        and a.importer == b.importer
        and a.role is b.role
        and a.categories == b.categories
        and a.regime == b.regime
        and a.valid_from == b.valid_from
        and a.valid_to == b.valid_to
        and a.countries == b.countries
        and a.location_scope is b.location_scope
    )


class _Interner:
    """Equal values share one object: a million engagements have a few hundred distinct country lists."""

    def __init__(self) -> None:
        self._seen: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        return self._seen.setdefault(value, value)


def _edge_of(index: int, e: Engagement, intern: _Interner) -> Edge:
    return Edge(
        index=index,
        key=e.key,
        exporter=intern(e.exporter),
        importer=intern(e.importer),
        role=e.role,
        categories=category_bits(e.categories),
        countries=intern(tuple(e.countries)),
        location_scope=e.location_scope,
        regime=e.regime,
        mechanisms=tuple(e.mechanisms),
        valid_from=e.valid_from,
        valid_to=e.valid_to,
        tia_ref=e.tia_ref,
        documents=intern(tuple(dict.fromkeys(ev.document for ev in e.evidence))),
    )


# --- the map --------------------------------------------------------------------------------------------


class MapTables:
    """An immutable, indexed map: organisations and documents as models, engagements as ``Edge``s."""

    def __init__(
        self,
        organizations: Sequence[Organization],
        documents: Sequence[Document],
        legal_references: Sequence[LegalReference],
        edges: list[Edge],
        details: Callable[[Edge], Engagement],
    ) -> None:
        self.organizations: dict[str, Organization] = {o.id: o for o in organizations}
        self.documents: dict[str, Document] = {d.id: d for d in documents}
        self.legal_references = list(legal_references)
        self.edges = edges
        self.edge_by_key: dict[str, Edge] = {e.key: e for e in edges}
        outgoing: dict[str, list[Edge]] = defaultdict(list)
        incoming: dict[str, list[Edge]] = defaultdict(list)
        for e in edges:
            outgoing[e.exporter].append(e)
            incoming[e.importer].append(e)
        self.outgoing: dict[str, list[Edge]] = dict(outgoing)
        self.incoming: dict[str, list[Edge]] = dict(incoming)
        # what the walk follows: a client's first hops, and each importer's onward (P2P) hops
        self.first_hops: dict[str, list[Edge]] = {}
        self.onward: dict[str, list[Edge]] = {}
        for o in outgoing:
            self._index_walk(o)
        self._fresh_caches(details)

    def _index_walk(self, exporter: str) -> None:
        """The walk's two indexes for one exporter, from its outgoing engagements."""
        out = self.outgoing.get(exporter, ())
        for index, roles in ((self.first_hops, FIRST_HOP_ROLES), (self.onward, {Role.P2P})):
            found = [e for e in out if e.role in roles]
            if found:
                index[exporter] = found
            else:
                index.pop(exporter, None)

    def _fresh_caches(self, details: Callable[[Edge], Engagement]) -> None:
        self._memo: list[tuple[object, object, Any]] = []
        self._tallies: dict[str, tuple[Callable[[Edge], Iterable[Any]], Counter[Any]]] = {}
        self._details = details
        self._models: OrderedDict[int, Engagement] = OrderedDict()
        self._days: OrderedDict[date, DayView] = OrderedDict()

    @classmethod
    def from_map(cls, flow_map: FlowMap) -> MapTables:
        intern = _Interner()
        models = list(flow_map.engagements)
        edges = [_edge_of(i, e, intern) for i, e in enumerate(models)]
        return cls(
            flow_map.organizations, flow_map.documents, flow_map.legal_references, edges, lambda e: models[e.index]
        )

    @classmethod
    def from_columns(
        cls,
        organizations: Sequence[Organization],
        documents: Sequence[Document],
        legal_references: Sequence[LegalReference],
        columns: dict[str, list[Any]],
        to_model: Callable[[dict[str, Any]], Engagement],
    ) -> MapTables:
        """From the store's engagement columns (``flowmap.store.queries.ENGAGEMENT_COLUMNS``), trusted: every
        row passed the model's validation on its way in. ``to_model`` turns one row back into a model."""
        intern = _Interner()
        mechanisms: dict[str | None, tuple[DeclaredMechanism, ...]] = {}
        bits: dict[str | None, int] = {}
        countries: dict[str | None, tuple[str, ...]] = {}
        cited: dict[str | None, tuple[str, ...]] = {}
        c = columns
        edges = []
        for i in range(len(c["id"])):
            m_raw, cat_raw, ctry_raw = c["mechanisms"][i], c["categories"][i], c["countries"][i]
            if m_raw not in mechanisms:
                mechanisms[m_raw] = tuple(DeclaredMechanism.model_validate(m) for m in json.loads(m_raw or "[]"))
            if cat_raw not in bits:
                bits[cat_raw] = category_bits(k for k in (cat_raw or "").split("|") if k)
            ev_raw = c["evidence"][i]
            if ev_raw not in cited:
                cited[ev_raw] = tuple(dict.fromkeys(ev["document"] for ev in json.loads(ev_raw or "[]")))
            if ctry_raw not in countries:
                countries[ctry_raw] = tuple(k for k in (ctry_raw or "").split("|") if k)
            edges.append(
                Edge(
                    index=i,
                    key=c["id"][i],
                    exporter=intern(c["exporter"][i]),
                    importer=intern(c["importer"][i]),
                    role=Role(c["role"][i]),
                    categories=bits[cat_raw],
                    countries=countries[ctry_raw],
                    location_scope=LocationScope(c["location_scope"][i]),
                    regime=RegimeCode(c["regime"][i]) if c["regime"][i] else None,
                    mechanisms=mechanisms[m_raw],
                    valid_from=c["valid_from"][i],
                    valid_to=c["valid_to"][i],
                    tia_ref=c["tia_ref"][i],
                    documents=cited[ev_raw],
                )
            )
        names = list(c)

        def details(e: Edge) -> Engagement:
            return to_model({name: c[name][e.index] for name in names})

        return cls(organizations, documents, legal_references, edges, details)

    def _copy(self, details: Callable[[Edge], Engagement], exporters: frozenset[str] = frozenset()) -> MapTables:
        """A shallow copy sharing every index (the caller replaces what changes) with caches of its own; its day
        views start from this map's, but for what ``exporters`` (whose engagements change) send onward."""
        copy = object.__new__(MapTables)
        copy.__dict__.update(self.__dict__)
        copy._fresh_caches(details)
        for day, view in self._days.items():
            copy._days[day] = view.carried_to(copy, exporters)
        return copy

    def with_engagement(self, engagement: Engagement, details: Callable[[Edge], Engagement]) -> MapTables:
        """This map with one engagement created or replaced (same key): the indexes are patched, not rebuilt
        (milliseconds instead of ~80 ms at 110k engagements). Every list stays in key order, the order of a read
        from the store, so answers list the edge where a reload would; ``details`` finds the new map's models."""
        old = self.edge_by_key.get(engagement.key)
        edge = _edge_of(old.index if old is not None else len(self.edges), engagement, _Interner())
        new = self._copy(details, frozenset({edge.exporter, *([old.exporter] if old is not None else [])}))
        edges = list(self.edges)
        if old is not None:
            edges.remove(old)
        edges.insert(bisect.bisect_left(edges, edge.key, key=lambda e: e.key), edge)
        new.edges = edges
        new.edge_by_key = {**self.edge_by_key, edge.key: edge}
        new.outgoing, new.incoming = dict(self.outgoing), dict(self.incoming)
        new.first_hops, new.onward = dict(self.first_hops), dict(self.onward)
        for index, end in ((new.outgoing, "exporter"), (new.incoming, "importer")):
            if old is not None:
                left = [e for e in index[getattr(old, end)] if e is not old]
                if left:
                    index[getattr(old, end)] = left
                else:  # an organisation left without engagements drops out, as on a fresh read
                    del index[getattr(old, end)]
            listed = list(index.get(getattr(edge, end), ()))
            listed.insert(bisect.bisect_left(listed, edge.key, key=lambda e: e.key), edge)
            index[getattr(edge, end)] = listed
        for exporter in {edge.exporter, *([old.exporter] if old is not None else [])}:
            new._index_walk(exporter)
        for name, (of_edge, counts) in self._tallies.items():
            patched = counts.copy()
            if old is not None:
                patched.subtract(of_edge(old))
            patched.update(of_edge(edge))
            new._tallies[name] = (of_edge, +patched)  # + drops what no engagement gives any more
        return new

    def with_organization(
        self, organization: Organization, documents: Sequence[Document], details: Callable[[Edge], Engagement]
    ) -> MapTables:
        """This map with one organisation (and documents) created or replaced; the engagements are shared."""
        new = self._copy(details)
        new.organizations = {**self.organizations, organization.id: organization}
        new.documents = {**self.documents, **{d.id: d for d in documents}}
        new._tallies = dict(self._tallies)  # the same engagements
        return new

    def overlay(
        self,
        organizations: Sequence[Organization],
        engagements: Sequence[Engagement],
        documents: Sequence[Document],
        legal_references: Sequence[LegalReference] = (),
    ) -> MapTables:
        """This map plus a candidate's facts (the vendor check), without touching this one."""
        intern = _Interner()
        extra = list(engagements)
        base = len(self.edges)
        edges = [*self.edges, *(_edge_of(base + i, e, intern) for i, e in enumerate(extra))]
        known = self.organizations
        return MapTables(
            [*known.values(), *(o for o in organizations if o.id not in known)],
            [*self.documents.values(), *documents],
            [*self.legal_references, *legal_references],
            edges,
            lambda e: extra[e.index - base] if e.index >= base else self._details(e),
        )

    def engagement(self, key: str) -> Engagement | None:
        edge = self.edge_by_key.get(key)
        return None if edge is None else self.model(edge)

    def model(self, edge: Edge) -> Engagement:
        """The full model of one engagement, built on first use and kept in a small LRU."""
        found = self._models.get(edge.index)
        if found is None:
            found = self._models[edge.index] = self._details(edge)
            while len(self._models) > _MODEL_CACHE:
                self._models.popitem(last=False)
        else:
            self._models.move_to_end(edge.index)
        return found

    def to_map(self) -> FlowMap:
        """Everything back as models: for exports and small maps, not for a million engagements."""
        return FlowMap(
            legal_references=self.legal_references,
            documents=list(self.documents.values()),
            organizations=list(self.organizations.values()),
            engagements=[self._details(e) for e in self.edges],
        )

    def memo(self, key: object, law: object, compute: Callable[[], T]) -> T:
        """A value derived from this (immutable) map, ``key`` and a knowledge base (held by identity: a
        what-if's modified copy must not hit the original's entry); the last few used are kept."""
        for i, (k, kb, value) in enumerate(self._memo):
            if k == key and kb is law:
                if i:
                    self._memo = [self._memo[i], *self._memo[:i], *self._memo[i + 1 :]]
                return cast(T, value)
        value = compute()
        self._memo = [(key, law, value), *self._memo[:7]]
        return value

    def tally(self, name: str, of_edge: Callable[[Edge], Iterable[T]]) -> Counter[T]:
        """How many engagements give each value of ``of_edge`` (a pure function of the edge; ``name`` says which):
        counted once per map, and patched rather than recounted on a map derived by ``with_engagement``."""
        found = self._tallies.get(name)
        if found is None:
            found = self._tallies[name] = (of_edge, Counter(v for e in self.edges for v in of_edge(e)))
        return cast("Counter[T]", found[1])

    def on(self, day: date) -> DayView:
        """The engagements active on ``day``, indexed for the walk; the last few days are kept."""
        view = self._days.get(day)
        if view is None:
            view = self._days[day] = DayView(self, day)
            while len(self._days) > 4:
                self._days.popitem(last=False)
        return view


class DayView:
    """The map on one day: which engagements are in force is checked as the walk meets them, so a new
    date costs nothing up front (the API asks for any date)."""

    def __init__(self, tables: MapTables, day: date) -> None:
        self.tables = tables
        self.day = day
        self._clients: list[str] | None = None
        self._onward: dict[str, tuple[Edge, ...]] = {}

    def first_hops(self, client: str) -> list[Edge]:
        return [e for e in self.tables.first_hops.get(client, ()) if is_active(e, self.day)]

    def onward(self, importer: str) -> tuple[Edge, ...]:
        """Filtered once per importer and day: a hub's onward engagements are walked for thousands of clients."""
        found = self._onward.get(importer)
        if found is None:
            day = self.day
            found = self._onward[importer] = tuple(
                e
                for e in self.tables.onward.get(importer, ())
                if (e.valid_from is None or e.valid_from <= day) and (e.valid_to is None or day <= e.valid_to)
            )
        return found

    def pruned(self, only: frozenset[Edge]) -> PrunedView:
        return PrunedView(self, only)

    def carried_to(self, tables: MapTables, exporters: frozenset[str]) -> DayView:
        """This day on a map derived from this one where only ``exporters``' engagements changed: what was
        filtered of everyone else's carries over (an edit then costs its clients no re-filtering of the hubs)."""
        view = DayView(tables, self.day)
        view._onward = {k: v for k, v in self._onward.items() if k not in exporters}
        view._clients = self._clients if not exporters else None
        return view

    def clients(self) -> list[str]:
        """Organisations acting as controller on the day: they send data as C2P or C2C."""
        if self._clients is None:
            self._clients = sorted(
                o for o, es in self.tables.first_hops.items() if any(is_active(e, self.day) for e in es)
            )
        return self._clients


class PrunedView(DayView):
    """The day kept to some engagements (a what-if's, those that can lead to what it changes): filtered once
    per organisation, not once per client that walks past it."""

    def __init__(self, view: DayView, only: frozenset[Edge]) -> None:
        super().__init__(view.tables, view.day)
        self.full, self.only = view, only

    def first_hops(self, client: str) -> list[Edge]:
        return [e for e in self.full.first_hops(client) if e in self.only]

    def onward(self, importer: str) -> tuple[Edge, ...]:
        found = self._onward.get(importer)
        if found is None:
            found = self._onward[importer] = tuple(e for e in self.full.onward(importer) if e in self.only)
        return found
