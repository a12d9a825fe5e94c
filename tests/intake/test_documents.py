"""Documents in every accepted format come out as plain text with a language tag."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from flowmap.intake import IntakeDocument, SubprocessorTable, read, read_bytes
from tests.intake.conftest import FIXTURES
from tests.intake.pdfgen import make_pdf

DUTCH = "Wij verwerken uw persoonsgegevens zorgvuldig. Café, coördinatie en één privéadres – dat is alles wat wij van u bewaren."


def document(result: IntakeDocument | SubprocessorTable) -> IntakeDocument:
    assert isinstance(result, IntakeDocument), result
    return result


def test_plain_text():
    doc = document(read_bytes("policy.txt", b"We keep your data in the EU and we do not sell it.\r\nSecond line.\r\n"))
    assert doc == IntakeDocument(
        name="policy.txt",
        media="text",
        text="We keep your data in the EU and we do not sell it.\nSecond line.\n",
        language="en",
    )


def test_markdown_is_kept_as_written_so_offsets_point_at_the_source():
    source = (FIXTURES / "policy_en.md").read_text(encoding="utf-8")
    doc = document(read(FIXTURES / "policy_en.md"))
    assert doc.media == "markdown"
    assert doc.name == "policy_en.md"
    assert doc.text == source
    assert doc.language == "en"
    assert doc.text.index("## Where your data goes") == source.index("## Where your data goes")


def test_markdown_recognised_by_content_without_extension():
    doc = document(read_bytes("upload", b"# Privacy\n\nWe process your data in the EU.\n"))
    assert doc.media == "markdown"


def test_html_drops_scripts_and_styles_keeps_blocks_and_unescapes():
    page = (
        b"<!doctype html><html><head><title>Privacy</title><style>p { color: red }</style>"
        b"<script>var secret = '<p>hidden</p>';</script></head><body>"
        b"<h1>Privacy &amp; cookies</h1><p>We   process your&nbsp;data<br>in the EU.</p>"
        b"<ul><li>Name</li><li>Email &lt;address&gt;</li></ul><noscript>Enable JS</noscript>"
        b"<table><tr><td>A</td><td>B</td></tr></table><pre>keep   spaces</pre></body></html>"
    )
    doc = document(read_bytes("policy.html", page))
    assert doc.media == "html"
    assert doc.text == (
        "Privacy\n\nPrivacy & cookies\n\nWe process your data\nin the EU.\n\nName\nEmail <address>\n\nA\tB\n\nkeep   spaces"
    )
    assert "secret" not in doc.text and "color" not in doc.text and "Enable JS" not in doc.text


def test_html_detected_by_content_despite_txt_name():
    doc = document(
        read_bytes("saved.txt", b"  <!DOCTYPE html>\n<html><body><p>We keep your data safe.</p></body></html>")
    )
    assert doc.media == "html"
    assert doc.text == "We keep your data safe."


def test_html_fragment_without_extension():
    doc = document(read_bytes("fragment", b"<p>Wir verarbeiten Ihre Daten nur in der EU.</p><p>Das ist alles.</p>"))
    assert doc.media == "html"
    assert doc.text == "Wir verarbeiten Ihre Daten nur in der EU.\n\nDas ist alles."
    assert doc.language == "de"


def test_html_with_declared_legacy_charset():
    page = '<html><head><meta charset="windows-1252"></head><body><p>Données traitées en France – à Paris.</p></body></html>'
    doc = document(read_bytes("page.html", page.encode("cp1252")))
    assert doc.text == "Données traitées en France – à Paris."


def test_html_declared_latin1_is_read_as_windows_1252_like_browsers_do():
    page = "<html><head><meta charset=iso-8859-1></head><body><p>Prix – 10 €, café</p></body></html>"
    assert document(read_bytes("page.html", page.encode("cp1252"))).text == "Prix – 10 €, café"


def test_pdf_pages_joined_by_blank_lines():
    data = make_pdf(
        [
            ["We process your personal data (as a processor).", "The data is stored in Ireland."],
            [],
            ["Page three is the last page of this policy."],
        ]
    )
    doc = document(read_bytes("dpa.pdf", data))
    assert doc.media == "pdf"
    assert doc.text == (
        "We process your personal data (as a processor).\nThe data is stored in Ireland.\n\n"
        "Page three is the last page of this policy."
    )
    assert doc.language == "en"


def test_pdf_fixture_from_disk():
    doc = document(read(FIXTURES / "minimal.pdf"))
    assert doc == IntakeDocument(
        name="minimal.pdf",
        media="pdf",
        text="Hello from a minimal PDF.\nWe process your data in the EU.",
        language="en",
    )


def test_pdf_detected_by_magic_bytes_despite_name():
    doc = document(read_bytes("renamed.txt", make_pdf([["Nous traitons vos données en France."]])))
    assert doc.media == "pdf"


def test_pdf_with_leading_junk_before_header():
    doc = document(read_bytes("junk.pdf", b"\r\n" + make_pdf([["The text is still here."]])))
    assert doc.text == "The text is still here."


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + DUTCH.encode("utf-8"), DUTCH),
        (DUTCH.encode("utf-16"), DUTCH),  # with BOM
        (codecs.BOM_UTF16_BE + DUTCH.encode("utf-16-be"), DUTCH),
        (DUTCH.encode("utf-32"), DUTCH),
        (DUTCH.encode("utf-16-le"), DUTCH),  # no BOM
        (DUTCH.encode("utf-8"), DUTCH),
        (DUTCH.encode("cp1252"), DUTCH),
    ],
    ids=["utf8-bom", "utf16-bom", "utf16be-bom", "utf32", "utf16le-no-bom", "utf8", "cp1252"],
)
def test_encodings(data: bytes, expected: str):
    doc = document(read_bytes("beleid.txt", data))
    assert doc.text == expected
    assert doc.language == "nl"


def test_cp1252_dutch_file_on_disk(tmp_path: Path):
    path = tmp_path / "privacyverklaring.txt"
    text = "Wij delen uw gegevens niet met derden, tenzij dat nodig is voor de uitvoering van de overeenkomst. Coördinator: één."
    path.write_bytes(text.encode("cp1252"))
    doc = document(read(path))
    assert "Coördinator: één." in doc.text
    assert doc.language == "nl"


def test_undecodable_bytes_never_crash():
    data = (
        b"Policy text \x81\x8d\x8f\x90\x9d with bytes cp1252 leaves undefined, and the rest is English for the reader."
    )
    doc = document(read_bytes("odd.txt", data))
    assert doc.text.startswith("Policy text ")
    assert doc.text.endswith("for the reader.")


def test_short_legacy_text_is_not_read_as_an_exotic_code_page():
    doc = document(read_bytes("short.txt", "Größe".encode("latin-1")))
    assert doc.text == "Größe"
    assert doc.language == "und"


def test_non_western_legacy_code_page():
    text = "Обработка персональных данных: компания, получатель, цель обработки."
    assert document(read_bytes("ru.txt", text.encode("cp1251"))).text == text
