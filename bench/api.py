"""API latency (issue 4): `transfers(first: 100)` and `exposure` over HTTP, as a ratio to the engine.

Each map is written into a fresh embedded store and served by the real app (``create_app``) through
``httpx.ASGITransport``: the whole HTTP stack (routing, GraphQL-over-HTTP, parsing, validation, resolvers,
JSON) without a socket. For each query it records:

- ``cold``: the first call on a date, which computes the assessment and caches it;
- ``http_warm``: repeated calls on that date, which hit the per-(revision, date, client) assessment cache;
- ``http_uncached``: one call per date on dates not asked before, so every call recomputes the assessment;
- ``engine``: ``assess`` in-process on the same dates and client, interleaved with the uncached calls.

The seed map is asked portfolio-wide (no ``clientId``: its handful of clients share 12 transfers, and that is
the dashboard's first view); the ecosystem's S map (``bench.ecosystem``, 11k engagements) is asked for its busiest
client, as in ``bench/assessment.py`` (a portfolio-wide question there is ~150 assessments of that size).
``bench/scale.py`` asks the same queries at S, M and L on an imported store.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.assessment import busiest_controller, machine
from bench.ecosystem import load_flowmap
from flowmap.api.app import create_app
from flowmap.domain.assess import assess
from flowmap.domain.models import FlowMap
from flowmap.ingest.seeds import load_seed_map
from flowmap.law import load_knowledge_base
from flowmap.settings import PROJECT_ROOT, Settings, StoreKind
from flowmap.store import open_store

RESULTS = Path(__file__).parent / "results"
MAX_DEPTH = 8
HEADERS = {"Accept": "application/graphql-response+json"}

TRANSFERS = """
query Transfers($asOf: Date, $clientId: ID) {
  transfers(asOf: $asOf, clientId: $clientId, first: 100) {
    totalCount
    nodes {
      id status basisKind
      client { id name }
      importer { id name }
      destination { code name }
      basis { code name }
      path { engagement { id } role }
      dataCategories { key }
      findings { rule severity message }
    }
  }
}
"""

EXPOSURE = """
query Exposure($asOf: Date, $clientId: ID) {
  exposure(asOf: $asOf, clientId: $clientId) {
    destination { code name }
    transferCount
    worstStatus
    dataCategories { key }
    importers(first: 100) { totalCount edges { node { id name } } }
    mechanisms { code }
  }
}
"""


@dataclass(frozen=True)
class Case:
    name: str
    flow_map: FlowMap
    client: str | None  # None: portfolio-wide
    runs: int


def summary(runs: list[float]) -> dict[str, float | int]:
    """p50, p95 (linear interpolation between order statistics) and max, in ms."""
    p95 = statistics.quantiles(runs, n=20, method="inclusive")[18] if len(runs) > 1 else runs[0]
    return {
        "p50_ms": round(statistics.median(runs), 2),
        "p95_ms": round(p95, 2),
        "max_ms": round(max(runs), 2),
        "runs": len(runs),
    }


def ratio(http: dict[str, float | int], engine: dict[str, float | int]) -> dict[str, float]:
    return {q: round(http[f"{q}_ms"] / engine[f"{q}_ms"], 2) for q in ("p50", "p95")}


def full_collections() -> int:
    """Generation-2 garbage collections so far: each scans the whole heap, the 10k map included."""
    return int(gc.get_stats()[2]["collections"])


def millis(start: float) -> float:
    return (time.perf_counter() - start) * 1000


class Client:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def ask(self, query: str, variables: dict[str, Any]) -> tuple[float, dict[str, Any], int]:
        """(latency ms, data, body bytes) of one POST that must succeed."""
        start = time.perf_counter()
        response = await self.http.post("/graphql", json={"query": query, "variables": variables}, headers=HEADERS)
        elapsed = millis(start)
        body = response.json()
        if response.status_code != 200 or "errors" in body:
            raise RuntimeError(f"{response.status_code}: {json.dumps(body)[:2000]}")
        return elapsed, dict(body["data"]), len(response.content)


def transfer_count(name: str, data: dict[str, Any]) -> int:
    if name == "transfers":
        return int(data["transfers"]["totalCount"])
    return sum(int(row["transferCount"]) for row in data["exposure"])


Engine = Callable[[date], int]  # the engine's answer to the same question on a day: its transfer count


async def bench_query(
    client: Client,
    name: str,
    query: str,
    client_id: str | None,
    engine: Engine,
    warm_day: date,
    days: list[date],
    *,
    strict: bool = True,
) -> dict[str, Any]:
    """Cold, warm and uncached HTTP calls and the engine, interleaved, for one query and scope.

    The API's transfer count must equal the engine's on ``warm_day``: ``strict`` raises if not, otherwise both
    counts are returned (``engine_transfers``) for the caller to report.
    """

    def variables(day: date) -> dict[str, Any]:
        return {"asOf": day.isoformat(), "clientId": client_id}

    cold, data, size = await client.ask(query, variables(warm_day))
    counted, expected = transfer_count(name, data), engine(warm_day)  # the engine's warm-up run
    if strict and counted != expected:
        scope = client_id or "portfolio"
        raise RuntimeError(f"{scope} {name}: the API counts {counted} transfers, the engine {expected}")
    gc.collect()  # each phase starts from the same heap, not with the previous one's garbage
    collections = full_collections()
    warm = [(await client.ask(query, variables(warm_day)))[0] for _ in days]
    gc_warm = full_collections() - collections
    gc.collect()
    collections = full_collections()
    engine_runs: list[float] = []
    uncached: list[float] = []
    for day in days:  # interleaved, so both see the same machine load
        start = time.perf_counter()
        engine(day)
        engine_runs.append(millis(start))
        uncached.append((await client.ask(query, variables(day)))[0])
    stats = {"engine": summary(engine_runs), "http_warm": summary(warm), "http_uncached": summary(uncached)}
    return {
        "transfers": counted,
        "engine_transfers": expected,
        "response_bytes": size,
        "cold_ms": round(cold, 2),
        **stats,
        "ratio_warm_to_engine": ratio(stats["http_warm"], stats["engine"]),
        "ratio_uncached_to_engine": ratio(stats["http_uncached"], stats["engine"]),
        "gc_full_collections": {"warm": gc_warm, "uncached_and_engine": full_collections() - collections},
    }


async def bench_map(case: Case, today: date) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(store=StoreKind.EMBEDDED, data_dir=Path(tmp) / "data")
        store = await open_store(settings)
        try:
            start = time.perf_counter()
            await store.write_map(case.flow_map, actor="bench")
            write_ms = millis(start)
            app = create_app(settings, store=store)
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://flowmap.bench") as http,
            ):
                client = Client(http)
                kb = load_knowledge_base()
                scope = [case.client] if case.client else None

                def engine(day: date) -> int:
                    return len(assess(case.flow_map, day, kb, clients=scope, max_depth=MAX_DEPTH).transfers)

                # The first request reads the whole map out of the store into the shared snapshot.
                first_ms, _, _ = await client.ask("{ stats { revision } }", {})
                queries: dict[str, Any] = {}
                # Distinct dates per query and per run, so no measurement reuses another's cached assessment.
                offset = 0
                for name, query in (("transfers", TRANSFERS), ("exposure", EXPOSURE)):
                    warm_day = today - timedelta(days=offset)
                    days = [warm_day - timedelta(days=1 + i) for i in range(case.runs)]
                    offset += 1 + case.runs
                    queries[name] = await bench_query(client, name, query, case.client, engine, warm_day, days)
        finally:
            await store.close()
    return {
        "engagements": len(case.flow_map.engagements),
        "organizations": len(case.flow_map.organizations),
        "client": case.client,
        "scope": "one client" if case.client else "portfolio",
        "store_write_ms": round(write_ms, 1),
        "first_request_ms": round(first_ms, 1),
        "queries": queries,
    }


def pair(s: dict[str, Any]) -> str:
    return f"{s['p50_ms']:.1f}/{s['p95_ms']:.1f} ms"


def table(results: dict[str, Any]) -> str:
    """p50/p95 in ms, and HTTP/engine ratios of p50/p95."""
    rows = [("map", "query", "engine", "warm", "warm/engine", "uncached", "uncached/engine", "cold")]
    for map_name, m in results["maps"].items():
        for q, r in m["queries"].items():
            rw, ru = r["ratio_warm_to_engine"], r["ratio_uncached_to_engine"]
            rows.append(
                (
                    map_name,
                    q,
                    pair(r["engine"]),
                    pair(r["http_warm"]),
                    f"{rw['p50']:.2f}/{rw['p95']:.2f}",
                    pair(r["http_uncached"]),
                    f"{ru['p50']:.2f}/{ru['p95']:.2f}",
                    f"{r['cold_ms']:.1f} ms",
                )
            )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows)


async def run() -> dict[str, Any]:
    today = date.today()
    seed_map = load_seed_map(PROJECT_ROOT / "seeds")
    ecosystem = load_flowmap("S", seed=7)
    cases = [
        Case("seed", seed_map, None, 30),
        Case("ecosystem_S", ecosystem, busiest_controller(ecosystem, today), 15),
    ]
    results: dict[str, Any] = {
        "date": today.isoformat(),
        "machine": machine(),
        "max_depth": MAX_DEPTH,
        "transport": "httpx.ASGITransport (in-process ASGI, no socket)",
        "maps": {},
    }
    for case in cases:
        results["maps"][case.name] = await bench_map(case, today)
    return results


def main() -> None:
    results = asyncio.run(run())
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "api.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    print(f"wrote {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
