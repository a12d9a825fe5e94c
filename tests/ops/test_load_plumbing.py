"""bench/load.py's plumbing on the seed map (2 clients, 2 s): the server starts, is driven, counted and stopped.

The real run (50 clients, 60 s, the 110k-engagement map) is the bench's: ``python -m bench.load``.
"""

from __future__ import annotations

import json
from pathlib import Path

from bench import load


def test_load_script_drives_and_stops_a_server(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    load.main(["--seed-map", "--clients", "2", "--duration", "2", "--think-ms", "0", "--out", str(out)])
    result = json.loads(out.read_text())
    assert result["errors"] == {"total": 0} and result["error_examples"] == []
    operations = result["operations"]
    assert set(operations) == {"transfers", "exposure", "findings", "mutation"}
    assert all(operations[op]["count"] > 0 for op in ("transfers", "exposure", "findings"))
    counted = sum(s["count"] for s in operations.values())
    assert result["requests"] == counted == result["overall"]["count"] and counted > 10
    assert result["mutations_ok"] + result["conflicts"] == operations["mutation"]["count"]
    assert 0 < result["overall"]["p50_ms"] <= result["overall"]["p95_ms"] <= result["overall"]["p99_ms"]
    assert result["server"]["exit_code"] == 0 and result["server"]["clean_shutdown"] is True
    assert result["machine"]["cores"] and result["settings"]["clients"] == 2
