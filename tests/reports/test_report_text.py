"""The writers on text the map may hold: a name that a spreadsheet would run as a formula, a pipe in a name."""

from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from flowmap.domain.tables import MapTables
from flowmap.ingest.seeds import load_seed_map
from flowmap.law import load_knowledge_base
from flowmap.reports.annex import build_annex
from flowmap.reports.annex_writers import ANNEX_III_COLUMNS, annex_markdown
from flowmap.reports.ropa import build_ropa
from flowmap.reports.ropa_writers import ropa_csv, write_ropa_xlsx
from tests.conftest import SEEDS

DAY = date(2026, 1, 1)
FORMULA = '=HYPERLINK("http://evil.example","x")'


def _map_with_client_named(name: str) -> MapTables:
    seed = load_seed_map(SEEDS)
    orgs = [o.model_copy(update={"name": name}) if o.id == "demo.client-de" else o for o in seed.organizations]
    return MapTables.from_map(seed.model_copy(update={"organizations": orgs}))


def test_a_formula_in_a_name_stays_text_in_csv_and_xlsx() -> None:
    ropa = build_ropa(_map_with_client_named(FORMULA), DAY, load_knowledge_base(), clients=["demo.client-de"])
    rows = list(csv.DictReader(io.StringIO(ropa_csv(ropa))))
    assert {r["controller [Art. 30(1)(a)]"] for r in rows} == {"'" + FORMULA}
    buffer = io.BytesIO()
    write_ropa_xlsx(ropa, buffer)
    cell = load_workbook(io.BytesIO(buffer.getvalue()))["ROPA"]["B2"]
    assert cell.value == "'" + FORMULA and cell.data_type == "s"


def test_a_pipe_in_a_name_does_not_split_the_markdown_table() -> None:
    tables = MapTables.from_map(load_seed_map(SEEDS))
    annex = build_annex(tables, "demo.client-nl>interaction-next", DAY, load_knowledge_base())
    assert any("INTERACTION|NEXT" in s.name for s in annex.sub_processors)
    table = annex_markdown(annex).split("## ANNEX III")[1]
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| ---")]
    assert len(rows) == 1 + len(annex.sub_processors)
    for row in rows:  # unescaped pipes separate the cells: exactly one per column, plus the first
        assert row.replace("\\|", "").count("|") == len(ANNEX_III_COLUMNS) + 1


def test_every_csv_report_keeps_a_formula_as_text() -> None:
    """``flowmap report``, ``scenario`` and ``stale-evidence`` CSVs share one writer with the ROPA's guard."""
    from flowmap.domain.mechanisms import RegimeCode
    from flowmap.domain.results import Assessment, Status, Transfer
    from flowmap.reporting import Format, render_assessment

    transfer = Transfer(
        client=FORMULA,
        importer="@SUM(1)",
        destination="US",
        regime=RegimeCode.EU_GDPR,
        path=(),
        data_categories=(),
        basis="-1",
        basis_reference=None,
        status=Status.COMPLIANT,
        findings=(),
    )
    rows = list(csv.reader(io.StringIO(render_assessment(Assessment(DAY, (transfer,), ()), Format.CSV))))
    assert rows[1][1:5] == ["'" + FORMULA, "'@SUM(1)", "US", "'-1"]
