"""Two baselines for issue 7's questions, straight from a bulk directory (``bench.ecosystem``), for the engine to beat.

Both answer what ``flowmap.domain.chains.flow`` answers: a client's data leaves by its C2P/C2C engagements, goes on
only from an importer acting as a processor (C2P/P2P hop) through that importer's P2P engagements, never flows back
into the client, narrows its categories hop by hop with ``chains.narrow`` and stops when none are left, uses only
engagements active on the day (ISO dates compare as strings), and is at most 8 hops deep. A "client" is an
organisation with an active C2P or C2C engagement.

- ``PythonBFS``: adjacency lists of plain objects and a breadth-first search per client over (engagement,
  categories) states with a visited set: the textbook way, with frozensets of keys and no bitsets or pruning.
- ``SQLiteCTE``: the two CSVs in an in-memory SQLite database (indexed by exporter and role, countries in a table
  of their own) and one recursive CTE per question over the same states, deduplicated by ``UNION``; ``narrow`` is
  a Python function registered with ``create_function`` over ``'|a|b|'`` strings (canonical, sorted, so equal
  sets compare equal).

``load(directory)`` builds the structures and is timed apart from the questions. ``PythonBFS.clients_reaching``
stops a client's search at its first engagement in the country (``any`` over the lazy search), which a recursive
CTE cannot do. Figures: ``bench/run --size S|M|L`` (``bench/scale.py``) times both beside the engine.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any, Protocol

from bench.ecosystem import ENGAGEMENTS_CSV, SIZES, write_bulk
from flowmap.domain.chains import DEFAULT_MAX_DEPTH, narrow

FIRST_HOP = frozenset({"C2P", "C2C"})
PROCESSOR = frozenset({"C2P", "P2P"})
DPF = "DPF_EU_US"


class Baseline(Protocol):
    def client_destinations(self, client_id: str, day: date) -> set[tuple[str, str]]: ...
    def clients_reaching(self, country: str, day: date) -> set[str]: ...
    def dpf_only_transfers(self, day: date) -> set[tuple[str, str]]: ...


def _engagement_cells(directory: Path) -> Iterator[dict[str, str]]:
    with (directory / ENGAGEMENTS_CSV).open(newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


@cache
def _codes(mechanisms: str) -> frozenset[str]:
    return frozenset(m["code"] for m in json.loads(mechanisms or "[]"))


def _pipe(value: str) -> tuple[str, ...]:
    return tuple(v for v in value.split("|") if v)


@dataclass(frozen=True, slots=True)
class Edge:
    """One engagement as the walk needs it; dates stay ISO strings ('' for none)."""

    id: str
    exporter: str
    importer: str
    role: str
    categories: frozenset[str]
    countries: tuple[str, ...]
    valid_from: str
    valid_to: str
    dpf_only: bool  # declared mechanisms are exactly {DPF_EU_US}

    def active(self, day: str) -> bool:
        return (not self.valid_from or self.valid_from <= day) and (not self.valid_to or day <= self.valid_to)


class PythonBFS:
    """Adjacency dicts and a depth-first walk per client: the plain-Python answer to each question."""

    def __init__(self, outgoing: dict[str, list[Edge]], max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self.outgoing = outgoing
        self.max_depth = max_depth

    @classmethod
    def load(cls, directory: Path | str, max_depth: int = DEFAULT_MAX_DEPTH) -> PythonBFS:
        outgoing: dict[str, list[Edge]] = {}
        # One object per distinct id, category set, country list and date: 1.1M edges share a few thousand.
        shared: dict[str, str] = {}
        categories: dict[str, frozenset[str]] = {}
        countries: dict[str, tuple[str, ...]] = {}
        for c in _engagement_cells(Path(directory)):
            cats = categories.get(c["categories"])
            if cats is None:
                cats = categories[c["categories"]] = frozenset(_pipe(c["categories"]))
            where = countries.get(c["countries"])
            if where is None:
                where = countries[c["countries"]] = _pipe(c["countries"])
            edge = Edge(
                c["id"],
                shared.setdefault(c["from"], c["from"]),
                shared.setdefault(c["to"], c["to"]),
                shared.setdefault(c["role"], c["role"]),
                cats,
                where,
                shared.setdefault(c["valid_from"], c["valid_from"]),
                shared.setdefault(c["valid_to"], c["valid_to"]),
                _codes(c["mechanisms"]) == {DPF},
            )
            outgoing.setdefault(edge.exporter, []).append(edge)
        return cls(outgoing, max_depth)

    def clients(self, day: date) -> list[str]:
        d = day.isoformat()
        return sorted(o for o, es in self.outgoing.items() if any(e.role in FIRST_HOP and e.active(d) for e in es))

    def reached(self, client: str, day: date) -> Iterator[Edge]:
        """Every engagement the client's data reaches, once each: a breadth-first search over (engagement,
        categories) states, never back into the client, at most ``max_depth`` hops (as ``chains.flow``)."""
        d = day.isoformat()
        outgoing = self.outgoing
        frontier = [
            (e, e.categories)
            for e in outgoing.get(client, ())
            if e.role in FIRST_HOP and e.importer != client and e.active(d)
        ]
        seen_states = set(frontier)
        seen_edges: set[str] = set()
        for depth in range(1, self.max_depth + 1):
            ahead = []
            for edge, cats in frontier:
                if edge.id not in seen_edges:
                    seen_edges.add(edge.id)
                    yield edge
                if depth == self.max_depth or edge.role not in PROCESSOR:
                    continue
                for onward in outgoing.get(edge.importer, ()):
                    if onward.role != "P2P" or onward.importer == client or not onward.active(d):
                        continue
                    narrowed = narrow(cats, onward.categories)
                    if narrowed and (onward, narrowed) not in seen_states:
                        seen_states.add((onward, narrowed))
                        ahead.append((onward, narrowed))
            frontier = ahead

    def client_destinations(self, client_id: str, day: date) -> set[tuple[str, str]]:
        return {(e.importer, country) for e in self.reached(client_id, day) for country in e.countries}

    def clients_reaching(self, country: str, day: date) -> set[str]:
        return {c for c in self.clients(day) if any(country in e.countries for e in self.reached(c, day))}

    def dpf_only_transfers(self, day: date) -> set[tuple[str, str]]:
        return {
            (c, e.id) for c in self.clients(day) for e in self.reached(c, day) if e.dpf_only and "US" in e.countries
        }


@lru_cache(maxsize=1 << 16)
def _narrow_pipe(carried: str, onward: str) -> str:
    """``chains.narrow`` over '|a|b|' strings, canonical (sorted); '' when nothing is left."""
    kept = narrow(_pipe(carried), _pipe(onward))
    return "|" + "|".join(sorted(kept)) + "|" if kept else ""


_SCHEMA = """
CREATE TABLE edge (
    n INTEGER PRIMARY KEY, id TEXT NOT NULL, src TEXT NOT NULL, dst TEXT NOT NULL, role TEXT NOT NULL,
    categories TEXT NOT NULL, valid_from TEXT, valid_to TEXT, mechanisms TEXT NOT NULL
);
CREATE TABLE edge_country (edge INTEGER NOT NULL, country TEXT NOT NULL);
"""
_INDEXES = """
CREATE INDEX edge_src ON edge(src, role);
CREATE INDEX edge_country_edge ON edge_country(edge, country);
CREATE INDEX edge_country_country ON edge_country(country, edge);
ANALYZE;
"""
_ACTIVE = "(e.valid_from IS NULL OR e.valid_from <= :day) AND (e.valid_to IS NULL OR :day <= e.valid_to)"

# The walk as a CTE over (client, engagement, categories, depth) states, deduplicated by UNION: {seed} picks the
# clients' first hops. Rows whose categories narrowed to nothing are kept (one call of narrow per candidate
# instead of two) but never continued and never answered.
_WALK_STATES = f"""
WITH RECURSIVE walk(client, n, dst, role, cats, depth) AS (
    SELECT e.src, e.n, e.dst, e.role, e.categories, 1
    FROM edge e
    WHERE {{seed}} AND e.role IN ('C2P', 'C2C') AND e.dst <> e.src AND {_ACTIVE}
    UNION
    SELECT w.client, e.n, e.dst, e.role, narrow(w.cats, e.categories), w.depth + 1
    FROM walk w JOIN edge e ON e.src = w.dst AND e.role = 'P2P'
    WHERE w.cats <> '' AND w.role IN ('C2P', 'P2P') AND w.depth < :max_depth AND e.dst <> w.client AND {_ACTIVE}
)
"""
_DESTINATIONS = """
SELECT DISTINCT w.dst, c.country FROM walk w JOIN edge_country c ON c.edge = w.n WHERE w.cats <> ''
"""
_REACHING = """
SELECT DISTINCT w.client FROM walk w JOIN edge_country c ON c.edge = w.n AND c.country = :country WHERE w.cats <> ''
"""
_DPF_ONLY = f"""
SELECT DISTINCT w.client, e.id FROM walk w JOIN edge e ON e.n = w.n
WHERE w.cats <> ''
    AND EXISTS (SELECT 1 FROM edge_country c WHERE c.edge = w.n AND c.country = 'US')
    AND (SELECT group_concat(DISTINCT json_extract(m.value, '$.code')) FROM json_each(e.mechanisms) m) = '{DPF}'
"""


class SQLiteCTE:
    """The same questions as recursive CTEs over SQLite."""

    def __init__(self, db: sqlite3.Connection, max_depth: int = DEFAULT_MAX_DEPTH) -> None:
        self.db = db
        self.max_depth = max_depth
        db.create_function("narrow", 2, _narrow_pipe, deterministic=True)

    @classmethod
    def load(
        cls,
        directory: Path | str,
        max_depth: int = DEFAULT_MAX_DEPTH,
        database: str = ":memory:",
    ) -> SQLiteCTE:
        db = sqlite3.connect(database)
        db.executescript(_SCHEMA)
        edges: list[tuple[int, str, str, str, str, str, str | None, str | None, str]] = []
        countries: list[tuple[int, str]] = []
        for n, c in enumerate(_engagement_cells(Path(directory))):
            edges.append(
                (
                    n,
                    c["id"],
                    c["from"],
                    c["to"],
                    c["role"],
                    c["categories"],
                    c["valid_from"] or None,
                    c["valid_to"] or None,
                    c["mechanisms"] or "[]",
                )
            )
            countries.extend((n, country) for country in _pipe(c["countries"]))
        db.executemany("INSERT INTO edge VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", edges)
        db.executemany("INSERT INTO edge_country VALUES (?, ?)", countries)
        db.executescript(_INDEXES)
        db.commit()
        return cls(db, max_depth)

    def _query(self, answer: str, seed: str, params: dict[str, str | int]) -> list[tuple[str, ...]]:
        walk = _WALK_STATES.format(seed=seed)
        return self.db.execute(walk + answer, {"max_depth": self.max_depth, **params}).fetchall()

    def client_destinations(self, client_id: str, day: date) -> set[tuple[str, str]]:
        rows = self._query(_DESTINATIONS, "e.src = :client", {"client": client_id, "day": day.isoformat()})
        return {(dst, country) for dst, country in rows}

    def clients_reaching(self, country: str, day: date) -> set[str]:
        rows = self._query(_REACHING, "1", {"country": country, "day": day.isoformat()})
        return {client for (client,) in rows}

    def dpf_only_transfers(self, day: date) -> set[tuple[str, str]]:
        rows = self._query(_DPF_ONLY, "1", {"day": day.isoformat()})
        return {(client, eid) for client, eid in rows}

    def interrupt_after(self, seconds: float) -> None:
        """Abort any statement that runs longer than ``seconds`` (sqlite3.OperationalError: interrupted)."""
        deadline = time.perf_counter() + seconds
        self.db.set_progress_handler(lambda: int(time.perf_counter() > deadline), 10_000)


# --- timing ----------------------------------------------------------------------------------------------------


def _median_seconds(fn: Callable[[], set[Any]], repeat: int) -> tuple[float, int]:
    runs, answers = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        answers = len(fn())
        runs.append(time.perf_counter() - start)
    return statistics.median(runs), answers


def time_baselines(directory: Path, day: date, repeat: int = 3, timeout: float = 600.0) -> dict[str, Any]:
    """Load each baseline and ask it each question ``repeat`` times: seconds (medians) and answer counts.

    The client asked about is the busiest (most engagements reached). A SQLite question running past ``timeout``
    seconds is interrupted and reported as such.
    """
    started = time.perf_counter()
    bfs = PythonBFS.load(directory)
    results: dict[str, Any] = {"day": day.isoformat()}
    loads = {"PythonBFS": time.perf_counter() - started}
    clients = bfs.clients(day)
    reached = {c: sum(1 for _ in bfs.reached(c, day)) for c in clients}
    busiest = max(clients, key=lambda c: (reached[c], c))
    results["walk"] = {"clients": len(clients), "reached": sum(reached.values()), "busiest": busiest,
                       "busiest_reached": reached[busiest]}  # fmt: skip
    baselines: dict[str, Baseline] = {"PythonBFS": bfs}
    started = time.perf_counter()
    baselines["SQLiteCTE"] = SQLiteCTE.load(directory)
    loads["SQLiteCTE"] = time.perf_counter() - started
    for name, baseline in baselines.items():
        timings: dict[str, Any] = {"load_s": round(loads[name], 3)}
        questions: dict[str, Callable[[], set[Any]]] = {
            "client_destinations": partial(baseline.client_destinations, busiest, day),
            "clients_reaching_US": partial(baseline.clients_reaching, "US", day),
            "dpf_only_transfers": partial(baseline.dpf_only_transfers, day),
        }
        for label, question in questions.items():
            if isinstance(baseline, SQLiteCTE):
                baseline.interrupt_after(timeout * repeat)
            try:
                seconds, answers = _median_seconds(question, repeat)
            except sqlite3.OperationalError as exc:
                timings[label] = {"error": f"{exc} (timeout {timeout:.0f} s)"}
                continue
            timings[label] = {"median_s": round(seconds, 4), "answers": answers, "runs": repeat}
        results[name] = timings
    return results


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.baselines", description="Time both baselines on a size.")
    parser.add_argument("--size", default="S", choices=sorted(SIZES))
    parser.add_argument("--dir", type=Path, help="an existing bulk directory instead of generating --size")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--day", type=date.fromisoformat, default=date(2025, 6, 1))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a SQLite question is stopped")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flowmap-baselines-") as tmp:
        directory = args.dir or Path(tmp)
        if args.dir is None:
            write_bulk(directory, args.size, args.seed)
        results = time_baselines(directory, args.day, args.repeat, args.timeout)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
