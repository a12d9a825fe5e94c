"""The scale harness end to end on a tiny ecosystem: the JSON's shape, and every ratio computed from measured numbers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.ecosystem import Size, write_bulk
from bench.scale import DAY, Plan, percentile, ratio, run, sample_clients, stats

TINY = Size(clients=5, processors=60, engagements=400)
PLAN = Plan(runs=1, client_runs=1, clients=3, api_clients=1, api_runs=2, timeout=60, phase_limit=120)
SKIP = {"sqlite:dpf"}
STATS_KEYS = {"unit", "p50", "p95", "max", "runs"}


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = run("tiny", TINY, 7, DAY, 8, PLAN, SKIP, tmp_path_factory.mktemp("results"))
    assert out.name == "scale-tiny.json"
    data: dict[str, Any] = json.loads(out.read_text())
    return data


def _close(stored: float | None, expected: float) -> bool:
    return stored is not None and abs(stored - expected) <= 0.0015 * max(1.0, abs(expected))


def _check_stats(s: dict[str, Any]) -> None:
    assert set(s) == STATS_KEYS, s
    assert s["runs"] >= 1
    assert 0 <= s["p50"] <= s["p95"] <= s["max"], s


def _check_ratio(stored: dict[str, Any], numerator: dict[str, Any], denominator: dict[str, Any]) -> None:
    for k in ("p50", "p95", "max"):
        assert _close(stored[k], numerator[k] / denominator[k]), (k, stored, numerator, denominator)


def test_percentiles_interpolate_and_ratios_divide() -> None:
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0, 5.0], 0.95) == pytest.approx(4.8)
    s = stats([0.010, 0.020, 0.040])
    assert s == {"unit": "ms", "p50": 20.0, "p95": 38.0, "max": 40.0, "runs": 3}
    assert ratio(stats([0.040]), stats([0.010])) == {"p50": 4.0, "p95": 4.0, "max": 4.0}
    with pytest.raises(ValueError):
        ratio(stats([1.0], "s"), stats([1.0]))


def test_the_client_sample_is_deterministic_and_starts_with_the_busiest(tmp_path: Path) -> None:
    write_bulk(tmp_path, TINY, seed=7)
    sample = sample_clients(tmp_path, DAY, 3)
    assert sample == sample_clients(tmp_path, DAY, 3)
    counts = [s["direct_engagements"] for s in sample]
    assert counts == sorted(counts, reverse=True) and sample[0]["rank"] == 1
    assert len({s["client"] for s in sample}) == 3
    everyone = sample_clients(tmp_path, DAY, 1000)  # more than there are: each client once
    assert everyone[0] == sample[0] and max(s["direct_engagements"] for s in everyone) == counts[0]


def test_the_results_name_the_machine_and_the_run(results: dict[str, Any]) -> None:
    m = results["machine"]
    for key in ("cpu", "cores", "ram_gb", "python", "ladybug", "os", "git_commit", "platform"):
        assert key in m, key
    assert m["ladybug"] and m["cores"] >= 1
    assert date.fromisoformat(results["date"][:10])
    assert results["counts"] == {"clients": 5, "processors": 60, "engagements": 400}
    assert results["generate"]["engagements"] == 400 and results["generate"]["peak_rss_mb"] > 0
    assert set(results["questions"]) == {
        "import",
        "client_destinations",
        "client_assessment",
        "api",
        "clients_reaching_US",
        "dpf_only_transfers",
        "what_if_dpf_revoked",
    }


def test_import_is_timed_against_both_baseline_loads(results: dict[str, Any]) -> None:
    q = results["questions"]["import"]
    flowmap = q["flowmap"]
    _check_stats(flowmap["process_s"])
    _check_stats(flowmap["import_s"])
    assert flowmap["peak_rss_mb"] > 0
    assert flowmap["engine_read_s"]["values"]
    for name in ("PythonBFS", "SQLiteCTE"):
        b = q["baselines"][name]
        _check_stats(b["load_s"])
        _check_ratio(b["ratio_process"], b["process_s"], flowmap["process_s"])
        _check_ratio(b["ratio_load_to_import"], b["load_s"], flowmap["import_s"])
        assert _close(b["rss_ratio"], b["peak_rss_mb"] / flowmap["peak_rss_mb"])


def test_one_clients_reach_is_the_same_question_as_the_baselines(results: dict[str, Any]) -> None:
    q = results["questions"]["client_destinations"]
    engine = q["engine"]
    _check_stats(engine["time"])
    assert engine["time"]["runs"] == PLAN.clients * PLAN.client_runs
    assert engine["function"].startswith("flowmap.domain.chains.Walk")
    sample = [s["client"] for s in q["sample"]]
    assert list(engine["per_client"]) == sample and engine["busiest"]["client"] == sample[0]
    assert engine["peak_rss_mb"] > 0 and engine["input"]
    for name in ("PythonBFS", "SQLiteCTE"):
        b = q["baselines"][name]
        _check_ratio(b["ratio_to_engine"], b["time"], engine["time"])
        _check_ratio(b["busiest"]["ratio_to_engine"], b["busiest"]["time"], engine["busiest"]["time"])
        assert _close(b["rss_ratio"], b["peak_rss_mb"] / engine["peak_rss_mb"])
        check = q["checks"][name]
        assert check["clients"] == PLAN.clients and check["match"], check  # the same answer, pair for pair
        for client, row in b["per_client"].items():
            assert row["destinations"] == engine["per_client"][client]["destinations"]


def test_the_full_assessment_is_a_row_of_its_own(results: dict[str, Any]) -> None:
    q = results["questions"]["client_assessment"]
    engine, walk = q["engine"], results["questions"]["client_destinations"]["engine"]
    _check_stats(engine["time"])
    assert engine["function"] == "flowmap.domain.assess.assess"
    assert engine["time"]["runs"] == PLAN.clients * PLAN.client_runs and engine["peak_rss_mb"] > 0
    assert "baselines" not in q  # no baseline asks a legal question: no ratio to one
    _check_ratio(q["ratio_to_walk"], engine["time"], walk["time"])
    for name in ("PythonBFS", "SQLiteCTE"):
        check = q["checks"][name]
        assert check["clients"] >= 1 and check["matching"] <= check["clients"]
        for d in check["differing"]:
            assert d["common"] + d["engine_only"] == d["engine"]
            assert d["common"] + d["baseline_only"] == d["baseline"]


@pytest.mark.parametrize("key", ["clients_reaching_US", "dpf_only_transfers"])
def test_portfolio_questions_are_the_same_question_as_the_baselines(results: dict[str, Any], key: str) -> None:
    q = results["questions"][key]
    engine = q["engine"]
    _check_stats(engine["time"])
    assert engine["answers"] and engine["function"].startswith("flowmap.domain.")
    for name, b in q["baselines"].items():
        if key == "dpf_only_transfers" and name == "SQLiteCTE":
            assert b == {"skipped": "--skip sqlite:dpf"}  # skipped baselines carry the reason and no figures
            assert name not in q["checks"]
            continue
        _check_stats(b["time"])
        assert b["answers"]
        _check_ratio(b["ratio_to_engine"], b["time"], engine["time"])
        assert _close(b["rss_ratio"], b["peak_rss_mb"] / engine["peak_rss_mb"])
        check = q["checks"][name]
        assert check["common"] + check["engine_only"] == check["engine"]
        assert check["common"] + check["baseline_only"] == check["baseline"]
        assert check["match"], check
    if key == "clients_reaching_US":
        assert q["checks"]["PythonBFS"]["engine"] == engine["answers"]["clients"]
    else:  # the baseline's whole answer, no client left out
        assert q["checks"]["PythonBFS"]["baseline"] == q["baselines"]["PythonBFS"]["answers"]["transfers"]
        assert q["checks"]["PythonBFS"]["engine"] == engine["answers"]["transfers"]


def test_the_what_if_is_a_row_of_its_own(results: dict[str, Any]) -> None:
    q = results["questions"]["what_if_dpf_revoked"]
    engine, walk = q["engine"], results["questions"]["dpf_only_transfers"]["engine"]
    _check_stats(engine["time"])
    assert engine["function"].startswith("flowmap.domain.") and engine["answers"]["transfers_touched"] >= 0
    assert 0 < engine["peak_rss_mb_runs"] <= engine["peak_rss_mb"]  # asking's peak, and the whole process's
    assert "baselines" not in q
    _check_ratio(q["ratio_to_walk"], engine["time"], walk["time"])
    check = q["checks"]["PythonBFS"]
    assert check["common"] + check["engine_only"] == check["engine"]
    assert "SQLiteCTE" not in q["checks"]  # its dpf question was skipped


def test_each_target_is_judged_on_its_figure(results: dict[str, Any]) -> None:
    t = results["targets"]
    assert set(t) == {
        "import_edges_per_s",
        "client_assessment_p95_ms",
        "transfers_first_100_p95_ms",
        "clients_reaching_US_s",
        "what_if_dpf_revoked_s",
        "peak_rss_gb",
        "graphql_overhead",
        "faster_than_both_baselines",
    }
    q = results["questions"]
    assert t["client_assessment_p95_ms"]["value"] == q["client_assessment"]["engine"]["time"]["p95"]
    assert _close(t["what_if_dpf_revoked_s"]["value"], q["what_if_dpf_revoked"]["engine"]["time"]["p95"] / 1000)
    for name, target in t.items():
        assert target["value"] is not None, name
        if name == "faster_than_both_baselines":
            assert target["met"] == (target["value"] > 1)
            continue
        sign, limit = target["target"].split()[:2]
        if sign == ">=":
            assert target["met"] == (target["value"] >= float(limit)), name
        else:
            assert target["met"] == (target["value"] <= float(limit)), name
    assert t["faster_than_both_baselines"]["p50_ratios"]["dpf_only_transfers SQLiteCTE"] == "--skip sqlite:dpf"


def test_the_api_is_timed_against_the_engine(results: dict[str, Any]) -> None:
    q = results["questions"]["api"]
    assert q["first_request_ms"] > 0 and q["peak_rss_mb"] > 0
    assert len(q["clients"]) == PLAN.api_clients
    for per_query in q["clients"].values():
        assert set(per_query) == {"transfers", "exposure"}
        for r in per_query.values():
            assert r["transfers"] >= 1 and isinstance(r["count_matches_engine"], bool)
            for kind in ("warm", "uncached"):
                http, engine = r[f"http_{kind}"], r["engine"]
                assert http["runs"] == engine["runs"] == PLAN.api_runs
                for k in ("p50", "p95", "max"):
                    stored = r[f"ratio_{kind}_to_engine"][k]
                    assert _close(stored, http[f"{k}_ms"] / engine[f"{k}_ms"]), (kind, k, r)
    for per_kind in q["summary"].values():
        assert set(per_kind) == {"warm", "uncached"}
