"""Sub-processor tables from CSV, XLSX, HTML and Markdown map their columns and keep source lines."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from openpyxl import Workbook

from flowmap.intake import (
    IntakeDocument,
    IntakeError,
    SubprocessorRow,
    SubprocessorTable,
    read,
    read_bytes,
    read_tables,
    read_tables_bytes,
)
from flowmap.intake.headers import map_columns
from tests.intake.conftest import FIXTURES


def table(result: IntakeDocument | SubprocessorTable) -> SubprocessorTable:
    assert isinstance(result, SubprocessorTable), result
    return result


def test_csv_semicolon_with_bom_and_dutch_headers(tmp_path: Path):
    path = tmp_path / "subverwerkers.csv"
    content = 'Naam;Doel;Land;Doorgiftemechanisme\r\nHosting B.V.;Opslag;Nederland;\r\n"Cloud; Inc.";Back-ups;Verenigde Staten;SCC\r\n'
    path.write_bytes(codecs.BOM_UTF8 + content.encode("utf-8"))
    result = table(read(path))
    assert result.name == "subverwerkers.csv"
    assert result.columns == ("Naam", "Doel", "Land", "Doorgiftemechanisme")
    assert result.rows == (
        SubprocessorRow("Hosting B.V.", "Opslag", "Nederland", 2, {}),
        SubprocessorRow("Cloud; Inc.", "Back-ups", "Verenigde Staten", 3, {"transfer_mechanism": "SCC"}),
    )


def test_csv_comma_quoted_multiline_cell_keeps_physical_line_numbers():
    data = b'Company,Country,Activity,Website\nA Corp,US,"Hosting,\nand backups",a.example\n\nB GmbH,DE,Support,\n'
    result = table(read_bytes("list.csv", data))
    assert [(r.name, r.location, r.purpose, r.line) for r in result.rows] == [
        ("A Corp", "US", "Hosting,\nand backups", 2),
        ("B GmbH", "DE", "Support", 5),
    ]
    assert result.rows[0].extra == {"Website": "a.example"}


def test_tab_separated_text_without_csv_extension_is_a_table():
    data = "Sous-traitant\tFinalité\tPays\nHébergeur SAS\tHébergement\tFrance\n".encode("cp1252")
    result = table(read_bytes("export.txt", data))
    assert result.rows == (SubprocessorRow("Hébergeur SAS", "Hébergement", "France", 2, {}),)


def test_csv_with_a_title_row_above_the_header():
    result = table(read_bytes("list.csv", b"Our sub-processors (2024)\nName,Location\nA,IE\n"))
    assert result.columns == ("Name", "Location")
    assert result.rows == (SubprocessorRow("A", None, "IE", 3, {}),)


def test_xlsx_first_sheet_read_only(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Unterauftragsverarbeiter"
    sheet["A1"] = "Stand: 2024"
    sheet.append([])
    sheet.append(["Unterauftragsverarbeiter", "Zweck", "Standort", "Rolle", "Mitarbeiter"])
    sheet.append(["Rechenzentrum GmbH", "Hosting", "Deutschland", "Auftragsverarbeiter", 120])
    sheet.append([None, None, None])
    sheet.append(["Support AG", None, "Schweiz", None, 3.0])
    other = workbook.create_sheet("Ignored")
    other.append(["Name", "Country"])
    other.append(["Not read", "XX"])
    path = tmp_path / "liste.xlsx"
    workbook.save(path)

    result = table(read(path))
    assert result.columns == ("Unterauftragsverarbeiter", "Zweck", "Standort", "Rolle", "Mitarbeiter")
    assert result.rows == (
        SubprocessorRow(
            "Rechenzentrum GmbH", "Hosting", "Deutschland", 4, {"role": "Auftragsverarbeiter", "Mitarbeiter": "120"}
        ),
        SubprocessorRow("Support AG", None, "Schweiz", 6, {"Mitarbeiter": "3"}),
    )


def test_xlsx_table_not_in_the_top_left_corner_keeps_sheet_row_numbers(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["B3"], sheet["C3"] = "Name", "Country"
    sheet["B5"], sheet["C5"] = "Cloud Inc.", "US"
    sheet["Z1"] = None
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    result = table(read(path))
    assert result.columns == ("", "Name", "Country")
    assert result.rows == (SubprocessorRow("Cloud Inc.", None, "US", 5, {}),)


def test_csv_trailing_delimiter_adds_no_column():
    result = table(read_bytes("list.csv", b"Name;Country;\nA;US;\n"))
    assert result.columns == ("Name", "Country")


def test_prose_with_commas_is_not_mistaken_for_a_table():
    data = b"Name, address and country of the controller.\nWe are, in fact, the controller of your data, and of more.\n"
    assert isinstance(read_bytes("policy.txt", data), IntakeDocument)


def test_too_many_rows_is_refused():
    data = b"Name,Country\n" + b"A,US\n" * 10_001
    with pytest.raises(IntakeError, match=r"more than 10,000 rows"):
        read_bytes("huge.csv", data)


def test_xlsx_detected_by_content_without_extension(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Country"])
    sheet.append(["A", "FR"])
    path = tmp_path / "upload.bin"
    workbook.save(path)
    assert table(read_bytes("upload", path.read_bytes())).rows == (SubprocessorRow("A", None, "FR", 2, {}),)


def test_html_page_that_is_only_a_table():
    result = table(read(FIXTURES / "subprocessors.html"))
    assert result.columns == ("Sub-processor", "Service", "Country", "Transfer mechanism")
    assert result.rows == (
        SubprocessorRow("Example Cloud Inc.", "Hosting & backups", "United States", 15, {"transfer_mechanism": "SCCs"}),
        SubprocessorRow("Mailer B.V.", "Transactional email", "Netherlands", 16, {}),
    )


def test_html_annex_with_prose_is_a_document_and_its_table_on_request():
    doc = read(FIXTURES / "annex_fr.html")
    assert isinstance(doc, IntakeDocument)
    assert doc.language == "fr"
    assert "Hébergeur SAS\tHébergement des données\tFrance" in doc.text
    (found,) = read_tables(FIXTURES / "annex_fr.html")
    assert [(r.name, r.purpose, r.location, r.line, r.extra) for r in found.rows] == [
        ("Hébergeur SAS", "Hébergement des données", "France", 8, {"transfer_mechanism": "Sans objet"}),
        (
            "Support Ltd",
            "Assistance aux utilisateurs",
            "Royaume-Uni",
            9,
            {"transfer_mechanism": "Décision d'adéquation"},
        ),
    ]


def test_html_rowspan_and_colspan_fill_the_grid():
    page = (
        b"<table><tr><th>Name</th><th>Purpose</th><th>Location</th></tr>"
        b"<tr><td rowspan='2'>Cloud</td><td>Hosting</td><td>US</td></tr>"
        b"<tr><td>Backup</td><td>IE</td></tr>"
        b"<tr><td colspan=2>Mail</td><td>DE</td></tr></table>"
    )
    result = table(read_bytes("grid.html", page))
    assert [(r.name, r.purpose, r.location) for r in result.rows] == [
        ("Cloud", "Hosting", "US"),
        ("Cloud", "Backup", "IE"),
        ("Mail", "Mail", "DE"),
    ]


@pytest.mark.parametrize("span", ["²", "-3", "x", "0", "99999999999999999999"])
def test_html_odd_spans_are_harmless(span: str):
    page = f'<table><tr><th>Name</th><th>Country</th></tr><tr><td colspan="{span}" rowspan="{span}">A</td><td>US</td></tr></table>'
    rows = table(read_bytes("odd.html", page.encode())).rows
    assert rows[0].name == "A"
    assert len(rows[0].extra) <= 200


def test_html_layout_table_holding_a_policy_stays_a_document():
    page = b"<html><body><table><tr><td><p>We process your data in the EU and we do not sell it.</p></td></tr></table></body></html>"
    doc = read_bytes("old.html", page)
    assert isinstance(doc, IntakeDocument)
    assert doc.text == "We process your data in the EU and we do not sell it."
    assert read_tables_bytes("old.html", page) == ()


def test_markdown_file_that_is_only_a_table():
    result = table(read(FIXTURES / "subprocessors_de.md"))
    assert result.columns == ("Unterauftragsverarbeiter", "Zweck", "Standort", "Rolle")
    assert result.rows == (
        SubprocessorRow("Rechenzentrum GmbH", "Hosting", "Deutschland", 5, {"role": "Auftragsverarbeiter"}),
        SubprocessorRow("Support | Service AG", "Kundensupport", "Schweiz", 6, {}),
    )


def test_markdown_policy_with_a_table_is_a_document_and_its_table_on_request():
    doc = read(FIXTURES / "policy_en.md")
    assert isinstance(doc, IntakeDocument)
    (found,) = read_tables(FIXTURES / "policy_en.md")
    assert found.rows == (SubprocessorRow("Example Cloud Inc.", "Hosting", "United States", 16, {}),)


def test_markdown_tables_in_code_fences_are_ignored():
    text = b"# Example\n\n```\n| Name | Country |\n|---|---|\n| Fake | XX |\n```\n"
    assert read_tables_bytes("readme.md", text) == ()


def test_text_and_pdf_have_no_tables():
    assert read_tables_bytes("policy.txt", b"We process your data in the EU.") == ()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["Sub-processor", "Purpose", "Country"], {"name": 0, "purpose": 1, "location": 2}),
        (["ENTITY NAME", "Services provided", "Processing location(s)"], {"name": 0, "purpose": 1, "location": 2}),
        (["Naam", "Doel", "Land"], {"name": 0, "purpose": 1, "location": 2}),
        (["Unterauftragsverarbeiter", "Zweck", "Standort"], {"name": 0, "purpose": 1, "location": 2}),
        (["Sous-traitant ultérieur", "Finalité", "Pays"], {"name": 0, "purpose": 1, "location": 2}),
        (["Company", "Activity", "Region", "Role", "Data categories", "Safeguards"],
         {"name": 0, "purpose": 1, "location": 2, "role": 3, "data_categories": 4, "transfer_mechanism": 5}),
        (["Country of the entity", "Name of the sub-processor"], {"location": 0, "name": 1}),
        (["Name", "Name", "Website"], {"name": 0}),
    ],
)  # fmt: skip
def test_header_mapping(headers: list[str], expected: dict[str, int]):
    assert map_columns(headers) == expected


@pytest.mark.parametrize(
    ("name", "data", "missing"),
    [
        ("list.csv", b"Vendor;Purpose;Website\nA;Hosting;a.example\n", "no location column"),
        ("list.csv", b"Purpose,Country\nHosting,US\n", "no name column"),
        ("list.csv", b"Purpose,Website\nHosting,a.example\n", "no name and location column"),
    ],
)
def test_csv_missing_columns_are_named_with_the_columns_found(name: str, data: bytes, missing: str):
    with pytest.raises(IntakeError) as caught:
        read_bytes(name, data)
    message = str(caught.value)
    assert message.startswith("list.csv: ")
    assert missing in message
    assert "columns found: " in message
    assert "Accepted: a header row with a name column" in message


def test_csv_missing_columns_lists_the_found_headers():
    with pytest.raises(IntakeError, match=r"columns found: 'Vendor', 'Purpose', 'Website'"):
        read_bytes("list.csv", b"Vendor;Purpose;Website\nA;Hosting;a.example\n")


def test_row_without_a_name_is_refused_not_dropped():
    with pytest.raises(IntakeError, match=r"line 3 has no sub-processor name in column 'Name'"):
        read_bytes("list.csv", b"Name,Country\nA,US\n,CN\n")


def test_duplicate_and_unnamed_columns_keep_their_values_in_extra():
    data = b"Name;Country;location;;Country\nA;US;Virginia;note;IE\n"
    (row,) = table(read_bytes("list.csv", data)).rows
    assert row == SubprocessorRow("A", None, "US", 2, {"location": "Virginia", "column 4": "note", "Country": "IE"})


def test_xlsx_errors_show_the_row_that_was_meant_as_header(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Sub-processors of Example Ltd"])
    sheet.append(["Vendor", "Purpose", "Website"])
    sheet.append(["A", "Hosting", "a.example"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    with pytest.raises(IntakeError) as caught:
        read(path)
    assert str(caught.value).startswith(f"{path}: the sub-processor table has no location column")
    assert "columns found: 'Vendor', 'Purpose', 'Website'" in str(caught.value)


def test_xlsx_row_without_a_name_names_the_sheet_row(tmp_path: Path):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Name", "Country"])
    sheet.append(["A", "US"])
    sheet.append([None, "CN"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    with pytest.raises(IntakeError, match=r"row 3 has no sub-processor name in column 'Name'"):
        read(path)
