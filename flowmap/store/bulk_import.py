"""`flowmap import`: a whole map from a bulk directory into the embedded store, all or nothing.

The map is built in a new database file beside the store and swapped in with one atomic rename, so a failed
check or a crash leaves the store exactly as it was. (Deleting the old map and COPYing the new one in a
single transaction would also be atomic, but LadybugDB 0.22 crashes when such a transaction rolls back, and
deleting a million edges costs more than writing a new file.) Because the rename is what makes it atomic, the
new file is filled one committed COPY at a time, while the files are still being checked; anything that fails
deletes it. The audit log and the revision carry over.
"""

from __future__ import annotations

import asyncio
import getpass
import os
from pathlib import Path
from typing import Any

from flowmap.domain.audit import AuditRecord
from flowmap.store.bulk import BulkLoad, BulkSource, imported
from flowmap.store.embedded import EmbeddedExecutor
from flowmap.store.graph import GraphStore, ImportPlan, Restore, StepProgress


def _remove(path: Path, *, companions: tuple[str, ...] = (".",)) -> None:
    """``path`` and the engine's files beside it whose names extend it with one of ``companions``: its WAL, and what a
    process killed mid-checkpoint leaves (``.wal.checkpoint``, ``.checkpoint.*.lock``). A stale ``.wal.checkpoint``
    makes the engine refuse to open a new file of that name ("Database ID ... does not match"), so after a crash
    every later import would fail (found by tests/robustness/test_crash_safety.py)."""
    extended = (p for p in path.parent.glob(path.name + ".*") if p.name[len(path.name) :].startswith(companions))
    for leftover in [path, *extended]:
        leftover.unlink(missing_ok=True)


async def import_embedded(
    store_path: Path,
    source: BulkSource,
    *,
    actor: str | None = None,
    progress: StepProgress | None = None,
    restore: Restore | None = None,
    described: dict[str, Any] | None = None,
) -> int:
    """Replace the map in the embedded store at ``store_path``; return the new revision. ``restore``: the audit
    log and revision of the dump ``source`` was made from (``ImportPlan`` says what they become); ``described``:
    what the audit entry says was imported (default: the directory and its rows)."""
    step = progress or (lambda _message: None)
    load = BulkLoad(source, step).start()  # reading the files needs no store: it starts at once
    current: GraphStore | None = None
    scratch_path = store_path.with_name(store_path.name + ".import")
    owned = False  # the scratch file is ours once we hold the store's lock
    try:
        current = GraphStore(EmbeddedExecutor(store_path))  # holds the file's lock until the swap
        owned = True
        _remove(scratch_path)
        await current.ensure_schema()
        history = await current.audit_log(0, await current.audit_count())
        record = AuditRecord(
            actor=actor or f"cli:{getpass.getuser()}",
            role="system",
            operation="importMap",
            target="map",
            before={"revision": await current.revision(), "counts": (await current.counts()).as_dict()},
            after=described or imported(source),
        )
        plan = ImportPlan.make(await current.revision(), history, record, restore)
        scratch = GraphStore(EmbeddedExecutor(scratch_path))
        try:
            await scratch.ensure_schema()
            revision = await scratch.load_bulk(load, history, plan, step)
        finally:
            await scratch.close()
        step("swapping the new map in")
        await current.close()
        current = None
        # The old file's WAL and checkpoint files must not meet the new file (its own were closed cleanly).
        _remove(store_path.with_name(store_path.name + ".wal"), companions=(".checkpoint",))
        os.replace(scratch_path, store_path)
        return revision
    except BaseException:
        load.cancel()
        await asyncio.to_thread(load.join)
        if owned:
            _remove(scratch_path)
        raise
    finally:
        if current is not None:
            await current.close()
