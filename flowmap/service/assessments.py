"""Assessments and what-ifs of a snapshot, computed off the event loop and cached per (revision, date, scope).

The engine is a pure function of (map, date, knowledge base), so a cached result stays right until
the map's revision moves; the knowledge base is fixed for the life of the process.

Across this process's own edits most answers stay right too: a derived snapshot names the clients the edit can
touch (``MapSnapshot.affected``), and every other client's cached assessment carries over to the new revision.
The whole map's assessment is composed of its clients' (as ``assess`` itself builds it), so after an edit only
the touched clients are judged again: at 110k engagements that is milliseconds instead of ~20 s per write.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flowmap.domain.assess import assess
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.results import Assessment, Finding
from flowmap.domain.scenario import Revocation, ScenarioResult, Withdrawal, run_scenario
from flowmap.service.snapshot import MapSnapshot, upstream_clients

CACHE_SIZE = 8192  # one client's assessments (every client of a 110k-engagement map on a day or two)
WHOLE_CACHE_SIZE = 4  # whole-map assessments, composed of the clients' ones


@dataclass(frozen=True)
class AssessmentKey:
    day: date
    client: str | None = None  # None: every client in the map


class Assessor:
    def __init__(self, kb: KnowledgeBase, max_depth: int) -> None:
        self.kb = kb
        self.max_depth = max_depth
        self._cache: OrderedDict[tuple[int, AssessmentKey], asyncio.Future[Assessment]] = OrderedDict()
        self._whole: OrderedDict[tuple[int, AssessmentKey], asyncio.Future[Assessment]] = OrderedDict()
        self._latest: int | None = None  # the newest revision asked about
        self.computed = 0
        self.carried = 0  # assessments carried over an edit that could not touch them

    def _compute(self, snapshot: MapSnapshot, key: AssessmentKey) -> Assessment:
        self.computed += 1
        return assess(
            snapshot.tables, key.day, self.kb, clients=[key.client] if key.client else None, max_depth=self.max_depth
        )

    def _carry_over(self, snapshot: MapSnapshot) -> None:
        """On first sight of a snapshot derived from the newest one asked about: its unaffected clients' answers
        are still right, so they are filed under the new revision too."""
        if self._latest is not None and snapshot.revision <= self._latest:
            return
        previous, self._latest = self._latest, snapshot.revision
        if snapshot.derived_from is None or snapshot.derived_from != previous:
            return
        for (revision, key), future in list(self._cache.items()):
            done = future.done() and not future.cancelled() and future.exception() is None
            if revision == previous and done and key.client not in snapshot.affected:
                self._cache[(snapshot.revision, key)] = future
                self.carried += 1
        self._trim(self._cache, CACHE_SIZE)

    @staticmethod
    def _trim(cache: OrderedDict[tuple[int, AssessmentKey], asyncio.Future[Assessment]], size: int) -> None:
        while len(cache) > size:
            cache.popitem(last=False)

    async def assessment(self, snapshot: MapSnapshot, key: AssessmentKey) -> Assessment:
        """Concurrent callers for the same key share one computation."""
        self._carry_over(snapshot)
        cache, size = (self._cache, CACHE_SIZE) if key.client else (self._whole, WHOLE_CACHE_SIZE)
        slot = (snapshot.revision, key)
        future = cache.get(slot)
        if future is None:
            if key.client:
                future = asyncio.ensure_future(asyncio.to_thread(self._compute, snapshot, key))
            else:
                future = asyncio.ensure_future(self._whole_map(snapshot, key.day))
            cache[slot] = future
            self._trim(cache, size)
        else:
            cache.move_to_end(slot)
        try:
            return await asyncio.shield(future)
        except BaseException:
            cache.pop(slot, None)  # never cache a failure
            raise

    async def _whole_map(self, snapshot: MapSnapshot, day: date) -> Assessment:
        """Every client's assessment (most of them cached), put together as ``assess`` puts the whole map's."""
        clients = await asyncio.to_thread(lambda: snapshot.tables.on(day).clients())
        parts = [await self.assessment(snapshot, AssessmentKey(day, c)) for c in clients]
        return await asyncio.to_thread(self._compose, snapshot, day, parts)

    async def findings_about(self, snapshot: MapSnapshot, day: date, org: str) -> tuple[Finding, ...]:
        """The whole map's findings, as far as they can concern ``org`` (on it, its engagements or documents): those
        of the clients whose walks can reach it or the exporters of its incoming engagements, and the documents'.
        A superset of what filtering the whole map's findings to ``org`` keeps, at the cost of those clients only."""
        whole = self._whole.get((snapshot.revision, AssessmentKey(day)))
        if whole is not None and whole.done() and not whole.cancelled() and whole.exception() is None:
            return whole.result().findings
        t = snapshot.tables
        scope = upstream_clients(t, frozenset({org, *(e.exporter for e in t.incoming.get(org, ()))}))
        clients = await asyncio.to_thread(lambda: [c for c in t.on(day).clients() if c in scope])
        parts = [await self.assessment(snapshot, AssessmentKey(day, c)) for c in clients]
        return (await asyncio.to_thread(self._compose, snapshot, day, parts)).findings

    def _compose(self, snapshot: MapSnapshot, day: date, parts: Sequence[Assessment]) -> Assessment:
        documents = assess(snapshot.tables, day, self.kb, clients=[], max_depth=self.max_depth).findings
        transfers = tuple(t for part in parts for t in part.transfers)
        findings: dict[tuple[str, str, str], Finding] = {}
        for f in [*documents, *(f for t in transfers for f in t.findings)]:
            findings.setdefault((f.rule.value, f.subject, f.message), f)
        ordered = sorted(findings.values(), key=lambda f: (-f.severity, f.rule.value, f.subject))
        return Assessment(as_of=day, transfers=transfers, findings=tuple(ordered))

    async def scenario(
        self,
        snapshot: MapSnapshot,
        day: date,
        revoke: Sequence[Revocation],
        withdraw: Sequence[Withdrawal],
        client: str | None = None,
    ) -> ScenarioResult:
        return await asyncio.to_thread(
            run_scenario,
            snapshot.tables,
            day,
            self.kb,
            revoke=revoke,
            withdraw=withdraw,
            clients=[client] if client else None,
            max_depth=self.max_depth,
        )
