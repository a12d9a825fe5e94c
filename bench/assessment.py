"""Assessment speed: a full `flowmap report` on the seed map, and one client on the ecosystem's S map (11k rows)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from bench.ecosystem import load_flowmap
from flowmap import __version__
from flowmap.domain.assess import assess
from flowmap.domain.chains import FIRST_HOP_ROLES, PROCESSOR_ROLES, is_active
from flowmap.domain.models import FlowMap
from flowmap.ingest.seeds import load_seed_map
from flowmap.law import load_knowledge_base
from flowmap.settings import PROJECT_ROOT

RESULTS = Path(__file__).parent / "results"
DAY = date(2026, 11, 21)


def machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "flowmap": __version__,
    }


def busiest_controller(flow_map: FlowMap, day: date) -> str:
    """The controller with the most active engagements of its own on ``day`` (ties: the greatest id).

    A controller sends data as C2P or C2C; one that is also someone's processor (a vendor engaging vendors for its
    own data) is left out, so this is a client of the map, not a hub.
    """
    active = [e for e in flow_map.engagements if is_active(e, day)]
    processors = {e.importer for e in active if e.role in PROCESSOR_ROLES}
    controllers = {e.exporter for e in active if e.role in FIRST_HOP_ROLES} - processors
    if not controllers:
        raise ValueError(f"no controller has an active engagement on {day}")
    own = Counter(e.exporter for e in active if e.exporter in controllers)
    return max(controllers, key=lambda c: (own[c], c))


def timed(fn: Callable[[], object], repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(runs), 2), "min_ms": round(min(runs), 2), "runs": repeat}


def main() -> None:
    kb = load_knowledge_base()
    results: dict[str, Any] = {"date": date.today().isoformat(), "machine": machine(), "as_of": DAY.isoformat()}

    seed_map = load_seed_map(PROJECT_ROOT / "seeds")
    results["seed_map_assess_in_process"] = timed(lambda: assess(seed_map, DAY, kb), 50)

    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "FLOWMAP_DATA_DIR": data}
        flowmap = str(Path(sys.executable).parent / "flowmap")
        subprocess.run([flowmap, "seed"], env=env, check=True, capture_output=True)
        report = [flowmap, "report", "--as-of", DAY.isoformat(), "--format", "json"]
        results["seed_map_flowmap_report_cli"] = timed(
            lambda: subprocess.run(report, env=env, check=True, capture_output=True), 5
        )

    ecosystem = load_flowmap("S", seed=7)
    busiest = busiest_controller(ecosystem, DAY)
    one = assess(ecosystem, DAY, kb, clients=[busiest])
    results["ecosystem_S"] = {
        "engagements": len(ecosystem.engagements),
        "organizations": len(ecosystem.organizations),
        "client": busiest,
        "client_transfers": len(one.transfers),
        "one_client_assess": timed(lambda: assess(ecosystem, DAY, kb, clients=[busiest]), 10),
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "assessment.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
