"""The scale run (issue 7): the engine against two baselines on one generated ecosystem, every figure with its ratio.

``python -m bench.scale --size S|M|L`` (or ``bench/run --size M``) generates the ecosystem (``bench.ecosystem``) into a
temporary bulk directory, imports it with ``flowmap import``, asks its questions of the engine and of the baselines
in ``bench.baselines`` (``PythonBFS``, ``SQLiteCTE``), and writes ``bench/results/scale-<SIZE>.json``.

The baselines answer reachability questions only; they know no law. So every baseline ratio compares the same
question, asked of the engine's walk (``chains.Walk``, what ``assess`` runs before it judges anything), and the
engine's full legal answers are rows of their own, against the issue's targets (and beside the walk they rest on):

1. ``import``: ``flowmap import DIR`` into a fresh ``FLOWMAP_DATA_DIR`` (a subprocess, end to end; also the
   import's own time from its ``engagements/s`` line), against loading the same directory into each baseline;
   the engine's read of the imported store into memory (``store.read_tables()``) is reported beside it.
2. ``client_destinations``: one client's reach, ``{(e.importer, c) for e in Walk(view, client,
   view.first_hops(client), max_depth) for c in e.countries}``, for a sample of clients spread over the
   distribution of direct-engagement counts (the busiest first), against each baseline's
   ``client_destinations(c, day)``: the same question, the answers compared exactly.
3. ``client_assessment``: one client's full assessment, ``assess(tables, day, kb, clients=[c])`` (every transfer
   judged), for the same clients: against the target (p95 <= 100 ms), no baseline.
4. ``api``: ``transfers(clientId: c, first: 100)`` and ``exposure(clientId: c)`` over HTTP (``bench.api``: the real
   app through ``httpx.ASGITransport``) on the imported store, warm (an assessment cache hit) and uncached (a new
   ``asOf`` each run), against the engine in-process on the same days (the overhead ratio, target <= 1.5).
5. ``clients_reaching_US``: ``flowmap.domain.portfolio.clients_reaching`` against each baseline's (the same
   question: each client's walk stops at its first engagement in the US).
6. ``dpf_only_transfers``: the (client, engagement) pairs where a client's data reaches an engagement to the US
   resting on DPF alone (declared mechanisms exactly {DPF_EU_US}): the walk of every client's first hops, against
   each baseline's ``dpf_only_transfers(day)``: the same question, the answers compared exactly.
7. ``what_if_dpf_revoked``: the what-if with DPF revoked on the day over the whole map (``portfolio.what_if``, or
   ``scenario.run_scenario`` where that is the engine's name for it; it judges each touched transfer twice):
   against the target (<= 5 s), no baseline; its rows at the DPF-only engagements are checked against the pairs
   of question 6.

Every phase runs in a fresh subprocess (``python -m bench.scale --worker``), so its peak RSS is its own: the parent
reaps each with ``os.wait4``, whose ``ru_maxrss`` is that child's (and its own children's) peak, the figure
``resource.getrusage(RUSAGE_CHILDREN)`` would give in a parent that had run only that child. Each question
phase loads its input itself (the engine reads the imported store; a baseline loads the bulk directory) and then
times only the question. Times are p50 / p95 / max over the runs (p95 interpolated between order statistics).
Ratios: for the same questions ``baseline / engine`` (above 1: the engine is faster), for the API ``HTTP / engine``
(the API's overhead), for memory ``baseline peak / engine peak``; for a full legal answer ``legal answer / walk``
(what judging costs on top of the walk); each from the numbers stored beside it. ``targets`` says, per target of
the issue, the figure and whether it is met. Answers are compared where two systems compute the same thing, and
differences are recorded under ``checks``, never raised. A SQLite question that runs past ``--timeout`` is
interrupted and recorded as skipped; ``--skip`` leaves out a system or one of its questions (``--skip sqlite:dpf``).

Whatever the engine does not offer (``store.read_tables``, the portfolio functions) is recorded as skipped with
the reason; ``assess`` then reads the map as a ``FlowMap``, which it also takes.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import gc
import importlib
import json
import os
import platform
import re
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.ecosystem import ENGAGEMENTS_CSV, ORGANIZATIONS_CSV, SIZES, Size

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"
DAY = date(2025, 6, 1)  # the day bench.baselines and bench.ecosystem's docstring use
FIRST_HOP = frozenset({"C2P", "C2C"})
PROCESSOR = frozenset({"C2P", "P2P"})
SYSTEMS = ("engine", "python", "sqlite")
BASELINE_NAMES = {"python": "PythonBFS", "sqlite": "SQLiteCTE"}
BASELINE_QUESTIONS = ("client", "reaching", "dpf")  # the same question, asked of the engine and both baselines
QUESTIONS = ("client", "assess", "reaching", "dpf", "whatif")  # in the order asked
QUESTION_KEYS = {
    "client": "client_destinations",
    "assess": "client_assessment",
    "reaching": "clients_reaching_US",
    "dpf": "dpf_only_transfers",
    "whatif": "what_if_dpf_revoked",
}
LEGAL = {"assess": "client", "whatif": "dpf"}  # a full legal answer, and the same-question walk it rests on
COUNTRY = "US"
EXAMPLES = 5  # differing answers kept per check
DPF = "DPF_EU_US"


@dataclass(frozen=True)
class Plan:
    """How much to run; the defaults keep ``--size M`` under ten minutes on a 2-core machine."""

    runs: int = 3  # imports, baseline loads, and each whole-map question
    client_runs: int = 3  # each sampled client, per system
    clients: int = 20  # clients sampled for question 2
    api_clients: int = 5  # of those, asked over HTTP (the busiest first)
    api_runs: int = 5  # warm and uncached calls per query and client
    timeout: float = 300.0  # seconds: a longer SQLite question is interrupted; no further runs of any question
    phase_limit: float = 3600.0  # seconds: a phase still running is killed


# --- numbers ---------------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile (0..1), linear between order statistics (statistics.quantiles' inclusive method)."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    at = q * (len(ordered) - 1)
    low = int(at)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


def stats(values: Sequence[float], unit: str = "ms") -> dict[str, Any]:
    """p50 / p95 / max of timings given in seconds, in ``unit`` (ms or s), and the number of runs."""
    scale = 1000.0 if unit == "ms" else 1.0
    digits = 3 if unit == "ms" else 4
    return {
        "unit": unit,
        "p50": round(percentile(values, 0.5) * scale, digits),
        "p95": round(percentile(values, 0.95) * scale, digits),
        "max": round(max(values) * scale, digits),
        "runs": len(values),
    }


def ratio(numerator: dict[str, Any], denominator: dict[str, Any]) -> dict[str, float | None]:
    """numerator / denominator for p50, p95 and max of two ``stats`` in the same unit (None where undefined)."""
    if numerator["unit"] != denominator["unit"]:
        raise ValueError(f"ratio of {numerator['unit']} to {denominator['unit']}")
    return {k: round(numerator[k] / denominator[k], 3) if denominator[k] else None for k in ("p50", "p95", "max")}


def rss_ratio(numerator: dict[str, Any], denominator: dict[str, Any]) -> float | None:
    a, b = numerator.get("peak_rss_mb"), denominator.get("peak_rss_mb")
    return round(a / b, 3) if a and b else None


# --- the machine ------------------------------------------------------------------------------------------------


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def _meminfo_gb() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024**2, 1)
    except OSError:
        pass
    return None


def _os_name() -> str:
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                return line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    return platform.system()


def machine() -> dict[str, Any]:
    from bench.assessment import machine as base

    try:
        ladybug = metadata.version("ladybug")
    except metadata.PackageNotFoundError:
        ladybug = None
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        **base(),
        "ram_gb": _meminfo_gb(),
        "os": _os_name(),
        "ladybug": ladybug,
        "load_average_at_start": [round(x, 2) for x in load] if load else None,
        "git_commit": _git("rev-parse", "HEAD") or None,
        "git_dirty": bool(_git("status", "--porcelain", "--untracked-files=no")),
    }


# --- phases as subprocesses -------------------------------------------------------------------------------------


@dataclass
class Finished:
    returncode: int
    seconds: float
    peak_rss_mb: float
    killed: bool


def spawn(command: list[str], limit: float, env: dict[str, str] | None = None, log: Path | None = None) -> Finished:
    """Run ``command`` to its end (killing its process group after ``limit`` s): wall time and peak RSS."""
    started = time.perf_counter()
    out = log.open("wb") if log else None
    try:
        child = subprocess.Popen(
            command, env=env, cwd=ROOT, stdout=out or subprocess.DEVNULL, stderr=out, start_new_session=True
        )
        killed = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > limit:
                os.killpg(child.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(child.pid, 0)
                killed = True
                break
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if out:
            out.close()
    return Finished(child.returncode, seconds, round(usage.ru_maxrss / 1024, 1), killed)


def run_worker(work: Path, name: str, spec: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """One phase in a fresh interpreter: its JSON result, with ``process_s`` and ``peak_rss_mb`` added."""
    spec_file, out_file, log = work / f"{name}.spec.json", work / f"{name}.out.json", work / f"{name}.log"
    spec_file.write_text(json.dumps(spec))
    out_file.unlink(missing_ok=True)
    done = spawn(
        [sys.executable, "-m", "bench.scale", "--worker", str(spec_file), str(out_file)], plan.phase_limit, _env(), log
    )
    if done.killed:
        result: dict[str, Any] = {"skipped": f"killed after {plan.phase_limit:.0f} s (--phase-limit)"}
    elif out_file.is_file():
        result = json.loads(out_file.read_text())
    else:
        tail = log.read_text(errors="replace")[-1500:] if log.is_file() else ""
        result = {"error": f"the worker exited with {done.returncode}: {tail}"}
    if "skipped" not in result and "error" not in result:
        result["process_s"] = round(done.seconds, 3)
        result["peak_rss_mb"] = done.peak_rss_mb
    return result


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return env


# --- the workers (run inside the subprocess) ---------------------------------------------------------------------


class Skipped(Exception):
    """A question this checkout or this run cannot ask; the message says why."""


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    answer = fn()
    return time.perf_counter() - start, answer


_RUNS_PEAK_MB: list[float] = []  # this worker's peak RSS at the end of each _repeat


def _repeat(fn: Callable[[], Any], runs: int, timeout: float) -> tuple[list[float], Any]:
    """Run ``fn`` up to ``runs`` times, stopping early once the runs so far took longer than ``timeout``.

    A run's answer is dropped before the next starts (a what-if's 5M rows must not be held twice), and the process's
    peak RSS so far is noted at the end: the peak of loading and asking, before the answers are written out.
    """
    times: list[float] = []
    answer = None
    for _ in range(runs):
        answer = None
        seconds, answer = _timed(fn)
        times.append(seconds)
        if sum(times) > timeout:
            break
    _RUNS_PEAK_MB.append(round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1))
    return times, answer


def _work_generate(spec: dict[str, Any]) -> dict[str, Any]:
    from bench.ecosystem import write_bulk

    size = Size(*spec["size"])
    summary = write_bulk(spec["dir"], size, spec["seed"])
    files = list(Path(spec["dir"]).glob("*.csv"))
    return {
        "seconds": round(summary.seconds, 3),
        "organizations": summary.organizations,
        "engagements": summary.engagements,
        "roles": summary.roles,
        "bytes": sum(f.stat().st_size for f in files),
    }


def _load_baseline(system: str, directory: str) -> tuple[float, Any]:
    from bench.baselines import PythonBFS, SQLiteCTE

    loader = PythonBFS.load if system == "python" else SQLiteCTE.load
    seconds, baseline = _timed(lambda: loader(directory))
    _settle()
    return seconds, baseline


def _settle() -> None:
    """What the API does after loading a snapshot (``flowmap.service.snapshot``), done for every system alike:
    the loaded input is moved out of the cyclic GC's sight, so its full collections do not rescan it."""
    gc.collect()
    gc.freeze()


def _work_load(spec: dict[str, Any]) -> dict[str, Any]:
    seconds, _ = _load_baseline(spec["system"], spec["dir"])
    return {"load_s": round(seconds, 4)}


def _day(spec: dict[str, Any]) -> date:
    return date.fromisoformat(spec["day"])


def _write_answers(spec: dict[str, Any], answers: Any) -> None:
    Path(spec["answers"]).write_text(json.dumps(answers))


def _work_baseline(spec: dict[str, Any]) -> dict[str, Any]:
    system, question, day, runs = spec["system"], spec["question"], _day(spec), spec["runs"]
    load_s, baseline = _load_baseline(system, spec["dir"])

    def arm() -> None:  # a SQLite statement running past the timeout is interrupted
        if system == "sqlite":
            baseline.interrupt_after(spec["timeout"])

    result: dict[str, Any] = {"load_s": round(load_s, 4)}
    answers: Any
    try:
        if question == "client":
            per_client: dict[str, Any] = {}
            answers = {}
            for client in spec["clients"]:

                def ask(c: str = client) -> set[tuple[str, str]]:
                    arm()
                    return set(baseline.client_destinations(c, day))

                times, found = _repeat(ask, runs, float("inf"))
                per_client[client] = {"seconds": times, "destinations": len(found)}
                answers[client] = sorted(map(list, found))
            result |= _client_summary(per_client)
        elif question == "reaching":

            def reaching() -> set[str]:
                arm()
                return set(baseline.clients_reaching(COUNTRY, day))

            times, found = _repeat(reaching, runs, spec["timeout"])
            result |= {"time": stats(times), "answers": {"clients": len(found)}}
            answers = sorted(found)
        else:

            def dpf() -> set[tuple[str, str]]:
                arm()
                return set(baseline.dpf_only_transfers(day))

            times, found = _repeat(dpf, runs, spec["timeout"])
            result |= {"time": stats(times), "answers": {"transfers": len(found)}}
            answers = sorted(map(list, found))
    except sqlite3.OperationalError as exc:
        raise Skipped(f"{exc}: a run took over {spec['timeout']:.0f} s (--timeout)") from exc
    _write_answers(spec, answers)
    return result


def _client_summary(per_client: dict[str, Any]) -> dict[str, Any]:
    """Pooled stats over every client and run, the busiest client's (the first), and per client p50s in ms."""
    pooled = [t for c in per_client.values() for t in c["seconds"]]
    busiest = next(iter(per_client))
    return {
        "time": stats(pooled),
        "busiest": {"client": busiest, "time": stats(per_client[busiest]["seconds"])},
        "per_client": {
            c: {k: v for k, v in r.items() if k != "seconds"} | {"p50_ms": stats(r["seconds"])["p50"]}
            for c, r in per_client.items()
        },
    }


async def _engine_input(data_dir: str) -> tuple[Any, str, float]:
    """The imported map as the engine reads it: MapTables from the store if it can, else a FlowMap."""
    from flowmap.settings import Settings, StoreKind
    from flowmap.store import open_store

    store = await open_store(Settings(store=StoreKind.EMBEDDED, data_dir=Path(data_dir)))
    try:
        start = time.perf_counter()
        tables: Any
        if hasattr(store, "read_tables"):
            tables, kind = await store.read_tables(), "MapTables (store.read_tables)"
        else:
            tables, kind = await store.read_map(), "FlowMap (store.read_map: store.read_tables is not there yet)"
        seconds = time.perf_counter() - start
        _settle()
        return tables, kind, seconds
    finally:
        await store.close()


# Where each whole-map question is answered: the first of these that exists.
ENGINE_FUNCTIONS = {
    "reaching": (("flowmap.domain.portfolio", "clients_reaching"),),
    "whatif": (("flowmap.domain.portfolio", "what_if"), ("flowmap.domain.scenario", "run_scenario")),
}
WALK = "flowmap.domain.chains.Walk"
ENGINE_NAMES = {
    "client": f"{WALK} over the client's first hops (reach only)",
    "assess": "flowmap.domain.assess.assess",
    "dpf": f"{WALK} over every client's first hops (reach only)",
}


def _engine_function(question: str) -> tuple[str, Callable[..., Any] | None]:
    """The engine's function for a question and its dotted name; Skipped if this checkout has none."""
    if question in ENGINE_NAMES:
        if question != "assess" and not hasattr(importlib.import_module("flowmap.domain.chains"), "Walk"):
            raise Skipped(f"{WALK} is not in this checkout yet")
        return ENGINE_NAMES[question], None
    for module_name, name in ENGINE_FUNCTIONS[question]:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        fn = getattr(module, name, None)
        if fn is not None:
            return f"{module_name}.{name}", fn
    wanted = " or ".join(f"{m}.{n}" for m, n in ENGINE_FUNCTIONS[question])
    raise Skipped(f"{wanted} is not in this checkout yet")


def _as_tables(flow_map_or_tables: Any) -> Any:
    """MapTables for the walks and the portfolio questions (built from a FlowMap when the store cannot read tables
    yet)."""
    try:
        map_tables = importlib.import_module("flowmap.domain.tables").MapTables
    except (ImportError, AttributeError) as exc:
        raise Skipped(f"flowmap.domain.tables.MapTables is not in this checkout yet ({exc})") from exc
    if isinstance(flow_map_or_tables, map_tables):
        return flow_map_or_tables
    return map_tables.from_map(flow_map_or_tables)


def _fresh_view(tables: Any, day: date) -> Any:
    """What ``tables.on(day)`` builds on a miss: each timed run pays for its own day view (and its list of
    clients), as each baseline run does, instead of finding the last run's in ``tables.on``'s cache."""
    from flowmap.domain.tables import DayView

    return DayView(tables, day)


def client_reach(tables: Any, day: date, client: str, max_depth: int) -> set[tuple[str, str]]:
    """``client_destinations``' question asked of the engine: (importer, country) of every engagement the client's
    data reaches (``Walk`` yields each at its first arrival)."""
    from flowmap.domain.chains import Walk

    view = _fresh_view(tables, day)
    return {(e.importer, c) for e in Walk(view, client, view.first_hops(client), max_depth) for c in e.countries}


def dpf_only_reach(tables: Any, day: date, max_depth: int) -> set[tuple[str, str]]:
    """``dpf_only_transfers``' question asked of the engine: (client, engagement) for every engagement naming the US
    whose declared mechanisms are exactly DPF that a client's data reaches, walking all of every client's first
    hops (as the baselines, which know no law: no client is left out for want of a regime). The engagements
    resting on DPF alone are found in each run (the baselines mark them while loading)."""
    from flowmap.domain.chains import Walk

    dpf_only = frozenset(
        e for e in tables.edges if COUNTRY in e.countries and {m.code.value for m in e.mechanisms} == {DPF}
    )
    view = _fresh_view(tables, day)
    return {
        (client, e.key)
        for client in view.clients()
        for e in Walk(view, client, view.first_hops(client), max_depth)
        if e in dpf_only
    }


def _transfer_pairs(assessment: Any) -> list[list[str]]:
    """(importer, destination) of each transfer with a known destination."""
    pairs = {(t.importer, t.destination) for t in assessment.transfers if t.destination is not None}
    return [list(p) for p in sorted(pairs)]


def _client_ids(answer: Any) -> list[str]:
    """clients_reaching's answer as client ids, whatever collection it comes in."""
    for attr in ("clients", "client_ids"):
        if hasattr(answer, attr):
            answer = getattr(answer, attr)
            break
    if isinstance(answer, dict):
        answer = answer.keys()
    out = set()
    for item in answer:
        out.add(item if isinstance(item, str) else getattr(item, "id", None) or item.client)
    return sorted(out)


def _dpf_only_us(directory: Path) -> frozenset[str]:
    """Engagements naming the US whose declared mechanisms are exactly DPF (bench.baselines' ``dpf_only``)."""
    from bench.baselines import _codes, _pipe

    with (directory / ENGAGEMENTS_CSV).open(newline="", encoding="utf-8") as f:
        return frozenset(
            c["id"] for c in csv.DictReader(f) if COUNTRY in _pipe(c["countries"]) and _codes(c["mechanisms"]) == {DPF}
        )


def _what_if_answers(result: Any, directory: Path) -> tuple[dict[str, Any], list[list[str]]]:
    """The what-if's answer sizes, and (client, last engagement, change) of its rows to the US at an engagement
    resting on DPF alone: the pairs ``dpf_only_transfers`` lists, each of which the what-if must touch.

    Read from ``result.by_client()`` (``ScenarioRow``: change, client, destination, reach) when it has it, else
    from ``to_json()``.
    """
    if hasattr(result, "by_client"):  # one walk per client, whatever the order rows are listed in
        rows = [
            (r.client, r.reach.edge.key, r.destination, r.change.value)
            for _, by_change in result.by_client()
            for listed in by_change.values()
            for r in listed
        ]
    else:
        rows = [(r["client"], r["path"][-1], r["destination"], r["change"]) for r in result.to_json()["rows"]]
    changes = Counter(change for *_, change in rows)
    sizes = {
        "transfers_touched": len(rows),
        "by_change": dict(sorted(changes.items())),
        "clients_with_a_broken_transfer": len({client for client, *_, change in rows if change == "BROKEN"}),
    }
    dpf_only = _dpf_only_us(directory)
    mine = sorted({(c, e, change) for c, e, dest, change in rows if dest == COUNTRY and e in dpf_only})
    sizes["dpf_only_us_transfers_touched"] = len(mine)
    return sizes, [list(x) for x in mine]


def _per_client(clients: list[str], runs: int, ask: Callable[[str], Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """``ask(client)`` ``runs`` times per client: per client its times and what ``ask`` returned last."""
    per_client: dict[str, Any] = {}
    answers: dict[str, Any] = {}
    for client in clients:
        times, answer = _repeat(partial(ask, client), runs, float("inf"))
        per_client[client] = {"seconds": times}
        answers[client] = answer
    return per_client, answers


async def _work_engine(spec: dict[str, Any]) -> dict[str, Any]:
    from flowmap.domain.assess import assess
    from flowmap.law import load_knowledge_base

    question, day, runs, depth = spec["question"], _day(spec), spec["runs"], spec["max_depth"]
    # Looked up before reading the map, so a question this checkout cannot ask is skipped at once.
    function, asked = _engine_function(question)
    kb = load_knowledge_base()
    tables, kind, read_s = await _engine_input(spec["data_dir"])
    if question != "assess":
        tables = _as_tables(tables)
        _settle()
    result: dict[str, Any] = {"function": function, "input": kind, "read_s": round(read_s, 4)}
    if question == "client":
        per_client, reach = _per_client(spec["clients"], runs, lambda c: client_reach(tables, day, c, depth))
        for client, pairs in reach.items():
            per_client[client]["destinations"] = len(pairs)
        _write_answers(spec, {c: sorted(map(list, pairs)) for c, pairs in reach.items()})
        return result | _client_summary(per_client)
    if question == "assess":
        per_client, assessed = _per_client(
            spec["clients"], runs, lambda c: assess(tables, day, kb, clients=[c], max_depth=depth)
        )
        for client, assessment in assessed.items():
            pairs = _transfer_pairs(assessment)
            per_client[client] |= {"transfers": len(assessment.transfers), "destinations": len(pairs)}
        _write_answers(spec, {c: _transfer_pairs(a) for c, a in assessed.items()})
        return result | _client_summary(per_client)
    if question == "dpf":
        times, found = _repeat(lambda: dpf_only_reach(tables, day, depth), runs, spec["timeout"])
        _write_answers(spec, sorted(map(list, found)))
        return result | {"time": stats(times), "answers": {"transfers": len(found)}}
    assert asked is not None
    if question == "reaching":
        times, answer = _repeat(lambda: asked(tables, day, kb, COUNTRY, max_depth=depth), runs, spec["timeout"])
        ids = _client_ids(answer)
        _write_answers(spec, ids)
        return result | {"time": stats(times), "answers": {"clients": len(ids)}}
    from flowmap.domain.mechanisms import MechanismCode
    from flowmap.domain.scenario import Revocation

    revoke = [Revocation(MechanismCode.DPF_EU_US, effective=day)]
    times, answer = _repeat(lambda: asked(tables, day, kb, revoke=revoke, max_depth=depth), runs, spec["timeout"])
    sizes, rows = _what_if_answers(answer, Path(spec["dir"]))
    _write_answers(spec, rows)
    return result | {"time": stats(times), "answers": sizes}


async def _work_api(spec: dict[str, Any]) -> dict[str, Any]:
    import httpx

    from bench.api import EXPOSURE, TRANSFERS, Client, bench_query, millis
    from flowmap.api.app import create_app
    from flowmap.domain.assess import assess
    from flowmap.law import load_knowledge_base
    from flowmap.settings import Settings, StoreKind
    from flowmap.store import open_store

    day, runs, depth = _day(spec), spec["runs"], spec["max_depth"]
    kb = load_knowledge_base()
    tables, kind, read_s = await _engine_input(spec["data_dir"])
    gc.collect()
    settings = Settings(store=StoreKind.EMBEDDED, data_dir=Path(spec["data_dir"]))
    store = await open_store(settings)
    results: dict[str, Any] = {"input": kind, "read_s": round(read_s, 4), "clients": {}}
    try:
        app = create_app(settings, store=store)
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://flowmap.bench") as http,
        ):
            client = Client(http)
            start = time.perf_counter()
            await client.ask("{ stats { revision } }", {})
            results["first_request_ms"] = round(millis(start), 2)
            offset = 0
            for client_id in spec["clients"]:

                def engine(on: date, c: str = client_id) -> int:
                    return len(assess(tables, on, kb, clients=[c], max_depth=depth).transfers)

                per_query: dict[str, Any] = {}
                for name, query in (("transfers", TRANSFERS), ("exposure", EXPOSURE)):
                    warm_day = day - timedelta(days=offset)
                    days = [warm_day - timedelta(days=1 + i) for i in range(runs)]
                    offset += 1 + runs
                    per_query[name] = await bench_query(
                        client, name, query, client_id, engine, warm_day, days, strict=False
                    )
                results["clients"][client_id] = per_query
    finally:
        await store.close()
    return results


def worker(spec_file: Path, out_file: Path) -> None:
    spec = json.loads(spec_file.read_text())
    phase = spec["phase"]
    try:
        if phase == "generate":
            result = _work_generate(spec)
        elif phase == "load":
            result = _work_load(spec)
        elif phase == "api":
            result = asyncio.run(_work_api(spec))
        elif spec["system"] == "engine":
            result = asyncio.run(_work_engine(spec))
        else:
            result = _work_baseline(spec)
    except Skipped as exc:
        result = {"skipped": str(exc)}
    except Exception:  # recorded in the JSON, not raised: one failing phase must not lose the others
        result = {"error": traceback.format_exc(limit=8)[-3000:]}
    if _RUNS_PEAK_MB and "skipped" not in result and "error" not in result:
        result["peak_rss_mb_runs"] = max(_RUNS_PEAK_MB)  # the whole process's (peak_rss_mb) adds writing the answers
    out_file.write_text(json.dumps(result))


# --- the run (the parent) ------------------------------------------------------------------------------------------


def _active(cells: dict[str, str], day: str) -> bool:
    return (not cells["valid_from"] or cells["valid_from"] <= day) and (
        not cells["valid_to"] or day <= cells["valid_to"]
    )


def sample_clients(directory: Path, day: date, k: int) -> list[dict[str, Any]]:
    """``k`` controllers spread evenly over the ranking by active direct engagements, the busiest first.

    A controller sends data as C2P or C2C on ``day`` and is nobody's processor on any day (a vendor engaging
    vendors for its own data is left out); ties rank by id, so the sample is deterministic.
    """
    d = day.isoformat()
    own: Counter[str] = Counter()
    controllers: set[str] = set()
    processors: set[str] = set()
    with (directory / ENGAGEMENTS_CSV).open(newline="", encoding="utf-8") as f:
        for cells in csv.DictReader(f):
            if cells["role"] in PROCESSOR:
                processors.add(cells["to"])  # on any day
            if not _active(cells, d):
                continue
            own[cells["from"]] += 1
            if cells["role"] in FIRST_HOP:
                controllers.add(cells["from"])
    ranked = sorted(controllers - processors, key=lambda c: (-own[c], c))
    if not ranked:
        raise ValueError(f"no controller has an active engagement on {day}")
    n = len(ranked)
    ranks = sorted({round(i * (n - 1) / (k - 1)) for i in range(k)}) if k > 1 else [0]
    return [{"client": ranked[r], "rank": r + 1, "direct_engagements": own[ranked[r]]} for r in ranks]


def _countries(directory: Path, ids: Iterable[str]) -> dict[str, str]:
    wanted = set(ids)
    with (directory / ORGANIZATIONS_CSV).open(newline="", encoding="utf-8") as f:
        return {c["id"]: c["country"] for c in csv.DictReader(f) if c["id"] in wanted}


def _without_regime(run: Run, clients: Iterable[str]) -> set[str]:
    """The clients no regime applies to on the day (their country is in no regime's area): the engine lists no
    transfers for them, while the baselines, which know no law, follow their data all the same."""
    areas, _ = _outside_areas(_countries(run.bulk, clients), run.day)
    return {c for c, area in areas.items() if area is None}


def _outside_areas(countries: dict[str, str], day: date) -> tuple[dict[str, frozenset[str] | None], frozenset[str]]:
    """Per client, the countries inside its regime's area (None: no regime); and the EEA's (the EU regime's area).

    The engine reports a transfer only to a country outside the client's area, and never for a hop stated to stay
    within the EU/EEA, so the destinations are compared outside both.
    """
    from flowmap.law import load_knowledge_base

    kb = load_knowledge_base()

    def area_of(country: str) -> frozenset[str] | None:
        for regime in kb.regimes:
            if regime.holds_on(day) and any(m.country == country and m.holds_on(day) for m in regime.area):
                return kb.area_on(regime.code, day)
        return None

    return {c: area_of(country) if country else None for c, country in countries.items()}, area_of("DE") or frozenset()


def _difference(engine: Iterable[Any], baseline: Iterable[Any]) -> dict[str, Any]:
    e, b = (
        {tuple(x) if isinstance(x, list) else x for x in engine},
        {tuple(x) if isinstance(x, list) else x for x in baseline},
    )
    only_e, only_b = sorted(e - b), sorted(b - e)
    return {
        "engine": len(e),
        "baseline": len(b),
        "common": len(e & b),
        "engine_only": len(only_e),
        "baseline_only": len(only_b),
        "examples_engine_only": [list(x) if isinstance(x, tuple) else x for x in only_e[:EXAMPLES]],
        "examples_baseline_only": [list(x) if isinstance(x, tuple) else x for x in only_b[:EXAMPLES]],
        "match": not only_e and not only_b,
    }


def _read_answers(path: Path) -> Any:
    return json.loads(path.read_text()) if path.is_file() else None


class Run:
    def __init__(
        self, size_name: str, size: Size, seed: int, day: date, max_depth: int, plan: Plan, skip: set[str], work: Path
    ) -> None:
        self.size_name, self.size, self.seed, self.day, self.max_depth = size_name, size, seed, day, max_depth
        self.plan, self.skip, self.work = plan, skip, work
        self.bulk = work / "bulk"
        self.answers = work / "answers"
        self.answers.mkdir(parents=True, exist_ok=True)
        self.started = time.perf_counter()

    def say(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:7.1f} s] {message}", file=sys.stderr, flush=True)

    def skipped(self, system: str, question: str | None = None) -> str | None:
        """Why this system (or its question) is left out, if it is: ``--skip KEY`` or ``--skip KEY=REASON``."""
        reasons = {key: reason for key, _, reason in (item.partition("=") for item in self.skip)}
        for key in (system, f"{system}:{question}", BASELINE_NAMES.get(system, system)):
            if key in reasons:
                return f"--skip {key}" + (f": {reasons[key]}" if reasons[key] else "")
        return None

    def spec(self, **fields: Any) -> dict[str, Any]:
        return {
            "dir": str(self.bulk),
            "day": self.day.isoformat(),
            "max_depth": self.max_depth,
            "timeout": self.plan.timeout,
            **fields,
        }

    # --- phases

    def generate(self) -> dict[str, Any]:
        self.say(f"generating {self.size_name} {self.size} (seed {self.seed})")
        spec = {
            "phase": "generate",
            "dir": str(self.bulk),
            "size": list(self.size.__dict__.values()),
            "seed": self.seed,
        }
        result = run_worker(self.work, "generate", spec, self.plan)
        if "error" in result or "skipped" in result:
            raise RuntimeError(f"generating the ecosystem failed: {result}")
        self.say(
            f"  {result['engagements']:,} engagements, {result['bytes'] / 1e6:,.0f} MB in "
            f"{result['seconds']:.1f} s, peak {result['peak_rss_mb']:,.0f} MB"
        )
        return result

    def flowmap_import(self) -> tuple[dict[str, Any], Path]:
        exe = Path(sys.executable).parent / "flowmap"
        command = (
            [str(exe), "import", str(self.bulk)]
            if exe.exists()
            else [sys.executable, "-m", "flowmap.cli", "import", str(self.bulk)]
        )
        process, inner, peaks = [], [], []
        data = self.work / "data-0"
        for i in range(self.plan.runs):
            if data.exists():
                shutil.rmtree(data)
            data = self.work / f"data-{i}"
            log = self.work / f"import-{i}.log"
            env = _env(FLOWMAP_DATA_DIR=str(data), FLOWMAP_STORE="embedded")
            done = spawn(command, self.plan.phase_limit, env, log)
            text = log.read_text(errors="replace")
            if done.returncode != 0:
                raise RuntimeError(f"flowmap import failed ({done.returncode}): {text[-2000:]}")
            rate = re.search(r"\(([\d,.]+) engagements/s\)", text)
            engagements_per_s = float(rate.group(1).replace(",", "")) if rate else None
            process.append(done.seconds)
            peaks.append(done.peak_rss_mb)
            if engagements_per_s:
                inner.append(self.size.engagements / engagements_per_s)
            self.say(
                f"  flowmap import {i + 1}/{self.plan.runs}: {done.seconds:.2f} s end to end"
                + (f" ({engagements_per_s:,.0f} engagements/s inside)" if engagements_per_s else "")
                + f", peak {done.peak_rss_mb:,.0f} MB"
            )
        p50 = stats(process, "s")["p50"]
        result = {
            "process_s": stats(process, "s"),
            "import_s": stats(inner, "s") if inner else None,
            "engagements_per_s_end_to_end": round(self.size.engagements / p50) if p50 else None,
            "engagements_per_s_inside": round(self.size.engagements / stats(inner, "s")["p50"]) if inner else None,
            "peak_rss_mb": max(peaks),
        }
        return result, data

    def baseline_loads(self, flowmap: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for system, name in BASELINE_NAMES.items():
            reason = self.skipped(system, "load")
            if reason:
                out[name] = {"skipped": reason}
                continue
            loads, process, peaks = [], [], []
            for i in range(self.plan.runs):
                r = run_worker(
                    self.work,
                    f"load-{system}-{i}",
                    {"phase": "load", "system": system, "dir": str(self.bulk)},
                    self.plan,
                )
                if "load_s" not in r:
                    out[name] = r
                    break
                loads.append(r["load_s"])
                process.append(r["process_s"])
                peaks.append(r["peak_rss_mb"])
                self.say(
                    f"  {name} load {i + 1}/{self.plan.runs}: {r['load_s']:.2f} s "
                    f"({r['process_s']:.2f} s end to end), peak {r['peak_rss_mb']:,.0f} MB"
                )
            else:
                entry = {"load_s": stats(loads, "s"), "process_s": stats(process, "s"), "peak_rss_mb": max(peaks)}
                entry["ratio_process"] = ratio(entry["process_s"], flowmap["process_s"])
                entry["ratio_load_to_import"] = (
                    ratio(entry["load_s"], flowmap["import_s"]) if flowmap["import_s"] else None
                )
                entry["rss_ratio"] = rss_ratio(entry, flowmap)
                out[name] = entry
        return out

    def question(self, system: str, question: str, data: Path, clients: list[str]) -> dict[str, Any]:
        name = f"{system}-{question}"
        reason = self.skipped(system, question)
        if reason:
            return {"skipped": reason}
        runs = self.plan.client_runs if question in ("client", "assess") else self.plan.runs
        spec = self.spec(
            phase="question",
            system=system,
            question=question,
            data_dir=str(data),
            runs=runs,
            clients=clients,
            answers=str(self.answers / f"{name}.json"),
        )
        self.say(f"{QUESTION_KEYS[question]}: {BASELINE_NAMES.get(system, system)} ...")
        result = run_worker(self.work, name, spec, self.plan)
        if "time" in result:
            t = result["time"]
            self.say(
                f"  p50 {t['p50']:,.1f} ms, p95 {t['p95']:,.1f}, max {t['max']:,.1f} over {t['runs']} runs; "
                + (f"answers {result['answers']}; " if "answers" in result else "")
                + f"peak {result['peak_rss_mb']:,.0f} MB"
            )
        else:
            self.say(f"  {result.get('skipped') or result.get('error', '')[-300:]}")
        return result

    def api(self, data: Path, clients: list[str]) -> dict[str, Any]:
        reason = self.skipped("api")
        if reason:
            return {"skipped": reason}
        self.say(f"api: transfers and exposure over HTTP for {len(clients)} clients ...")
        spec = self.spec(phase="api", data_dir=str(data), runs=self.plan.api_runs, clients=clients)
        result = run_worker(self.work, "api", spec, self.plan)
        if "clients" not in result:
            self.say(f"  {result.get('skipped') or result.get('error', '')[-300:]}")
            return result
        for client, queries in result["clients"].items():
            for name, q in queries.items():
                for kind in ("http_warm", "http_uncached"):
                    q[f"ratio_{kind.removeprefix('http_')}_to_engine"] = _api_ratio(q[kind], q["engine"])
                q["count_matches_engine"] = q["transfers"] == q["engine_transfers"]
                self.say(
                    f"  {client} {name}: engine {q['engine']['p50_ms']:,.1f} ms, warm {q['http_warm']['p50_ms']:,.1f}"
                    f", uncached {q['http_uncached']['p50_ms']:,.1f} (x{q['ratio_uncached_to_engine']['p50']})"
                )
        result["summary"] = _api_summary(result["clients"])
        return result


def _api_ratio(http: dict[str, Any], engine: dict[str, Any]) -> dict[str, float | None]:
    return {
        k: round(http[f"{k}_ms"] / engine[f"{k}_ms"], 3) if engine[f"{k}_ms"] else None for k in ("p50", "p95", "max")
    }


def _api_summary(clients: dict[str, Any]) -> dict[str, Any]:
    """Per query: the p50 ratios over the sampled clients (min, median, max) and whether the target holds."""
    out: dict[str, Any] = {}
    for name in ("transfers", "exposure"):
        by_kind: dict[str, Any] = {}
        for kind in ("warm", "uncached"):
            values = [c[name][f"ratio_{kind}_to_engine"]["p50"] for c in clients.values()]
            values = [v for v in values if v is not None]
            if values:
                by_kind[kind] = {
                    "p50_ratio_min": min(values),
                    "p50_ratio_median": round(percentile(values, 0.5), 3),
                    "p50_ratio_max": max(values),
                    "within_1_5": all(v <= 1.5 for v in values),
                }
        out[name] = by_kind
    return out


def _attach_ratios(entry: dict[str, Any], engine: dict[str, Any]) -> None:
    """A baseline's ratios to the engine: its time / the engine's (pooled and busiest), its peak / the engine's."""
    if "time" in engine and "time" in entry:
        entry["ratio_to_engine"] = ratio(entry["time"], engine["time"])
        if "busiest" in entry and "busiest" in engine:
            entry["busiest"]["ratio_to_engine"] = ratio(entry["busiest"]["time"], engine["busiest"]["time"])
        entry["rss_ratio"] = rss_ratio(entry, engine)


def _summed(diffs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Per-client comparisons summed up: how many, how many equal, examples of the others."""
    differing = [{"client": c, **d} for c, d in diffs.items() if not d["match"]]
    matching = len(diffs) - len(differing)
    return {
        "clients": len(diffs),
        "matching": matching,
        "differing": differing[:EXAMPLES],
        "match": bool(diffs) and matching == len(diffs),
    }


def _check_reach(engine: Any, baseline: Any) -> dict[str, Any]:
    """Each sampled client's (importer, country) pairs, engine's walk against the baseline: they should be equal."""
    diffs = {c: _difference(pairs, baseline[c]) for c, pairs in engine.items() if c in baseline}
    return {"compared": "every (importer, country) pair the client's data reaches", **_summed(diffs)}


ASKED = {
    "client": "the same question of each: one client's reach, (importer, country) of every engagement its data reaches",
    "assess": "the engine's full legal answer for one client (every transfer judged); no baseline asks it",
    "reaching": "the same question of each: which clients' data reaches the US",
    "dpf": "the same question of each: (client, engagement) where a client's data reaches an engagement to the US "
    "resting on DPF alone",
    "whatif": "the engine's full legal answer: the what-if with DPF revoked (each touched transfer judged before and "
    "after); no baseline asks it",
}


def _legal(
    run: Run, question: str, engine: dict[str, Any], walk: dict[str, Any], sample: list[dict[str, Any]]
) -> dict[str, Any]:
    """A full legal answer's row: its cost over the walk it rests on, and its answers checked against the
    baselines' answers to that walk's question."""
    out: dict[str, Any] = {"checks": {}}
    if "time" in engine and "time" in walk:
        out["ratio_to_walk"] = {
            "walk": QUESTION_KEYS[LEGAL[question]],
            "note": "legal answer time / the engine's walk for the same clients (the sample, or all): judging's cost",
            **ratio(engine["time"], walk["time"]),
        }
    base_question = LEGAL[question]
    mine = _read_answers(run.answers / f"engine-{question}.json")
    for system, name in BASELINE_NAMES.items():
        theirs = _read_answers(run.answers / f"{system}-{base_question}.json")
        if mine is None or theirs is None:
            continue
        if question == "assess":
            out["checks"][name] = _check_clients(run, mine, theirs, sample)
        else:
            lawless = _without_regime(run, {c for c, _ in theirs})
            touched = Counter(change for *_, change in mine)
            out["checks"][name] = {
                "compared": "(client, engagement) of the transfers to the US at an engagement resting on DPF "
                "alone, which the what-if must touch, against the baseline's dpf_only_transfers less its "
                "clients no regime applies to",
                "baseline_clients_without_a_regime": len(lawless),
                "engine_by_change": dict(sorted(touched.items())),
                **_difference([[c, e] for c, e, _ in mine], [p for p in theirs if p[0] not in lawless]),
            }
    return out


def _check_clients(run: Run, engine: Any, baseline: Any, sample: list[dict[str, Any]]) -> dict[str, Any]:
    """Each sampled client's destinations, outside its regime's area and the EEA, engine against baseline."""
    countries = _countries(run.bulk, (s["client"] for s in sample))
    areas, eea = _outside_areas(countries, run.day)
    diffs: dict[str, dict[str, Any]] = {}
    no_regime = []
    for client, pairs in engine.items():
        area = areas.get(client)
        if area is None:
            no_regime.append(client)  # no regime applies on the day: the engine lists no transfers for it
        if area is None or client not in baseline:
            continue
        outside = area | eea
        diffs[client] = _difference(
            [p for p in pairs if p[1] not in outside], [p for p in baseline[client] if p[1] not in outside]
        )
    return {
        "compared": "(importer, country) outside the client's regime area and the EEA",
        **_summed(diffs),
        "not_compared_no_regime": no_regime,
    }


def _target(limit: float, unit: str, value: float | None, at_most: bool = True, **about: Any) -> dict[str, Any]:
    met = None if value is None else (value <= limit if at_most else value >= limit)
    return {"target": f"{'<=' if at_most else '>='} {limit:g} {unit}", "value": value, "met": met, **about}


def _seconds(entry: dict[str, Any], key: str = "p95") -> float | None:
    t = entry.get("engine", {}).get("time")
    return round(t[key] / 1000, 3) if t else None


def targets(questions: dict[str, Any]) -> dict[str, Any]:
    """Issue 7's targets: per target the figure it is judged on, and whether it is met (None: not measured)."""
    out: dict[str, Any] = {}
    flowmap = questions["import"]["flowmap"]
    out["import_edges_per_s"] = _target(
        100_000,
        "engagements/s",
        flowmap.get("engagements_per_s_inside"),
        at_most=False,
        on="the import's own rate (its engagements/s line), p50 run",
        end_to_end=flowmap.get("engagements_per_s_end_to_end"),
    )
    assessment = questions["client_assessment"]
    t = assessment["engine"].get("time")
    out["client_assessment_p95_ms"] = _target(
        100,
        "ms",
        t["p95"] if t else None,
        on="one client's full assessment, p95 over every sampled client and run",
        busiest_p95_ms=assessment["engine"]["busiest"]["time"]["p95"] if t else None,
    )
    api = questions.get("api", {}).get("clients", {})
    worst = {
        kind: max((c["transfers"][f"http_{kind}"]["p95_ms"] for c in api.values()), default=None)
        for kind in ("uncached", "warm")
    }
    out["transfers_first_100_p95_ms"] = _target(
        150,
        "ms",
        worst["uncached"],
        on="transfers(clientId, first: 100) over HTTP, uncached (a new asOf: the API recomputes), the worst "
        "sampled client's p95",
        warm_p95_ms=worst["warm"],
    )
    out["clients_reaching_US_s"] = _target(5, "s", _seconds(questions["clients_reaching_US"]), on="p95")
    out["what_if_dpf_revoked_s"] = _target(5, "s", _seconds(questions["what_if_dpf_revoked"]), on="p95")
    peaks = {"import": flowmap.get("peak_rss_mb")} | {
        key: q["engine"].get("peak_rss_mb_runs", q["engine"].get("peak_rss_mb"))
        for key, q in questions.items()
        if isinstance(q.get("engine"), dict)
    }
    measured = {k: v for k, v in peaks.items() if v}
    heaviest = max(measured, key=lambda k: measured[k]) if measured else None
    out["peak_rss_gb"] = _target(
        2,
        "GB",
        round(measured[heaviest] / 1024, 2) if heaviest else None,
        on=f"the largest peak of the import and the engine's question phases ({heaviest}): each phase's peak while "
        "it loads and asks (peak_rss_mb_runs), before the harness writes its answers out",
        by_phase_mb=peaks,
        api_phase_mb=questions.get("api", {}).get("peak_rss_mb"),
        api_note="the API phase holds the map twice (the app's snapshot and the engine's tables for the ratio)",
    )
    ratios = [q["ratio_uncached_to_engine"]["p50"] for c in api.values() for q in c.values()]
    ratios = [r for r in ratios if r is not None]
    out["graphql_overhead"] = _target(
        1.5,
        "x",
        max(ratios) if ratios else None,
        on="HTTP uncached / the engine in-process, the worst p50 ratio over the sampled clients and both queries",
    )
    faster: dict[str, Any] = {}
    for key in (QUESTION_KEYS[q] for q in BASELINE_QUESTIONS):
        for name, b in questions[key]["baselines"].items():
            faster[f"{key} {name}"] = b["ratio_to_engine"]["p50"] if "ratio_to_engine" in b else b.get("skipped")
    numbers = [v for v in faster.values() if isinstance(v, float | int)]
    out["faster_than_both_baselines"] = {
        "target": "baseline / engine > 1 on every question both ask",
        "value": min(numbers) if numbers else None,
        "met": all(v > 1 for v in numbers) if numbers else None,
        "on": "the smallest p50 ratio; a skipped baseline (its reason given) is not counted",
        "p50_ratios": faster,
        "import_p50_ratios": {
            name: b["ratio_load_to_import"]["p50"] if b.get("ratio_load_to_import") else b.get("skipped")
            for name, b in questions["import"]["baselines"].items()
        },
        "import_note": "baseline load (into memory) / flowmap import (into the store): not the same work",
    }
    return out


def run(
    size_name: str,
    size: Size,
    seed: int,
    day: date,
    max_depth: int,
    plan: Plan,
    skip: set[str],
    results_dir: Path,
    keep: Path | None = None,
) -> Path:
    """The whole scale run; returns the results file."""
    work = keep or Path(tempfile.mkdtemp(prefix=f"flowmap-scale-{size_name}-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        r = Run(size_name, size, seed, day, max_depth, plan, skip, work)
        results: dict[str, Any] = {
            "size": size_name,
            "counts": size.__dict__,
            "seed": seed,
            "day": day.isoformat(),
            "max_depth": max_depth,
            "plan": plan.__dict__,
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": machine(),
            "skip": sorted(skip),
            "ratios": {
                "same questions": "baseline time / engine time (above 1: the engine is faster)",
                "legal answers": "full legal answer time / the engine's walk for the same question (the judging)",
                "api": "HTTP time / engine time (the API's overhead; target <= 1.5)",
                "import": "baseline load / flowmap import (above 1: flowmap is faster)",
                "rss_ratio": "baseline peak RSS / engine (or flowmap import) peak RSS",
            },
        }
        results["generate"] = r.generate()
        sample = sample_clients(r.bulk, day, plan.clients)
        clients = [s["client"] for s in sample]
        r.say(
            f"sampled {len(clients)} clients: busiest {clients[0]} ({sample[0]['direct_engagements']} direct "
            f"engagements) to {clients[-1]} ({sample[-1]['direct_engagements']})"
        )
        r.say(f"import: flowmap import x{plan.runs}, then each baseline's load x{plan.runs}")
        flowmap, data = r.flowmap_import()
        questions: dict[str, Any] = {"import": {"flowmap": flowmap, "baselines": r.baseline_loads(flowmap)}}
        for question in QUESTIONS:
            key = QUESTION_KEYS[question]
            engine = r.question("engine", question, data, clients)
            entry: dict[str, Any] = {"asked": ASKED[question], "engine": engine}
            if question in ("client", "assess"):
                entry["sample"] = sample
            if question in LEGAL:
                entry |= _legal(r, question, engine, questions[QUESTION_KEYS[LEGAL[question]]]["engine"], sample)
                questions[key] = entry
                continue
            entry |= {"baselines": {}, "checks": {}}
            for system, name in BASELINE_NAMES.items():
                base = r.question(system, question, data, clients)
                _attach_ratios(base, engine)
                entry["baselines"][name] = base
                mine, theirs = (_read_answers(r.answers / f"{s}-{question}.json") for s in ("engine", system))
                if mine is None or theirs is None:
                    continue
                if question == "client":
                    entry["checks"][name] = _check_reach(mine, theirs)
                elif question == "reaching":
                    lawless = _without_regime(r, theirs)
                    entry["checks"][name] = {
                        "compared": "the set of clients, less the baseline's clients no regime applies to",
                        "baseline_clients_without_a_regime": len(lawless),
                        **_difference(mine, [c for c in theirs if c not in lawless]),
                    }
                else:
                    entry["checks"][name] = {
                        "compared": "every (client, engagement) pair, the baseline's whole answer",
                        **_difference(mine, theirs),
                    }
            questions[key] = entry
        engine_reads = [q["engine"]["read_s"] for q in questions.values() if "read_s" in q.get("engine", {})]
        if engine_reads:
            flowmap["engine_read_s"] = {
                "values": engine_reads,
                "note": "the engine's read of the imported store into memory, once per engine phase",
            }
        questions["api"] = r.api(data, clients[: plan.api_clients])
        results["questions"] = questions
        results["targets"] = targets(questions)
        results["total_s"] = round(time.perf_counter() - r.started, 1)
        results_dir.mkdir(parents=True, exist_ok=True)
        out = results_dir / f"scale-{size_name}.json"
        out.write_text(json.dumps(results, indent=2) + "\n")
        r.say(f"wrote {out}")
        return out
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> None:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["--worker"]:
        worker(Path(args_in[1]), Path(args_in[2]))
        return
    defaults = Plan()
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="S", choices=sorted(SIZES), help="the ecosystem's size (default S)")
    parser.add_argument("--custom", metavar="C,P,E", help="custom counts (clients, processors, engagements)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--day", type=date.fromisoformat, default=DAY)
    parser.add_argument("--max-depth", type=int, default=8)
    parser.add_argument("--runs", type=int, default=defaults.runs, help="imports, loads, whole-map questions")
    parser.add_argument("--client-runs", type=int, default=defaults.client_runs, help="per sampled client")
    parser.add_argument("--clients", type=int, default=defaults.clients, help="clients sampled for questions 2 and 3")
    parser.add_argument("--api-clients", type=int, default=defaults.api_clients, help="of those, asked over HTTP")
    parser.add_argument("--api-runs", type=int, default=defaults.api_runs, help="warm and uncached calls each")
    parser.add_argument(
        "--timeout",
        type=float,
        default=defaults.timeout,
        help="seconds: a SQLite question running longer is stopped (skipped); no more runs after",
    )
    parser.add_argument(
        "--phase-limit", type=float, default=defaults.phase_limit, help="seconds: a phase still running is killed"
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="SYSTEM[:QUESTION][=REASON]",
        help="python, sqlite, engine or api; questions: load, client, assess, reaching, dpf, whatif (repeatable); "
        "the reason is recorded with the skip",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where scale-<SIZE>.json goes")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (bulk files, stores, logs)")
    args = parser.parse_args(args_in)
    if args.custom:
        size_name, size = "custom", Size(*(int(x) for x in args.custom.split(",")))
    else:
        size_name, size = args.size, SIZES[args.size]
    plan = Plan(
        args.runs, args.client_runs, args.clients, args.api_clients, args.api_runs, args.timeout, args.phase_limit
    )
    run(size_name, size, args.seed, args.day, args.max_depth, plan, set(args.skip), args.results, args.keep)


if __name__ == "__main__":
    main()
