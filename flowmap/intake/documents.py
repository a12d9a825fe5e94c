"""Vendor documents (privacy policy, DPA annex) as plain text with a language tag.

Markdown is kept as written, so offsets into the text point at what the vendor wrote; HTML is
reduced to its visible text; PDFs give each page's text, pages separated by a blank line.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Literal

from flowmap.intake.errors import IntakeError
from flowmap.intake.htmlparse import html_text
from flowmap.intake.language import detect_language

Media = Literal["text", "markdown", "html", "pdf"]


@dataclass(frozen=True)
class IntakeDocument:
    """One vendor document's text, ready for extraction."""

    name: str
    media: Media
    text: str
    language: str


def _document(name: str, media: Media, text: str) -> IntakeDocument:
    if not text.strip():
        raise IntakeError(name, f"the {media} document has no text in it. Upload the document with its content.")
    return IntakeDocument(name=name, media=media, text=text, language=detect_language(text))


def from_text(name: str, text: str, media: Literal["text", "markdown"] = "text") -> IntakeDocument:
    """Plain text or Markdown, kept as is (markup included) so offsets stay meaningful."""
    return _document(name, media, text)


def from_html(name: str, source: str) -> IntakeDocument:
    """The visible text of an HTML page."""
    return _document(name, "html", html_text(source))


def _pdf_pages(name: str, data: bytes) -> list[str]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IntakeError(name, "the PDF is password-protected. Upload a copy without a password.")
        return [page.extract_text() or "" for page in reader.pages]
    except IntakeError:
        raise
    except (FileNotDecryptedError, DependencyError):
        raise IntakeError(
            name, "the PDF is encrypted and cannot be opened. Upload a copy without a password."
        ) from None
    except Exception as exc:  # pypdf raises many types on damaged input; all mean "unreadable"
        raise IntakeError(
            name,
            f"the PDF cannot be read ({type(exc).__name__}: {exc}). "
            "Upload an undamaged PDF, or the text as HTML or text.",
        ) from None


def from_pdf(name: str, data: bytes) -> IntakeDocument:
    """Each page's text, pages separated by a blank line; a scan without a text layer is refused."""
    pages = [page.strip("\n") for page in _pdf_pages(name, data)]
    text = "\n\n".join(page for page in pages if page.strip())
    if not text.strip():
        raise IntakeError(
            name,
            f"the PDF has no extractable text ({len(pages)} page(s), probably scanned images). "
            "Upload a PDF with a text layer (run OCR first), or the text as HTML or text.",
        )
    return IntakeDocument(name=name, media="pdf", text=text, language=detect_language(text))
