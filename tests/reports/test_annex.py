"""`flowmap annex`: Annexes I and III of the 2021 SCCs, checked against the engine's own walk and verdicts."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from flowmap.cli import app
from flowmap.domain.assess import assess
from flowmap.domain.chains import Walk
from flowmap.domain.tables import MapTables
from flowmap.law import load_knowledge_base
from flowmap.reports.annex import build_annex
from flowmap.reports.annex_writers import ANNEX_III_COLUMNS
from flowmap.settings import get_settings
from flowmap.store import open_store

runner = CliRunner()
TODAY = date.today()


async def _tables() -> MapTables:
    store = await open_store(get_settings(), fallback_read_only=True)
    try:
        return await store.read_tables()
    finally:
        await store.close()


def _expected(tables: MapTables, engagement: str, day: date) -> tuple[set[str], set[tuple[str, str | None, str]]]:
    """The engine's answer: the organisations the walk from this engagement reaches beyond its importer, and
    the assessment's (importer, destination, status) for the chains that start with it."""
    edge = tables.edge_by_key[engagement]
    reached = {r.edge.importer for r in Walk(tables.on(day), edge.exporter, [edge]).reaches()[1:]}
    result = assess(tables, day, load_knowledge_base(), clients=[edge.exporter])
    judged = {
        (t.importer, t.destination, t.status.value)
        for t in result.transfers
        if t.path[0].engagement == engagement and len(t.path) > 1
    }
    return reached, judged


@pytest.mark.parametrize(
    ("engagement", "day"),
    [
        ("demo.client-be>interaction-force", TODAY),  # four sub-processors, locations unnamed
        ("demo.client-de>interactions", TODAY),  # an unnamed hosting class behind a US processor
        ("demo.client-de>interactions", date(2020, 7, 15)),  # the day before Schrems II
    ],
)
def test_annex_iii_lists_every_sub_processor_the_engine_walks(seeded: Path, engagement: str, day: date) -> None:
    tables = asyncio.run(_tables())
    reached, judged = _expected(tables, engagement, day)
    assert reached  # the chain is not empty: the test would prove nothing
    annex = build_annex(tables, engagement, day, load_knowledge_base())
    assert {s.id for s in annex.sub_processors} == reached
    rows = {s.id: s for s in annex.sub_processors}
    for importer, destination, status in judged:
        row = rows[importer]
        assert any(status in g.status and (destination is None or f"({destination})" in g.destination)
                   for g in row.safeguards), (importer, row.safeguard)  # fmt: skip
        assert row.location and row.safeguard and "relied on" in row.safeguard
    md = runner.invoke(app, ["annex", engagement, "--as-of", day.isoformat()])
    assert md.exit_code == 0, md.output
    table = md.stdout.split("## ANNEX III")[1]
    for s in annex.sub_processors:
        assert f"| {s.name} | {s.id} |" in table


def test_annex_docx_has_the_same_rows(seeded: Path, tmp_path: Path) -> None:
    engagement = "demo.client-be>interaction-force"
    out = tmp_path / "annex.docx"
    result = runner.invoke(app, ["annex", engagement, "--format", "docx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 sub-processor(s)" in result.stderr
    doc = Document(str(out))
    annex_iii = doc.tables[-1]
    header, *rows = [[c.text for c in r.cells] for r in annex_iii.rows]
    assert tuple(header) == ANNEX_III_COLUMNS
    tables = asyncio.run(_tables())
    built = build_annex(tables, engagement, TODAY, load_knowledge_base())
    expected = [[s.name, s.id, s.address, s.location, s.processing, s.categories, s.safeguard, s.via]
                for s in built.sub_processors]  # fmt: skip
    assert rows == expected
    reached, _ = _expected(tables, engagement, TODAY)
    assert {r[1] for r in rows} == reached == {"nixxis", "amazon", "maniterm", "voxbone"}
    for r in rows:  # no country is named for them: said so, not guessed
        assert r[3] == "location not recorded in the map; may leave the EEA"
        assert "Unspecified 'appropriate safeguards' — no transfer tool named" in r[6] and "NEEDS_REVIEW" in r[6]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "not legal advice" in text and "ANNEX I" in text and "C. COMPETENT SUPERVISORY AUTHORITY" in text
    parties = [[c.text for c in r.cells] for r in doc.tables[0].rows] + [
        [c.text for c in r.cells] for r in doc.tables[1].rows
    ]
    assert ["Name", "Interaction Force B.V.B.A."] in parties and ["Role (controller/processor)", "processor"] in parties
    assert ["Address", "not recorded in the map"] in parties  # the demo client's address is not in the map


def test_annex_i_for_a_us_processor_marks_the_shield(seeded: Path) -> None:
    result = runner.invoke(app, ["annex", "demo.client-de>interactions", "--as-of", "2020-07-15"])
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Module 2 (controller to processor)" in text and "as of 2020-07-15" in text
    assert "- Address: 31 Hayward Street, Suite E, Franklin, MA 02038, United States" in text
    assert "The supervisory authority of Germany (DE)" in text
    assert "Categories of data subjects whose personal data is transferred:** not recorded in the map" in text
    assert "Hosting and cloud computing providers (Interactions, unnamed)" in text.split("## ANNEX III")[1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["annex", "nobody>nothing"], "'nobody>nothing' is not an engagement in the map"),
        (["annex", "demo.client-be>interactions:2017"], "is not in force on"),  # retired 2021-03-31
        (["annex", "demo.client-be>interaction-force", "--as-of", "2020-13-01"], "is not a date"),
    ],
)
def test_annex_bad_arguments_are_named(seeded: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and message in result.stderr, result.output


def test_annex_docx_to_a_pipe(seeded: Path) -> None:
    piped = runner.invoke(app, ["annex", "demo.client-be>demo.nimbus-cloud", "--format", "docx"])
    assert piped.exit_code == 0, piped.output
    doc = Document(io.BytesIO(piped.stdout_bytes))
    assert "The map records no sub-processor in this engagement's chain on this date." in [
        p.text for p in doc.paragraphs
    ]
