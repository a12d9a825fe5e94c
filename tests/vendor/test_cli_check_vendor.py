"""`flowmap check-vendor` as procurement runs it: the acceptance statements, a sub-processor CSV, bad files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from flowmap.cli import app
from flowmap.intake import read
from flowmap.settings import PROJECT_ROOT

runner = CliRunner()
SHARED = PROJECT_ROOT.parent / "shared" / "seeds"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"the shared statements are not at {SHARED}")


def _check(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["check-vendor", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.stdout))


def _facts(report: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [f for f in report["facts"] if f["kind"] == kind]


def _spans_point_at_the_text(report: dict[str, Any], file: Path) -> None:
    text = read(file).text  # type: ignore[union-attr]
    for f in report["facts"]:
        span = f["span"]
        assert text[span["start"] : span["end"]] == span["quote"], f


@pytest.fixture
def seeded(embedded_env: Path) -> Path:
    assert runner.invoke(app, ["seed"]).exit_code == 0
    return embedded_env


@needs_shared
def test_interactions_policy(seeded: Path) -> None:
    file = SHARED / "001_cf15789c34aa1f3a.txt"
    report = _check(str(file))
    recipients = {f["value"]: f for f in _facts(report, "RECIPIENT")}
    assert "Google Analytics" in recipients and "HubSpot" in recipients
    assert "US" in recipients["Google Analytics"]["detail"].get("country", "")
    shield = [f for f in _facts(report, "MECHANISM") if f["value"] == "PRIVACY_SHIELD_EU_US"]
    assert shield and "Privacy Shield" in shield[0]["span"]["quote"]
    _spans_point_at_the_text(report, file)
    rules = {f["rule"] for t in report["transfers"] for f in t["findings"]}
    assert "INVALIDATED_MECHANISM" in rules
    assert any("transfer mechanism you use now" in q["question"] for q in report["questionnaire"])
    assert "not legal advice" in report["disclaimer"].lower()


@needs_shared
def test_voiceking_statement(seeded: Path) -> None:
    file = SHARED / "004_fd37387feb53ccfe.txt"
    report = _check(str(file))
    assert [f["value"] for f in _facts(report, "NO_TRANSFER_OUTSIDE")][:1] == ["EU"]
    refs = {f["value"] for f in _facts(report, "LEGAL_REFERENCE")}
    assert {"be.privacy-act-1992", "be.privacy-commission"} <= refs
    assert {f["rule"] for f in report["findings"]} >= {"OUTDATED_LEGAL_REFERENCE"}
    _spans_point_at_the_text(report, file)


def test_subprocessor_csv_builds_a_chain_and_writes_nothing(seeded: Path, tmp_path: Path) -> None:
    csv = tmp_path / "subprocessors.csv"
    csv.write_text(
        "Name,Purpose,Location\nAmazon Web Services,Hosting,United States\nMailjet,Email delivery,France\n"
        "Zendesk,Support tickets,\n",
        encoding="utf-8",
    )
    before = runner.invoke(app, ["stats", "--json"]).stdout
    report = _check(str(csv), "--client", "client-nl")
    importers = {t["importer"]: t for t in report["transfers"]}
    assert any(i.endswith("amazon-web-services") for i in importers)
    by_name = {i.rsplit(".", 1)[-1]: t for i, t in importers.items()}
    assert by_name["amazon-web-services"]["destination"] == "US"
    assert by_name["zendesk"]["destination"] is None  # no location stated: unknown, asked about
    assert all(not i.endswith("mailjet") for i in importers)  # France: inside the EU, not a transfer
    assert any("Zendesk" in q["question"] for q in report["questionnaire"])
    assert runner.invoke(app, ["stats", "--json"]).stdout == before


def test_commit_writes_the_reviewed_facts_audited(seeded: Path, tmp_path: Path) -> None:
    csv = tmp_path / "list.csv"
    csv.write_text("Name,Purpose,Location\nAmazon Web Services,Hosting,United States\n", encoding="utf-8")
    refused = runner.invoke(app, ["check-vendor", str(csv), "--commit"])
    assert refused.exit_code == 2 and "--client" in refused.stderr
    result = runner.invoke(app, ["check-vendor", str(csv), "--client", "client-nl", "--commit"])
    assert result.exit_code == 0, result.output
    assert "committed" in result.stderr
    stats = json.loads(runner.invoke(app, ["stats", "--json"]).stdout)
    assert stats["nodes"]["Organization"] == 4 + 2  # the mini map, the vendor and its one recipient


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.txt", b"", "empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "png"),
        ("list.csv", b"Name,Purpose\nAWS,Hosting\n", "location"),
    ],
)
def test_bad_files_are_clear_errors(seeded: Path, tmp_path: Path, name: str, content: bytes, words: str) -> None:
    file = tmp_path / name
    file.write_bytes(content)
    result = runner.invoke(app, ["check-vendor", str(file)])
    assert result.exit_code == 2, result.output
    assert "error:" in result.stderr and name in result.stderr and words in result.stderr.lower()
    assert "Traceback" not in result.output


def test_a_50_mb_file_is_refused(seeded: Path, tmp_path: Path) -> None:
    big = tmp_path / "huge.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = runner.invoke(app, ["check-vendor", str(big)])
    assert result.exit_code == 2 and "huge.txt" in result.stderr and "Traceback" not in result.output


def test_a_missing_file_is_a_clear_error(seeded: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check-vendor", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 2 and "nope.pdf" in result.stderr
