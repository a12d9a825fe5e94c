"""`flowmap export --format ropa-xlsx|ropa-csv`: the Art. 30 record, with the transfers judged on the date."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from typer.testing import CliRunner

from flowmap.cli import app
from flowmap.reports.ropa import COLUMNS, HEADER

runner = CliRunner()
TODAY = date.today().isoformat()


def _values(rows: Iterable[tuple[Any, ...]]) -> list[list[str]]:
    """Cell values as text (every cell the ROPA writes is text)."""
    return [["" if c.value is None else str(c.value) for c in r] for r in rows]


def _col(name: str) -> int:
    """1-based column of the header that starts with ``name``."""
    return next(i for i, h in enumerate(HEADER, 1) if h.startswith(name))


def test_ropa_xlsx_marks_the_privacy_shield_invalid_for_interactions(seeded: Path, tmp_path: Path) -> None:
    # demo.client-de engages Interactions, LLC (US) on the Privacy Shield with an SCC 2010 fallback.
    out = tmp_path / "ropa.xlsx"
    result = runner.invoke(app, ["export", "--format", "ropa-xlsx", "--client", "demo.client-de", "--output", str(out)])
    assert result.exit_code == 0, result.output
    wb = load_workbook(out)
    ws = wb["ROPA"]
    assert _values([ws[1]]) == [HEADER]
    last = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[len(HEADER) - 1]
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == f"A1:{last}{ws.max_row}"
    rows = _values(ws.iter_rows(min_row=2))
    assert {r[_col("controller ") - 1] for r in rows} == {"Demo: Rheinland Mail Order GmbH"}
    voice = next(r for r in rows if "demo.client-de>interactions" in r[_col("engagements") - 1])
    transfers = voice[_col("third-country transfers") - 1]
    us = next(line for line in transfers.splitlines() if "Interactions, LLC" in line)
    assert us.startswith("United States (US) — Interactions, LLC (processor)")
    assert "relied on: NONE valid on this date" in us
    assert "EU-US Privacy Shield, signed 2019-03-01 — INVALID since 2020-07-16" in us
    assert "(2010), signed 2019-03-01 — EXPIRED since 2022-12-28" in us
    assert voice[_col("transfer status") - 1] == "NON_COMPLIANT"
    assert voice[_col("as of") - 1] == TODAY
    assert voice[_col("data subjects") - 1] == "not recorded in the map"  # never invented
    assert "Interactions, LLC (processor; United States (US))" in voice[_col("recipients") - 1]
    # one row per transfer on the second sheet, filterable
    sheet = wb["Transfers"]
    header, *lines = _values(sheet.iter_rows())
    shield = [dict(zip(header, r, strict=True)) for r in lines if r[header.index("importer id")] == "interactions"]
    assert len(shield) == 1 and shield[0]["destination"] == "United States (US)"
    assert "EU-US Privacy Shield" in shield[0]["declared mechanisms (state on the date)"]
    assert "INVALID since 2020-07-16" in shield[0]["declared mechanisms (state on the date)"]
    assert shield[0]["status"] == "NON_COMPLIANT" and sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    # which Art. 30(1) letter each column serves, and the note
    letters = {r[0]: r[1] for r in _values(wb["Columns (Art. 30)"].iter_rows(min_row=2))}
    assert letters["third-country transfers"] == "Art. 30(1)(e)" and letters["retention"] == "Art. 30(1)(f)"
    assert set(letters) == {name for name, _, _ in COLUMNS}
    about = {r[0]: r[1] for r in _values(wb["About"].iter_rows())}
    assert about["as of"] == TODAY and "not legal advice" in about["note"]


def test_ropa_before_schrems_ii_relies_on_the_shield(seeded: Path) -> None:
    result = runner.invoke(
        app, ["export", "--format", "ropa-csv", "--client", "demo.client-de", "--as-of", "2020-07-15"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    voice = next(r for r in rows if r["engagements"] == "demo.client-de>interactions")
    us = voice["third-country transfers [Art. 30(1)(e)]"].splitlines()[0]
    assert "relied on: EU-US Privacy Shield" in us and "valid on 2020-07-15" in us and "INVALID" not in us


def test_ropa_csv_for_every_controller(seeded: Path) -> None:
    result = runner.invoke(app, ["export", "--format", "ropa-csv"])
    assert result.exit_code == 0, result.output
    assert "not legal advice" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == [*HEADER, "note"]
    assert all("not legal advice" in r["note"] and r["as of"] == TODAY for r in rows)
    controllers = {r["activity"].split(":")[0] for r in rows}
    assert {"demo.client-be", "demo.client-nl", "demo.client-de", "interactions"} <= controllers
    be = [r for r in rows if r["activity"].startswith("demo.client-be:")]
    # the retired 2017 pilot is not an activity today; the contact centre reaches four sub-processors
    assert not any("interactions:2017" in r["engagements"] for r in be)
    # Interactions' own data (US controller, no regime named) is not judged, and the row says so
    own = next(r for r in rows if r["engagements"] == "interactions>google")
    assert own["transfer status [Art. 30(1)(e)]"] == "not judged"
    assert own["third-country transfers [Art. 30(1)(e)]"].startswith(
        "not judged: the controller is established in United States (US)"
    )
    centre = next(r for r in be if r["engagements"] == "demo.client-be>interaction-force")
    recipients = centre["recipients [Art. 30(1)(d)]"]
    assert recipients.count("sub-processor via interaction-force") == 4
    assert "Interaction Force B.V.B.A. (processor; Belgium (BE))" in recipients


def test_ropa_csv_to_a_file_and_bad_arguments(seeded: Path, tmp_path: Path) -> None:
    out = tmp_path / "sub" / "ropa.csv"
    result = runner.invoke(app, ["export", "--format", "ropa-csv", "--client", "demo.client-nl", "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == "" and f"to {out}" in result.stderr
    assert {r["controller [Art. 30(1)(a)]"] for r in csv.DictReader(out.open(encoding="utf-8"))} == {
        "Demo: Polder Insurance B.V."
    }
    bad = runner.invoke(app, ["export", "--format", "ropa-csv", "--client", "nobody"])
    assert bad.exit_code == 2 and "--client 'nobody' is not an organisation" in bad.stderr
    bad = runner.invoke(app, ["export", "--format", "ropa-xlsx", "--as-of", "2020-02-30", "-o", str(out)])
    assert bad.exit_code == 2 and "is not a date" in bad.stderr


def test_ropa_xlsx_to_stdout_only_when_it_is_not_a_terminal(seeded: Path) -> None:
    piped = runner.invoke(app, ["export", "--format", "ropa-xlsx", "--client", "demo.client-de"])
    assert piped.exit_code == 0 and piped.stdout_bytes.startswith(b"PK")  # a zip: the workbook
    assert load_workbook(io.BytesIO(piped.stdout_bytes))["ROPA"].max_row == 3  # header + two activities
    import os
    import pty
    import subprocess
    import sys

    primary, replica = pty.openpty()
    try:
        done = subprocess.run(  # a real terminal on stdout: refused before the store is opened
            [sys.executable, "-m", "flowmap.cli", "export", "--format", "ropa-xlsx"],
            stdout=replica,
            stderr=subprocess.PIPE,
            timeout=60,
            check=False,
        )
    finally:
        os.close(replica)
        os.close(primary)
    assert done.returncode == 2 and b"give --output FILE, or redirect stdout" in done.stderr
