"""`flowmap report` and `flowmap scenario` on the seeded embedded store, as users run them."""

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


@pytest.fixture
def seeded(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FLOWMAP_SEEDS_DIR", str(SEEDS))
    from flowmap.settings import get_settings

    get_settings.cache_clear()
    result = runner.invoke(app, ["seed"])
    assert result.exit_code == 0, result.output
    return embedded_env


def test_report_json_uses_the_graphql_field_names(seeded: Path) -> None:
    result = runner.invoke(app, ["report", "--as-of", "2020-07-15", "--format", "json"])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert body["asOf"] == "2020-07-15" and "not legal advice" in body["disclaimer"]
    assert body["transfers"] and body["findings"]
    transfer = body["transfers"][0]
    assert {"client", "importer", "destination", "path", "dataCategories", "basis", "status", "findings"} <= set(
        transfer
    )
    assert {"exporter", "importer", "mechanisms"} <= set(transfer["path"][0])
    finding = body["findings"][0]
    assert set(finding) == {"rule", "severity", "message", "citation", "remediation", "subject"}


def test_report_for_one_client_as_table_and_csv(seeded: Path) -> None:
    table = runner.invoke(app, ["report", "--client", "demo.client-de", "--as-of", "2023-01-01"])
    assert table.exit_code == 0 and "NON_COMPLIANT" in table.stdout and "not legal advice" in table.stdout
    rows = list(csv.DictReader(io.StringIO(runner.invoke(app, ["report", "--client", "demo.client-de",
                                                                 "--format", "csv"]).stdout)))  # fmt: skip
    assert rows and {r["client"] for r in rows} == {"demo.client-de"}


def test_scenario_revoking_the_dpf(seeded: Path) -> None:
    result = runner.invoke(app, ["scenario", "--revoke", "DPF_EU_US", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = [r for r in json.loads(result.stdout)["rows"] if r["basisBefore"] == "DPF_EU_US"]
    assert {(r["client"], r["change"], r["basisAfter"]) for r in rows} == {
        ("demo.client-be", "FALLBACK", "SCC_2021"),
        ("demo.client-nl", "BROKEN", None),
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--as-of", "2020-13-01"], "--as-of '2020-13-01' is not a date"),
        (["report", "--client", "nobody"], "--client 'nobody' is not an organisation"),
        (["scenario"], "at least one --revoke"),
        (["scenario", "--withdraw", "XX"], "unknown country code 'XX'"),
    ],
)
def test_bad_arguments_are_named(seeded: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and message in result.stderr
