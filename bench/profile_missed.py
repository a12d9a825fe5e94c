"""pyinstrument profiles of issue 7's missed targets: the busiest client's assessment and the DPF what-if.

Usage: ``.venv/bin/python -m bench.profile_missed DATA_DIR OUT_DIR``, DATA_DIR holding an imported map (e.g. size M,
``flowmap import``). Writes ``assess-busiest-<label>.txt`` and ``what-if-dpf-<label>.txt`` into OUT_DIR.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
from datetime import date
from pathlib import Path

from pyinstrument import Profiler

from flowmap.domain.assess import assess
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.scenario import Revocation, run_scenario
from flowmap.domain.tables import MapTables
from flowmap.law import load_knowledge_base
from flowmap.settings import Settings
from flowmap.store import open_store

DAY = date(2025, 6, 1)


async def _tables(data_dir: Path) -> MapTables:
    store = await open_store(Settings(data_dir=data_dir), fallback_read_only=True)
    try:
        return await store.read_tables()
    finally:
        await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile_missed", description=__doc__)
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--label", default="M")
    args = parser.parse_args()
    tables = asyncio.run(_tables(args.data_dir))
    gc.collect()
    gc.freeze()  # as the API does after loading a snapshot, and the harness after loading any input
    kb = load_knowledge_base()
    busiest = max(tables.on(DAY).clients(), key=lambda c: len(tables.first_hops.get(c, [])))
    assess(tables, DAY, kb, clients=[busiest])  # the day's document findings, once
    args.out_dir.mkdir(parents=True, exist_ok=True)

    profiler = Profiler(interval=0.0005)
    with profiler:
        result = assess(tables, date(2025, 6, 2), kb, clients=[busiest])
    head = f"assess(tables, 2025-06-02, kb, clients=[{busiest!r}]): {len(result.transfers)} transfers\n\n"
    (args.out_dir / f"assess-busiest-{args.label}.txt").write_text(head + profiler.output_text(), encoding="utf-8")

    profiler = Profiler(interval=0.001)
    with profiler:
        scenario = run_scenario(tables, DAY, kb, revoke=[Revocation(MechanismCode.DPF_EU_US, DAY)])
    head = f"run_scenario(tables, {DAY}, kb, revoke=[DPF_EU_US from {DAY}]): {len(scenario.rows)} rows\n\n"
    (args.out_dir / f"what-if-dpf-{args.label}.txt").write_text(head + profiler.output_text(), encoding="utf-8")


if __name__ == "__main__":
    main()
