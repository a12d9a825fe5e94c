"""What kind of file an upload is, judged by its content first and its name second.

Names lie (a PDF renamed .txt, a page saved without extension), so magic bytes decide; the extension
only chooses between kinds content cannot tell apart (Markdown versus plain text, CSV versus text).
A file named .pdf without a PDF header is refused: it is usually a login or error page saved under
the document's name, and judging that page would be worse than asking again.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePath
from typing import Literal

from flowmap.intake.errors import ACCEPTED, IntakeError

Kind = Literal["pdf", "xlsx", "html", "markdown", "text", "csv"]

_BINARY = (  # well-known binary formats, named so the user learns what they sent
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Office file (.doc/.xls); save it as PDF or .xlsx"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"{\\rtf", "an RTF document; save it as PDF"),
)
_HTML_START = re.compile(r"\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_FRAGMENT = re.compile(r"\s*<(?:table|div|p|section|article|main|h[1-6])\b", re.I)
_MARKDOWN = re.compile(r"^(?:#{1,6}\s+\S|\s*\|?\s*:?-{3,}:?\s*\|)", re.M)
_EXTENSIONS: dict[str, Kind] = {
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "text",
    ".text": "text",
}


def extension(name: str) -> str:
    """Lower-case suffix of an upload name, which may carry a Windows path."""
    return PurePath(name.replace("\\", "/")).suffix.lower()


def _zip_kind(name: str, data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IntakeError(
            name, f"this looks like a ZIP/XLSX file but it is damaged ({exc}). Accepted: {ACCEPTED}."
        ) from None
    if "xl/workbook.xml" in members:
        return "xlsx"
    if "word/document.xml" in members:
        problem = "this is a Word document (.docx); save it as PDF"
    elif "ppt/presentation.xml" in members:
        problem = "this is a PowerPoint file; save it as PDF"
    elif extension(name) == ".xlsx":
        problem = "this is not a valid XLSX workbook (no xl/workbook.xml inside)"
    else:
        problem = "this is a ZIP archive; upload the documents inside it one by one"
    raise IntakeError(name, f"{problem}. Accepted: {ACCEPTED}.")


def binary_kind(name: str, data: bytes) -> Kind | None:
    """pdf or xlsx when the bytes say so; None for text; IntakeError for other binary formats."""
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return _zip_kind(name, data)
    for magic, what in _BINARY:
        if data.startswith(magic):
            raise IntakeError(name, f"this is {what}, not a text document. Accepted: {ACCEPTED}.")
    ext = extension(name)
    if ext in (".xlsx", ".xlsm"):
        raise IntakeError(name, f"this is not a valid XLSX workbook (not a ZIP file). Accepted: {ACCEPTED}.")
    if ext == ".pdf":  # often a login or error page saved under the PDF's name
        raise IntakeError(name, f"this is named .pdf but is not a PDF (no %PDF header). Accepted: {ACCEPTED}.")
    return None


def text_kind(name: str, text: str) -> Kind:
    """html, markdown, csv or text for a file already decoded as text."""
    if _HTML_START.match(text[:4096]):
        return "html"
    by_name = _EXTENSIONS.get(extension(name))
    if by_name is not None:
        return by_name
    if _HTML_FRAGMENT.match(text):
        return "html"
    return "markdown" if _MARKDOWN.search(text[:65536]) else "text"
