"""`flowmap dpf-status` and `flowmap stale-evidence`: evidence refresh on the seeded store, as users run it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowmap.cli import app
from tests.conftest import SEEDS

runner = CliRunner()
URL = "https://www.dataprivacyframework.gov/list?name=nimbus"


@pytest.fixture
def seeded(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FLOWMAP_SEEDS_DIR", str(SEEDS))
    from flowmap.settings import get_settings

    get_settings.cache_clear()
    assert runner.invoke(app, ["seed"]).exit_code == 0
    return embedded_env


def _dpf_rows(as_of: str, days: int) -> list[dict[str, object]]:
    result = runner.invoke(app, ["stale-evidence", "--days", str(days), "--as-of", as_of, "--format", "json"])
    assert result.exit_code == 0, result.output
    return [r for r in json.loads(result.stdout)["stale"] if r["kind"] == "dpf"]


def test_a_dpf_check_is_recorded_audited_and_ages_into_the_stale_report(seeded: Path) -> None:
    args = ["dpf-status", "demo.nimbus-cloud", "--status", "inactive", "--frameworks", "DPF_EU_US,DPF_SWISS_US",
            "--checked-on", "2025-01-10", "--source", URL]  # fmt: skip
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert _dpf_rows("2025-02-01", 30) == []  # 22 days old: fresh
    stale = _dpf_rows("2025-03-01", 30)
    assert [(r["vendor"], r["subject"], r["checkedOn"], r["ageDays"], r["source"]) for r in stale] == [
        ("demo.nimbus-cloud", "DPF_EU_US", "2025-01-10", 50, URL),
        ("demo.nimbus-cloud", "DPF_SWISS_US", "2025-01-10", 50, URL),
    ]
    lines = runner.invoke(app, ["export"]).stdout.splitlines()
    dump = [json.loads(x.rstrip(",")) for x in lines if x.startswith("{") and x.rstrip(",").endswith("}")]
    assert [r["target"] for r in dump if r.get("operation") == "recordDpfStatus"] == [
        "organization:demo.nimbus-cloud"
    ] * 2
    org = next(r for r in dump if r.get("id") == "demo.nimbus-cloud")
    statuses = {c["framework"]: (c["status"], c["checked_on"]) for c in org["certifications"]}
    assert statuses == {"DPF_EU_US": ("inactive", "2025-01-10"), "DPF_SWISS_US": ("inactive", "2025-01-10")}
    listing = next(r for r in dump if r.get("kind") == "dpf_listing")
    assert (listing["url"], listing["retrieved_on"]) == (URL, "2025-01-10")


def test_stale_evidence_as_csv_and_table(seeded: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["stale-evidence", "--days", "1000", "--as-of", "2026-01-01",
                                                               "--format", "csv"]).stdout)))  # fmt: skip
    old = {(r["vendor"], r["subject"]) for r in rows if r["age_days"]}
    assert ("voiceking", "doc.voiceking.privacy") in old  # dated 2018-05-01
    assert all(int(r["age_days"]) > 1000 for r in rows if r["age_days"])
    table = runner.invoke(app, ["stale-evidence", "--days", "100000"])
    assert table.exit_code == 0 and "undated" in table.stdout and "stale item(s)" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--status", "active", "--source", URL], "ORG: no organisation 'nobody'"),
        (["demo.nimbus-cloud", "--status", "active", "--source", URL, "--checked-on", "2025-13-01"],
         "--checked-on '2025-13-01' is not a date"),
        (["demo.nimbus-cloud", "--status", "active", "--source", "ftp://example.com/x"],
         "--source: <root>: 'ftp://example.com/x' is not an http(s) URL"),
        (["demo.nimbus-cloud", "--status", "active", "--source", URL, "--frameworks", "DPF_EU_US,SCC_2021"],
         "--frameworks: <root>: 'SCC_2021' is not a DPF framework"),
        (["demo.nimbus-cloud", "--status", "gone", "--source", URL], "'gone' is not one of"),
        (["demo.nimbus-cloud", "--status", "active", "--source", URL, "--checked-on", "2999-01-01"], "in the future"),
    ],
)  # fmt: skip
def test_bad_arguments_are_named_and_nothing_is_written(seeded: Path, args: list[str], message: str) -> None:
    before = runner.invoke(app, ["export"]).stdout
    result = runner.invoke(app, ["dpf-status", *args])
    assert result.exit_code == 2 and message in result.output, result.output
    assert runner.invoke(app, ["export"]).stdout == before
