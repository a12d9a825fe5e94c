"""Assessments, findings and what-ifs of a snapshot, computed off the event loop and cached per revision.

The engine is a pure function of (map, date, knowledge base), so a cached result stays right until
the map's revision moves; the knowledge base is fixed for the life of the process.

Across this process's own edits most answers stay right too. A derived snapshot names the clients the edit can
touch (``MapSnapshot.affected``), and, told of each edit (``SnapshotCache.on_derived``), the assessor files every
other client's cached assessment under the new revision and patches the map's findings (``MapFindings``): at 110k
engagements an edit costs milliseconds of judging instead of ~20 s.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from flowmap.domain.assess import Engine, assess, rejudged
from flowmap.domain.document_rules import map_document_findings
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.map_findings import FindingsView, MapFindings
from flowmap.domain.results import Assessment, distinct_findings
from flowmap.domain.scenario import Revocation, ScenarioResult, Withdrawal, run_scenario
from flowmap.service.snapshot import MapSnapshot

CACHE_SIZE = 8192  # one client's assessments (every client of a 110k-engagement map on a day or two)
WHOLE_CACHE_SIZE = 4  # whole-map assessments, composed of the clients' ones
FINDINGS_DAYS = 4  # days whose findings are kept and patched
FINDINGS_REVISIONS = 8  # recent revisions whose findings a request may still ask for
PATCH_DEPTH = 16  # edits a client's assessment is patched over before it is computed afresh (each holds its map)


@dataclass(frozen=True)
class AssessmentKey:
    day: date
    client: str | None = None  # None: every client in the map


class Assessor:
    def __init__(self, kb: KnowledgeBase, max_depth: int) -> None:
        self.kb = kb
        self.max_depth = max_depth
        self._cache: OrderedDict[tuple[int, AssessmentKey], asyncio.Future[Assessment] | _Patch] = OrderedDict()
        self._whole: OrderedDict[tuple[int, AssessmentKey], asyncio.Future[Assessment] | _Patch] = OrderedDict()
        self._findings: OrderedDict[date, _Findings] = OrderedDict()
        self.computed = 0
        self.carried = 0  # assessments carried over an edit that could not touch them
        self.rejudged = 0  # assessments patched after an edit of what one engagement's verdicts read
        self.built = 0  # the map's findings judged from scratch
        self.patched = 0  # edits patched into them

    def _compute(self, snapshot: MapSnapshot, key: AssessmentKey) -> Assessment:
        self.computed += 1
        return assess(
            snapshot.tables, key.day, self.kb, clients=[key.client] if key.client else None, max_depth=self.max_depth
        )

    def follow(self, before: MapSnapshot, after: MapSnapshot) -> None:
        """An edit of this process derived ``after`` from ``before`` (``SnapshotCache.on_derived``): the unaffected
        clients' answers are still right, so they are filed under the new revision too; after an edit of what
        verdicts read (``MapSnapshot.retermed``) the affected ones are patched when next asked; each day's findings
        are patched (in the background, in order; a request for them waits)."""
        for (revision, key), entry in list(self._cache.items()):
            if revision != before.revision or (isinstance(entry, asyncio.Future) and not _succeeded(entry)):
                continue
            if key.client not in after.affected:
                self._cache[(after.revision, key)] = entry
                self.carried += 1
            elif after.retermed is not None and (not isinstance(entry, _Patch) or entry.depth < PATCH_DEPTH):
                self._cache[(after.revision, key)] = _Patch(entry, after, key)
        self._trim(self._cache, CACHE_SIZE)
        for findings in self._findings.values():
            self.patched += findings.follow(before, after)

    async def _patched(self, patch: _Patch, previous: asyncio.Future[Assessment] | _Patch) -> Assessment:
        """The assessment before the edit, patched (``rejudged``); computed afresh if that one failed."""
        before = previous.start(self) if isinstance(previous, _Patch) else previous
        after = patch.after
        try:
            old = await asyncio.shield(before)
        except Exception:
            return await asyncio.to_thread(self._compute, after, patch.key)
        assert after.retermed is not None
        engine = Engine(after.tables, patch.key.day, self.kb, self.max_depth)
        self.rejudged += 1
        return await asyncio.to_thread(rejudged, old, engine, *after.retermed)

    @staticmethod
    def _trim(cache: OrderedDict[tuple[int, AssessmentKey], asyncio.Future[Assessment] | _Patch], size: int) -> None:
        while len(cache) > size:
            cache.popitem(last=False)

    async def assessment(self, snapshot: MapSnapshot, key: AssessmentKey) -> Assessment:
        """Concurrent callers for the same key share one computation."""
        cache, size = (self._cache, CACHE_SIZE) if key.client else (self._whole, WHOLE_CACHE_SIZE)
        slot = (snapshot.revision, key)
        entry = cache.get(slot)
        future = entry.start(self) if isinstance(entry, _Patch) else entry
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

    async def findings(self, snapshot: MapSnapshot, day: date) -> FindingsView:
        """The whole map's findings on ``day``: built once (seconds at 110k engagements), then patched per edit."""
        found = self._findings.get(day)
        if found is None or not found.has(snapshot.revision):
            if found is not None and found.latest > snapshot.revision:  # an old snapshot: answered, not kept
                engine = Engine(snapshot.tables, day, self.kb, self.max_depth)
                return (await asyncio.to_thread(MapFindings, engine)).view
            found = self._findings[day] = _Findings(snapshot, day, self.kb, self.max_depth)
            self.built += 1
            while len(self._findings) > FINDINGS_DAYS:
                self._findings.popitem(last=False)
        self._findings.move_to_end(day)
        return await found.view(snapshot.revision)

    def _compose(self, snapshot: MapSnapshot, day: date, parts: Sequence[Assessment]) -> Assessment:
        documents = map_document_findings(snapshot.tables, self.kb, day)
        transfers = tuple(t for part in parts for t in part.transfers)
        findings = distinct_findings([*documents, *(f for t in transfers for f in t.findings)])
        return Assessment(as_of=day, transfers=transfers, findings=findings)

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


class _Patch:
    """A client's assessment after an edit of what verdicts read, from the one before it: patched when first asked
    (most clients are not asked about between two edits), then kept as its future."""

    def __init__(self, previous: asyncio.Future[Assessment] | _Patch, after: MapSnapshot, key: AssessmentKey) -> None:
        self.previous, self.after, self.key = previous, after, key
        self.depth: int = previous.depth + 1 if isinstance(previous, _Patch) else 1
        self.future: asyncio.Future[Assessment] | None = None

    def start(self, assessor: Assessor) -> asyncio.Future[Assessment]:
        if self.future is None:
            self.future = asyncio.ensure_future(assessor._patched(self, self.previous))
            del self.previous  # the chain behind it is no longer needed once started
        return self.future


def _succeeded(future: asyncio.Future[Any]) -> bool:
    return future.done() and not future.cancelled() and future.exception() is None


class _Findings:
    """One day's ``MapFindings``, and its view at each recent revision (a future: building or patching runs in a
    worker thread; patches are chained, one edit after the other, as ``MapFindings`` is patched in place)."""

    def __init__(self, snapshot: MapSnapshot, day: date, kb: KnowledgeBase, max_depth: int) -> None:
        self.latest = snapshot.revision
        self.index: MapFindings | None = None

        def build() -> FindingsView:
            self.index = MapFindings(Engine(snapshot.tables, day, kb, max_depth))
            return self.index.view

        self._views: OrderedDict[int, asyncio.Future[FindingsView]] = OrderedDict(
            {snapshot.revision: asyncio.ensure_future(asyncio.to_thread(build))}
        )

    def has(self, revision: int) -> bool:
        return revision in self._views

    async def view(self, revision: int) -> FindingsView:
        return await asyncio.shield(self._views[revision])

    def follow(self, before: MapSnapshot, after: MapSnapshot) -> bool:
        """Chains the patch from ``before`` to ``after``; False if this index is not at ``before`` (a later request
        rebuilds it)."""
        if before.revision != self.latest:
            return False
        previous = self._views[before.revision]

        async def patch() -> FindingsView:
            await asyncio.shield(previous)  # raises if the build or last patch failed: this revision is rebuilt
            assert self.index is not None
            index = self.index
            return await asyncio.to_thread(
                index.advance, after.tables, after.affected, after.changed_organizations, after.retermed
            )

        self.latest = after.revision
        future = self._views[after.revision] = asyncio.ensure_future(patch())
        future.add_done_callback(lambda f: None if _succeeded(f) else self._views.pop(after.revision, None))
        while len(self._views) > FINDINGS_REVISIONS:
            self._views.popitem(last=False)
        return True
