"""Every unreadable input gives one clear IntakeError naming the file, never a traceback."""

from __future__ import annotations

import contextlib
import io
import random
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfWriter

from flowmap.errors import FlowmapError
from flowmap.intake import MAX_BYTES, IntakeError, read, read_bytes, read_tables_bytes
from tests.intake.pdfgen import make_pdf

ACCEPTED = "Accepted: plain text, Markdown, HTML, PDF, or a sub-processor table as CSV or XLSX."


def refused(name: str, data: bytes) -> str:
    with pytest.raises(IntakeError) as caught:
        read_bytes(name, data)
    error = caught.value
    assert error.file == name
    assert str(error).startswith(f"{name}: ")
    assert error.__suppress_context__ or error.__context__ is None  # no chained traceback for users
    return str(error)


def test_error_type_and_codes():
    assert issubclass(IntakeError, FlowmapError)
    assert IntakeError.code == "INTAKE_FAILED"
    assert IntakeError.exit_code == 2
    assert MAX_BYTES == 20 * 1024 * 1024


def test_file_not_found(tmp_path: Path):
    missing = tmp_path / "nope.pdf"
    with pytest.raises(IntakeError, match=r"nope\.pdf: file not found\.") as caught:
        read(missing)
    assert caught.value.file == str(missing)


def test_directory(tmp_path: Path):
    with pytest.raises(IntakeError, match=r"this is a directory; give one file\. Accepted: "):
        read(tmp_path)


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"],
    ids=["empty", "whitespace", "bom", "bom-space"],
)
def test_empty(data: bytes):
    assert refused("policy.txt", data) == f"policy.txt: the file is empty (or only whitespace). {ACCEPTED}"


def test_empty_file_on_disk_names_the_path(tmp_path: Path):
    path = tmp_path / "empty.md"
    path.write_bytes(b"")
    with pytest.raises(IntakeError) as caught:
        read(path)
    assert str(caught.value) == f"{path}: the file is empty (or only whitespace). {ACCEPTED}"


def test_html_without_visible_text():
    assert "has no text in it" in refused("blank.html", b"<html><head><script>x()</script></head><body> </body></html>")


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64), "this is a PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "this is a JPEG image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64), "legacy Office file"),
        (bytes(random.Random(7).randrange(256) for _ in range(4096)) + b"\x00", "this is a binary file"),
        (bytes(range(1, 32)) * 64, "this is a binary file"),
    ],
    ids=["png", "jpeg", "ole2", "random-with-nul", "control-chars"],
)
def test_binary_files_are_refused(data: bytes, what: str):
    message = refused("upload.txt", data)
    assert what in message
    assert ACCEPTED in message


def test_fifty_megabyte_file_is_refused_before_reading(tmp_path: Path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: nothing is written
    started = time.perf_counter()
    with pytest.raises(IntakeError, match=r"huge\.pdf: the file is 50\.0 MB; the limit is 20 MB\."):
        read(path)
    assert time.perf_counter() - started < 1.0


def test_oversized_upload():
    assert "the limit is 20 MB" in refused("big.txt", b" " * (MAX_BYTES + 1))


def test_damaged_pdf():
    assert "the PDF cannot be read" in refused("dpa.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog garbage \x00\x01")


def test_truncated_pdf():
    data = make_pdf([["This text is cut off halfway."]])
    assert "the PDF cannot be read" in refused("cut.pdf", data[: len(data) // 2])


def test_pdf_without_text_layer():
    writer = PdfWriter()
    writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    message = refused("scan.pdf", out.getvalue())
    assert "the PDF has no extractable text (1 page(s), probably scanned images)" in message


def test_password_protected_pdf():
    writer = PdfWriter(clone_from=io.BytesIO(make_pdf([["Confidential."]])))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    assert "password-protected" in refused("locked.pdf", out.getvalue())


def test_pdf_name_without_pdf_content():
    message = refused("policy.pdf", b"<html><body>Please log in</body></html>")
    assert "named .pdf but is not a PDF" in message


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("list.xlsx", b"Name,Country\nA,US\n", "this is not a valid XLSX workbook (not a ZIP file)"),
        ("list.xlsx", _zip({"hello.txt": b"hi"}), "this is not a valid XLSX workbook (no xl/workbook.xml inside)"),
        (
            "list.xlsx",
            _zip({"xl/workbook.xml": b"<not-a-workbook", "[Content_Types].xml": b"<x/>"}),
            "this is not a valid XLSX workbook (",
        ),
        ("list.xlsx", _zip({"xl/workbook.xml": b"<x/>"})[:40], "damaged"),
        ("notes.docx", _zip({"word/document.xml": b"<w/>"}), "this is a Word document (.docx); save it as PDF"),
        ("bundle.zip", _zip({"a.txt": b"a"}), "this is a ZIP archive"),
    ],
    ids=["not-zip", "zip-without-workbook", "bad-workbook", "truncated-zip", "docx", "zip"],
)
def test_invalid_workbooks_and_archives(name: str, data: bytes, problem: str):
    assert problem in refused(name, data)


def test_csv_that_cannot_be_split_into_columns():
    assert "no name and location column" in refused("list.csv", b"just one line of prose\n")


@settings(max_examples=200, deadline=None)
@given(
    name=st.sampled_from(["x.txt", "x.md", "x.html", "x.csv", "x.pdf", "x.xlsx", "upload"]),
    data=st.binary(max_size=512) | st.text(max_size=300).map(lambda s: s.encode("utf-8")),
)
def test_arbitrary_bytes_never_raise_anything_but_intake_error(name: str, data: bytes):
    for entry in (read_bytes, read_tables_bytes):
        with contextlib.suppress(IntakeError):
            entry(name, data)
