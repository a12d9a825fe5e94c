"""The whole map's findings on one day, kept from the distinct verdicts its clients reach and patched per edit.

A map's findings are its documents' plus those of every verdict a client's data meets. Thousands of clients meet
the same verdict (one engagement, under one regime, to one destination, with or without special categories, as a
first hop or onward): at 110k engagements 730k transfers come down to 86k verdicts. Counting how many clients meet
each verdict is what lets an edit be patched in: the clients it can touch are walked again on the old map and the
new, and only verdicts that appear, vanish or whose importer changed are judged. Judging the whole map again takes
seconds at that size; a patch takes milliseconds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from flowmap.domain.assess import Engine, destinations
from flowmap.domain.document_rules import map_document_findings
from flowmap.domain.mechanisms import RegimeCode
from flowmap.domain.results import Finding, distinct_findings
from flowmap.domain.tables import SPECIAL_BITS, Edge, MapTables

# What a verdict depends on (see Engine.verdict): regime, destination, engagement, special categories, onward.
VerdictKey = tuple[RegimeCode, str | None, Edge, int, bool]


def reached(engine: Engine, client: str) -> set[VerdictKey]:
    """The verdicts the client's data meets on the engine's day: one per transfer ``Engine.transfers`` lists."""
    keys: set[VerdictKey] = set()
    for regime, walk in engine.walks(client):
        area = engine.areas[regime]
        for edge, categories, depth in walk.arrivals():
            special = categories & SPECIAL_BITS
            for destination in destinations(edge, area):
                keys.add((regime, destination, edge, special, depth > 1))
    return keys


@dataclass(frozen=True)
class FindingsView:
    """The map's findings at one revision, by subject; never changed once made (an edit makes a new one)."""

    by_subject: Mapping[str, frozenset[Finding]]
    documents: tuple[Finding, ...]

    @cached_property
    def all(self) -> tuple[Finding, ...]:
        """Every finding of the map, as ``assess`` lists the whole map's."""
        return distinct_findings([*self.documents, *(f for found in self.by_subject.values() for f in found)])

    def about(self, subjects: Iterable[str]) -> tuple[Finding, ...]:
        """The findings on these subjects (``organization:``, ``engagement:``, ``document:`` ids), in order."""
        wanted = set(subjects)
        found = [f for s in wanted for f in self.by_subject.get(s, ())]
        return distinct_findings([*found, *(f for f in self.documents if f.subject in wanted)])


class MapFindings:
    """The findings of one map on one day, advanced edit by edit. Not thread-safe: one advance at a time; the
    views it hands out are immutable and safe to read anywhere."""

    def __init__(self, engine: Engine, clients: Iterable[str] | None = None) -> None:
        self.engine = engine
        self.reach: Counter[VerdictKey] = Counter()
        self._findings: dict[VerdictKey, tuple[Finding, ...]] = {}  # of every verdict some client meets
        self._by_edge: dict[Edge, set[VerdictKey]] = {}
        self._by_subject: dict[str, set[Finding]] = {}
        self._refs: Counter[Finding] = Counter()  # how many verdicts give each finding
        changed: set[str] = set()
        for client in engine.clients() if clients is None else clients:
            for key in reached(engine, client):
                self.reach[key] += 1
                if self.reach[key] == 1:
                    self._add(key, changed)
        self.view = self._view(changed=None)

    def advance(
        self,
        tables: MapTables,
        affected: Iterable[str],
        changed_organizations: frozenset[str] = frozenset(),
        retermed: tuple[Edge, Edge] | None = None,
    ) -> FindingsView:
        """Moves to ``tables``, a map derived from this one where only ``affected`` clients' walks can differ and
        only ``changed_organizations`` were edited (their incoming verdicts are judged again). ``retermed``: the
        edit changed only what the verdicts read of one engagement (``same_reach``), so no client is walked again:
        its verdicts are judged anew for the same clients."""
        old = self.engine
        new = self.engine = Engine(tables, old.day, old.kb, old.max_depth)
        changed: set[str] = set()
        if retermed is not None:
            was, now = retermed
            for key in list(self._by_edge.get(was, ())):
                count = self.reach.pop(key)
                self._remove(key, changed)
                moved = (key[0], key[1], now, key[3], key[4])
                self.reach[moved] = count
                self._add(moved, changed)
            affected = ()
        for client in affected:
            before, after = reached(old, client), reached(new, client)
            for key in before - after:
                self.reach[key] -= 1
                if not self.reach[key]:
                    del self.reach[key]
                    self._remove(key, changed)
            for key in after - before:
                self.reach[key] += 1
                if self.reach[key] == 1:
                    self._add(key, changed)
        if changed_organizations:
            for key in [k for k in self._findings if k[2].importer in changed_organizations]:
                self._remove(key, changed)
                self._add(key, changed)
        self.view = self._view(changed)
        return self.view

    def _add(self, key: VerdictKey, changed: set[str]) -> None:
        verdict, _ = self.engine.verdict(*key)
        self._findings[key] = verdict.findings
        self._by_edge.setdefault(key[2], set()).add(key)
        for f in verdict.findings:
            self._refs[f] += 1
            if self._refs[f] == 1:
                self._by_subject.setdefault(f.subject, set()).add(f)
                changed.add(f.subject)

    def _remove(self, key: VerdictKey, changed: set[str]) -> None:
        keys = self._by_edge[key[2]]
        keys.remove(key)
        if not keys:
            del self._by_edge[key[2]]
        for f in self._findings.pop(key):
            self._refs[f] -= 1
            if not self._refs[f]:
                del self._refs[f]
                found = self._by_subject[f.subject]
                found.remove(f)
                if not found:
                    del self._by_subject[f.subject]
                changed.add(f.subject)

    def _view(self, changed: set[str] | None) -> FindingsView:
        """The current findings as an immutable view: the subjects ``changed`` since the last view are copied, the
        rest shared with it (None: everything is new)."""
        e = self.engine
        by_subject: dict[str, frozenset[Finding]]
        if changed is None:
            by_subject = {s: frozenset(found) for s, found in self._by_subject.items()}
        else:
            by_subject = {**self.view.by_subject}
            for s in changed:
                if s in self._by_subject:
                    by_subject[s] = frozenset(self._by_subject[s])
                else:
                    by_subject.pop(s, None)
        return FindingsView(by_subject, tuple(map_document_findings(e.tables, e.kb, e.day)))
