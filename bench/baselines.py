"""Two baselines for issue 7's questions, straight from a bulk directory (``bench.ecosystem``), for the engine to beat.

Both follow ``flowmap.domain.chains``: a client's data leaves by its C2P/C2C engagements, goes on only from an
importer acting as a processor (C2P/P2P hop) through that importer's P2P engagements, never revisits an organisation
on a path (the client included), narrows its categories hop by hop with ``chains.narrow`` and stops when none are
left, uses only engagements active on the day (ISO dates compare as strings), and is at most 8 hops deep. A "client"
is an organisation with an active C2P or C2C engagement, as in ``ChainIndex.clients``.

- ``PythonBFS``: adjacency lists of plain objects, one depth-first walk per client over every path (exactly the
  engine's paths, so the answers are the engine's).
- ``SQLiteCTE``: the two CSVs in an in-memory SQLite database (indexed by exporter and role, countries in a table
  of their own) and one recursive CTE per question; ``narrow`` is a Python function registered with
  ``create_function`` over ``'|a|b|'`` strings (canonical, sorted, so equal sets compare equal).
  ``mode="paths"`` (the default) walks with ``UNION ALL`` and carries the path as ``'|c1|v2|v3|'`` for the
  no-revisit rule: exact. ``mode="states"`` deduplicates states with ``UNION`` over (client, engagement, categories,
  depth) and drops the path: only the client is never revisited, so it may also report a last engagement that
  closes a cycle onto an organisation already on every path to it (a superset of the exact answer; the tests
  check both). Use it only if the path mode explodes.

``load(directory)`` builds the structures and is timed apart from the questions. ``PythonBFS.clients_reaching``
stops a client's walk at its first path into the country (``any`` over the lazy walk), which a recursive CTE
cannot do: that question is cheap for the Python baseline and the most expensive one for SQLite.

Timed with ``python -m bench.baselines --dir DIR --states`` on the ``python`` machine kind (2 cores, Python 3.11.7,
otherwise idle) on 2026-11-22, seed 7, day 2025-06-01; medians of 5 (S) and 3 (M) runs, in seconds. The busiest
client is the one with the most paths (S: c36, 20k paths of the 139k of all 148 clients; M: c490, 40k of 2.0M of
all 1,582 clients).

| question (answers at S / M) | size | PythonBFS | SQLiteCTE paths | SQLiteCTE states |
| --- | --- | ---: | ---: | ---: |
| load | S | 0.11 | 0.17 | 0.17 |
| busiest client's destinations (900 / 2,712) | S | 0.13 | 0.12 | 0.08 |
| clients reaching US (130 / 1,425) | S | 0.005 | 0.90 | 0.66 |
| DPF-only transfers (5,013 / 75,500) | S | 0.62 | 1.46 | 1.00 |
| load | M | 1.1 | 1.3 | 1.0 |
| busiest client's destinations | M | 0.17 | 0.48 | 0.21 |
| clients reaching US | M | 0.04 | 19.6 | 18.9 |
| DPF-only transfers | M | 11.9 | 23.1 | 19.1 (75,511 answers) |

The path-carrying CTE finishes at M, the busiest client included, so the exact mode stays the default. The states
mode halves the single-client time but saves little on the portfolio questions (paths seldom meet again at the same
engagement with the same categories and depth), and at M it reported 11 DPF-only transfers that no valid path has.

At L (checked once): PythonBFS loads in 13 s (267 MB), walks all 24.7M paths of the 15.5k clients in about 125 s
(so its DPF-only question takes about that long), answers the busiest sampled client (c1136, 18k paths) in 0.10 s
and clients reaching US in 0.7 s; SQLiteCTE loads in 16 s (about 0.9 GB more) and answers c1136 in 0.16 s.
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
from typing import Any, Literal, Protocol

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

    def paths(self, client: str, day: date) -> Iterator[Edge]:
        """The last engagement of every path from ``client`` (one per path, as ``ChainIndex.walk``)."""
        d = day.isoformat()
        outgoing = self.outgoing
        stack: list[tuple[Edge, frozenset[str], tuple[str, ...]]] = [
            (e, e.categories, (client, e.importer))
            for e in outgoing.get(client, ())
            if e.role in FIRST_HOP and e.importer != client and e.active(d)
        ]
        limit = self.max_depth + 1  # the path's organisations, client included
        while stack:
            edge, cats, visited = stack.pop()
            yield edge
            if len(visited) >= limit or edge.role not in PROCESSOR:
                continue
            for onward in outgoing.get(edge.importer, ()):
                if onward.role != "P2P" or onward.importer in visited or not onward.active(d):
                    continue
                narrowed = narrow(cats, onward.categories)
                if narrowed:
                    stack.append((onward, narrowed, (*visited, onward.importer)))

    def client_destinations(self, client_id: str, day: date) -> set[tuple[str, str]]:
        return {(e.importer, country) for e in self.paths(client_id, day) for country in e.countries}

    def clients_reaching(self, country: str, day: date) -> set[str]:
        return {c for c in self.clients(day) if any(country in e.countries for e in self.paths(c, day))}

    def dpf_only_transfers(self, day: date) -> set[tuple[str, str]]:
        return {(c, e.id) for c in self.clients(day) for e in self.paths(c, day) if e.dpf_only and "US" in e.countries}


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

# The walk as a CTE: {seed} picks the clients' first hops. Rows whose categories narrowed to nothing are kept (one
# call of narrow per candidate instead of two) but never continued and never answered.
_WALK_PATHS = f"""
WITH RECURSIVE walk(client, n, dst, role, cats, path, depth) AS (
    SELECT e.src, e.n, e.dst, e.role, e.categories, '|' || e.src || '|' || e.dst || '|', 1
    FROM edge e
    WHERE {{seed}} AND e.role IN ('C2P', 'C2C') AND e.dst <> e.src AND {_ACTIVE}
    UNION ALL
    SELECT w.client, e.n, e.dst, e.role, narrow(w.cats, e.categories), w.path || e.dst || '|', w.depth + 1
    FROM walk w JOIN edge e ON e.src = w.dst AND e.role = 'P2P'
    WHERE w.cats <> '' AND w.role IN ('C2P', 'P2P') AND w.depth < :max_depth
        AND instr(w.path, '|' || e.dst || '|') = 0 AND {_ACTIVE}
)
"""
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
    """The same questions as recursive CTEs over SQLite (see the module docstring for the two modes)."""

    def __init__(
        self,
        db: sqlite3.Connection,
        mode: Literal["paths", "states"] = "paths",
        max_depth: int = DEFAULT_MAX_DEPTH,
    ) -> None:
        self.db = db
        self.mode = mode
        self.max_depth = max_depth
        db.create_function("narrow", 2, _narrow_pipe, deterministic=True)

    @classmethod
    def load(
        cls,
        directory: Path | str,
        mode: Literal["paths", "states"] = "paths",
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
        return cls(db, mode, max_depth)

    def _query(self, answer: str, seed: str, params: dict[str, str | int]) -> list[tuple[str, ...]]:
        walk = (_WALK_PATHS if self.mode == "paths" else _WALK_STATES).format(seed=seed)
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


def time_baselines(
    directory: Path, day: date, repeat: int = 3, timeout: float = 600.0, states: bool = False
) -> dict[str, Any]:
    """Load each baseline and ask it each question ``repeat`` times: seconds (medians) and answer counts.

    The client asked about is the busiest (most paths). A SQLite question running past ``timeout`` seconds is
    interrupted and reported as such.
    """
    started = time.perf_counter()
    bfs = PythonBFS.load(directory)
    results: dict[str, Any] = {"day": day.isoformat()}
    loads = {"PythonBFS": time.perf_counter() - started}
    clients = bfs.clients(day)
    paths = {c: sum(1 for _ in bfs.paths(c, day)) for c in clients}
    busiest = max(clients, key=lambda c: (paths[c], c))
    results["walk"] = {"clients": len(clients), "paths": sum(paths.values()), "busiest": busiest,
                       "busiest_paths": paths[busiest]}  # fmt: skip
    baselines: dict[str, Baseline] = {"PythonBFS": bfs}
    for name, mode in [("SQLiteCTE", "paths"), *([("SQLiteCTE states", "states")] if states else [])]:
        started = time.perf_counter()
        baselines[name] = SQLiteCTE.load(directory, mode="states" if mode == "states" else "paths")
        loads[name] = time.perf_counter() - started
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
    parser.add_argument("--states", action="store_true", help="also time SQLiteCTE in its 'states' mode")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="flowmap-baselines-") as tmp:
        directory = args.dir or Path(tmp)
        if args.dir is None:
            write_bulk(directory, args.size, args.seed)
        results = time_baselines(directory, args.day, args.repeat, args.timeout, args.states)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
