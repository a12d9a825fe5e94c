"""Load (issue 8): many concurrent clients against a real `flowmap serve` holding the synthetic ~100k-engagement map.

``python -m bench.load`` generates the ecosystem at M (110k engagements, ``bench.ecosystem``), imports it with
``flowmap import`` into a temporary data directory, starts ``flowmap serve`` on a free loopback port (a subprocess,
an editor token of its own), waits until ``/readyz`` says the map is loaded, and then drives ``--clients``
concurrent clients (httpx.AsyncClient) for ``--duration`` seconds. Each client loops: pick an operation by weight,
send it, time it, think for a random while (exponential, mean ``--think-ms``; 0: back to back), again:

- ``transfers``: ``transfers(clientId, first: 20)`` for a random client of the sample (the dashboard's table);
- ``exposure``: ``exposure(clientId)`` for a random client (the dashboard's map);
- ``findings``: ``findings(organizationId, first: 20)`` for a random client (judged on the whole map);
- ``mutation``: ``recordTia(expectedVersion)`` on an engagement from a small pool (first hops of sampled clients),
  stating the version this client last saw: two clients on one engagement collide, and the loser gets CONFLICT
  (counted apart from errors, and its version refreshed from the error).

Errors are 5xx answers, transport errors (refused, reset, timeout) and any GraphQL error but a mutation's CONFLICT.
The server is terminated at the end (SIGTERM, then SIGKILL after 90 s), whatever happened; everything stays on
127.0.0.1. Writes ``bench/results/load.json`` (machine, map, settings, per-operation and overall latency, throughput,
errors, conflicts, the server's peak RSS, the target). ``--seed-map`` serves the small seed map instead (for the
plumbing test in tests/ops).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

from bench.assessment import machine

RESULTS = Path(__file__).parent / "results"
PROJECT = Path(__file__).resolve().parent.parent
GRAPHQL_RESPONSE = "application/graphql-response+json"
TARGET_P95_MS = 500.0
SETUP_TIMEOUT = 900.0  # the warm-up's first findings question builds the map's findings index: ~7 s at M

TRANSFERS = """query ($c: ID) { transfers(clientId: $c, first: 20) { totalCount nodes {
  id status client { id } importer { id name } destination { code } basis { code } findings { rule severity } } } }"""
EXPOSURE = """query ($c: ID) { exposure(clientId: $c) {
  destination { code name } transferCount worstStatus mechanisms { code } } }"""
FINDINGS = """query ($c: ID) { findings(organizationId: $c, first: 20) { totalCount nodes {
  rule severity subject message } } }"""
RECORD_TIA = """mutation ($e: ID!, $ref: String!, $v: Int) {
  recordTia(engagementId: $e, reference: $ref, expectedVersion: $v) { id version tiaRef } }"""
CLIENTS = """query ($after: String) { organizations(role: CLIENT, first: 100, after: $after) {
  pageInfo { hasNextPage endCursor } nodes { id } } }"""
FIRST_HOPS = """query ($c: ID!) { organization(id: $c) { engagementsOut(first: 3) { nodes { id version } } } }"""

OPERATIONS = {"transfers": TRANSFERS, "exposure": EXPOSURE, "findings": FINDINGS, "mutation": RECORD_TIA}


@dataclass
class Tally:
    """Everything the clients measured, shared (one event loop: no locks needed)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    conflicts: int = 0
    mutations_ok: int = 0
    examples: list[str] = field(default_factory=list)

    def error(self, kind: str, detail: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 10:
            self.examples.append(f"{kind}: {detail[:300]}")


def percentiles(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"count": 0}
    q = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [values[0]] * 99
    return {
        "count": len(values),
        "p50_ms": round(q[49], 1),
        "p95_ms": round(q[94], 1),
        "p99_ms": round(q[98], 1),
        "max_ms": round(max(values), 1),
        "mean_ms": round(statistics.fmean(values), 1),
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def flowmap_exe() -> str:
    return str(Path(sys.executable).parent / "flowmap")


def peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


async def wait_ready(http: httpx.AsyncClient, proc: subprocess.Popen[bytes], timeout: float) -> float:
    started = time.perf_counter()
    while True:
        try:
            if (await http.get("/readyz")).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode} before it was ready")
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"the server was not ready within {timeout} s")
        await asyncio.sleep(0.2)


async def ask(http: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Setup requests, which must succeed."""
    response = await http.post("/graphql", json={"query": query, "variables": variables}, timeout=SETUP_TIMEOUT)
    body = response.json()
    if response.status_code != 200 or "errors" in body:
        raise RuntimeError(f"setup request failed: {response.status_code} {json.dumps(body)[:500]}")
    return dict(body["data"])


async def sample(
    http: httpx.AsyncClient, rng: random.Random, clients: int, pool: int
) -> tuple[list[str], dict[str, int]]:
    """A sample of the map's clients, and a pool of their first-hop engagements with their versions."""
    every: list[str] = []
    after: str | None = None
    while True:
        page = (await ask(http, CLIENTS, {"after": after}))["organizations"]
        every += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    chosen = rng.sample(every, min(clients, len(every)))
    versions: dict[str, int] = {}
    for client in chosen:
        if len(versions) >= pool:
            break
        for node in (await ask(http, FIRST_HOPS, {"c": client}))["organization"]["engagementsOut"]["nodes"]:
            versions.setdefault(node["id"], node["version"])
    return chosen, dict(list(versions.items())[:pool])


async def client_loop(
    n: int,
    http: httpx.AsyncClient,
    tally: Tally,
    clients: list[str],
    pool: list[str],
    weights: dict[str, float],
    think_ms: float,
    deadline: float,
    seed: int,
) -> None:
    rng = random.Random(seed * 1000 + n)
    known: dict[str, int | None] = dict.fromkeys(pool)  # the versions this client last saw (None: never asked)
    names, shares = list(weights), list(weights.values())
    while time.perf_counter() < deadline:
        op = rng.choices(names, shares)[0]
        if op == "mutation":
            engagement = rng.choice(pool)
            variables: dict[str, Any] = {"e": engagement, "ref": f"TIA-load-{n}-{rng.randrange(10**6)}"}
            variables["v"] = known[engagement]
        else:
            variables = {"c": rng.choice(clients)}
        started = time.perf_counter()
        try:
            response = await http.post("/graphql", json={"query": OPERATIONS[op], "variables": variables})
        except httpx.TransportError as exc:
            tally.error("transport", f"{op}: {type(exc).__name__} {exc}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        tally.latencies[op].append(elapsed)
        if response.status_code >= 500:
            tally.error("5xx", f"{op}: {response.status_code} {response.text}")
            continue
        try:
            body = response.json()
        except ValueError:
            tally.error("unparsable", f"{op}: {response.status_code} {response.text}")
            continue
        errors = body.get("errors") or []
        if op == "mutation" and errors and all(e.get("extensions", {}).get("code") == "CONFLICT" for e in errors):
            tally.conflicts += 1
            known[variables["e"]] = errors[0]["extensions"]["actualVersion"]
        elif errors or response.status_code != 200:
            tally.error("graphql", f"{op}: {response.status_code} {json.dumps(errors)}")
        elif op == "mutation":
            tally.mutations_ok += 1
            known[variables["e"]] = body["data"]["recordTia"]["version"]
        if think_ms > 0:
            await asyncio.sleep(rng.expovariate(1 / think_ms) / 1000)


def start_server(data: Path, port: int, token: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "FLOWMAP_STORE": "embedded",
        "FLOWMAP_DATA_DIR": str(data),
        "FLOWMAP_HOST": "127.0.0.1",
        "FLOWMAP_API_TOKENS": f"load:editor:{token}",
        "FLOWMAP_LOG_FORMAT": "json",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [flowmap_exe(), "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=out,
            cwd=data.parent,  # no .env of the checkout's
        )


def stop_server(proc: subprocess.Popen[bytes]) -> int | None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return proc.returncode


def prepare(args: argparse.Namespace, work: Path, step: Any) -> tuple[Path, dict[str, Any]]:
    """The data directory with the map, and what it took."""
    data = work / "data"
    env = {**os.environ, "FLOWMAP_STORE": "embedded", "FLOWMAP_DATA_DIR": str(data)}
    info: dict[str, Any] = {}
    if args.seed_map:
        started = time.perf_counter()
        subprocess.run([flowmap_exe(), "seed"], env=env, check=True, capture_output=True, cwd=work)
        info |= {"map": "seed", "load_s": round(time.perf_counter() - started, 1)}
        return data, info
    from bench.ecosystem import write_bulk

    bulk = work / "bulk"
    step(f"generating the ecosystem at {args.size} (seed {args.seed})")
    summary = write_bulk(bulk, args.size, seed=args.seed)
    step(f"importing {summary.engagements:,} engagements")
    started = time.perf_counter()
    subprocess.run([flowmap_exe(), "import", str(bulk)], env=env, check=True, capture_output=True, cwd=work)
    info |= {
        "map": f"ecosystem {args.size}, seed {args.seed}",
        "engagements": summary.engagements,
        "organizations": summary.organizations,
        "import_s": round(time.perf_counter() - started, 1),
    }
    return data, info


async def drive(
    args: argparse.Namespace, port: int, token: str, proc: subprocess.Popen[bytes], step: Any
) -> dict[str, Any]:
    headers = {"Accept": GRAPHQL_RESPONSE, "Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=args.clients + 5, max_keepalive_connections=args.clients + 5)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=args.timeout, limits=limits
    ) as http:
        ready_s = await wait_ready(http, proc, timeout=600)
        step(f"ready in {ready_s:.1f} s; sampling clients")
        rng = random.Random(args.seed)
        clients, versions = await sample(http, rng, args.query_clients, args.pool)
        step(f"{len(clients)} clients, {len(versions)} engagements in the mutation pool; warming up")
        warm: dict[str, float] = {}
        for op in ("transfers", "exposure", "findings"):  # the first answer of each kind, before the clock starts
            started = time.perf_counter()
            await ask(http, OPERATIONS[op], {"c": clients[0]})
            warm[op] = round(time.perf_counter() - started, 2)
        weights = {"transfers": args.transfers, "exposure": args.exposure, "findings": args.findings}
        weights["mutation"] = args.mutations
        tally = Tally()
        step(f"{args.clients} clients for {args.duration:.0f} s")
        started = time.perf_counter()
        deadline = started + args.duration
        await asyncio.gather(
            *(
                client_loop(n, http, tally, clients, list(versions), weights, args.think_ms, deadline, args.seed)
                for n in range(args.clients)
            )
        )
        wall = time.perf_counter() - started
        metrics = (await http.get("/metrics")).text
    every = [v for values in tally.latencies.values() for v in values]
    errors = sum(tally.errors.values())
    overall = percentiles(every)
    return {
        "ready_s": round(ready_s, 1),
        "warmup_s": warm,
        "sampled_clients": len(clients),
        "mutation_pool": len(versions),
        "wall_s": round(wall, 1),
        "requests": len(every) + tally.errors["transport"],
        "throughput_rps": round(len(every) / wall, 1),
        "overall": overall,
        "operations": {op: percentiles(tally.latencies[op]) for op in OPERATIONS},
        "errors": {"total": errors, **dict(tally.errors)},
        "error_examples": tally.examples,
        "conflicts": tally.conflicts,
        "mutations_ok": tally.mutations_ok,
        "server_snapshot_loads": _metric(metrics, "flowmap_snapshot_loads_total"),
        "server_assessments_computed": _metric(metrics, "flowmap_assessments_computed_total"),
        "target": {
            "p95_ms": TARGET_P95_MS,
            "errors": 0,
            "met": errors == 0 and overall.get("p95_ms", float("inf")) < TARGET_P95_MS,
        },
    }


def _metric(text: str, name: str) -> float | None:
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


def git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=PROJECT, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return out.stdout.strip()


def run(args: argparse.Namespace) -> dict[str, Any]:
    def step(message: str) -> None:
        print(f"[load] {message}", file=sys.stderr, flush=True)

    token = secrets.token_urlsafe(24)
    with tempfile.TemporaryDirectory(prefix="flowmap-load-") as tmp:
        work = Path(tmp)
        data, map_info = prepare(args, work, step)
        port = free_port()
        log = work / "server.log"
        step(f"starting flowmap serve on 127.0.0.1:{port}")
        proc = start_server(data, port, token, log)
        try:
            measured = asyncio.run(drive(args, port, token, proc, step))
            rss = peak_rss_mb(proc.pid)
        finally:
            code = stop_server(proc)
            lines = log.read_text(errors="replace").splitlines()
        step(f"server stopped with exit code {code}")
    clean = any("shutdown complete" in line for line in lines)
    return {
        "date": date.today().isoformat(),
        "machine": machine() | {"load_average_at_end": os.getloadavg()},
        "git_commit": git_commit(),
        "settings": {
            "clients": args.clients,
            "duration_s": args.duration,
            "think_ms_mean": args.think_ms,
            "weights": {
                "transfers": args.transfers,
                "exposure": args.exposure,
                "findings": args.findings,
                "mutation": args.mutations,
            },
            "query_clients": args.query_clients,
            "pool": args.pool,
            "request_timeout_s": args.timeout,
            "transport": "httpx.AsyncClient over loopback TCP, HTTP/1.1 keep-alive, one process for all clients",
        },
        "map": map_info,
        **measured,
        "server": {"peak_rss_mb": rss, "exit_code": code, "clean_shutdown": clean, "log_lines": len(lines)},
    }


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--size", default="M", help="ecosystem size (bench.ecosystem.SIZES) [M: 110k engagements]")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--seed-map", action="store_true", help="serve the small seed map instead (plumbing test)")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    p.add_argument("--think-ms", type=float, default=1000.0, help="mean think time between a client's requests")
    p.add_argument("--query-clients", type=int, default=200, help="how many of the map's clients are asked about")
    p.add_argument("--pool", type=int, default=20, help="engagements the mutations go to")
    p.add_argument("--transfers", type=float, default=0.4)
    p.add_argument("--exposure", type=float, default=0.25)
    p.add_argument("--findings", type=float, default=0.25)
    p.add_argument("--mutations", type=float, default=0.1)
    p.add_argument("--timeout", type=float, default=60.0, help="per-request timeout, s (a timeout is an error)")
    p.add_argument("--out", type=Path, default=RESULTS / "load.json")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    results = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    o = results["overall"]
    print(
        f"{results['requests']} requests in {results['wall_s']} s: {results['throughput_rps']} req/s; "
        f"p50 {o.get('p50_ms')} / p95 {o.get('p95_ms')} / p99 {o.get('p99_ms')} ms; "
        f"errors {results['errors']['total']}, conflicts {results['conflicts']}; target met: {results['target']['met']}"
    )
    for op, s in results["operations"].items():
        print(f"  {op:<10} {s}")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
