"""Assessments and what-ifs of a snapshot, computed off the event loop and cached per (revision, date, scope).

The engine is a pure function of (map, date, knowledge base), so a cached result stays right until
the map's revision moves; the knowledge base is fixed for the life of the process.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flowmap.domain.assess import assess
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.results import Assessment
from flowmap.domain.scenario import Revocation, ScenarioResult, Withdrawal, run_scenario
from flowmap.service.snapshot import MapSnapshot

CACHE_SIZE = 64


@dataclass(frozen=True)
class AssessmentKey:
    day: date
    client: str | None = None  # None: every client in the map


class Assessor:
    def __init__(self, kb: KnowledgeBase, max_depth: int) -> None:
        self.kb = kb
        self.max_depth = max_depth
        self._cache: OrderedDict[tuple[int, AssessmentKey], asyncio.Future[Assessment]] = OrderedDict()
        self.computed = 0

    def _compute(self, snapshot: MapSnapshot, key: AssessmentKey) -> Assessment:
        self.computed += 1
        clients = [key.client] if key.client else None
        return assess(snapshot.tables, key.day, self.kb, clients=clients, max_depth=self.max_depth)

    async def assessment(self, snapshot: MapSnapshot, key: AssessmentKey) -> Assessment:
        """Concurrent callers for the same key share one computation."""
        slot = (snapshot.revision, key)
        future = self._cache.get(slot)
        if future is None:
            future = asyncio.ensure_future(asyncio.to_thread(self._compute, snapshot, key))
            self._cache[slot] = future
            while len(self._cache) > CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(slot)
        try:
            return await asyncio.shield(future)
        except BaseException:
            self._cache.pop(slot, None)  # never cache a failure
            raise

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
