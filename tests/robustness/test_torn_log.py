"""A writer killed mid-transaction can leave the embedded store's write-ahead log ending in a torn record, which
LadybugDB refuses to replay (the crash test met it as a failed checksum). The store must open with every committed
transaction and without the torn one, keep the log as found, and say so. Made here deterministically: a log with one
committed transaction and a second one whose records end in garbage."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import ladybug
import pytest

from flowmap.errors import StoreUnavailable
from flowmap.store.embedded import EmbeddedExecutor
from flowmap.store.queries import Query


def _torn_store(directory: Path) -> Path:
    """A copy of a store taken while its writer was mid-way through the second of two transactions."""
    live = directory / "live"
    live.mkdir()
    db = ladybug.Database(str(live / "x.lbug"), auto_checkpoint=False)
    conn = ladybug.Connection(db)
    conn.execute("CREATE NODE TABLE T(id STRING, PRIMARY KEY(id))")
    conn.execute("CREATE (:T {id: 'committed'})")
    wal = live / "x.lbug.wal"
    committed = wal.stat().st_size
    conn.execute("UNWIND range(1, 2000) AS i CREATE (:T {id: 'later-' + CAST(i AS STRING)})")
    later = wal.stat().st_size
    copy = directory / "copy"
    copy.mkdir()
    shutil.copy(live / "x.lbug", copy / "x.lbug")
    shutil.copy(wal, copy / "x.lbug.wal")
    conn.close()
    db.close()
    torn_at = committed + (later - committed) // 2  # half of the second transaction's records, then garbage
    with (copy / "x.lbug.wal").open("r+b") as f:
        f.seek(torn_at)
        f.write(bytes(4096))  # a page the kill left unwritten
        f.truncate(torn_at + 4096)
    return copy / "x.lbug"


def test_a_torn_log_opens_with_the_committed_transactions(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = _torn_store(tmp_path)
    with pytest.raises(RuntimeError, match=r"(?i)corrupt"):
        ladybug.Database(str(path))  # what LadybugDB does on its own
    with caplog.at_level(logging.WARNING, logger="flowmap.store"):
        executor = EmbeddedExecutor(path)
    rows = executor._rows(Query("MATCH (t:T) RETURN t.id AS id", {}))
    assert [r["id"] for r in rows] == ["committed"]
    kept = [p for p in os.listdir(path.parent) if p.startswith("x.lbug.wal.torn-")]
    assert len(kept) == 1 and "torn record" in caplog.text and kept[0] in caplog.text


def test_read_only_does_not_repair(tmp_path: Path) -> None:
    """Replaying writes the store: a read-only open names the problem instead."""
    path = _torn_store(tmp_path)
    with pytest.raises(StoreUnavailable, match=r"(?i)corrupt"):
        EmbeddedExecutor(path, read_only=True)
