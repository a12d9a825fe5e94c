"""The intake entry points: a path or an upload in, a document or a sub-processor table out."""

from __future__ import annotations

import stat
from pathlib import Path

from flowmap.intake import documents, tables
from flowmap.intake.documents import IntakeDocument
from flowmap.intake.encoding import decode
from flowmap.intake.errors import ACCEPTED, IntakeError
from flowmap.intake.htmlparse import html_tables
from flowmap.intake.sniff import Kind, binary_kind, text_kind
from flowmap.intake.tables import SubprocessorTable

MAX_BYTES = 20 * 1024 * 1024
_MB = 1024 * 1024


def _too_large(name: str, size: int) -> IntakeError:
    return IntakeError(
        name,
        f"the file is {size / _MB:.1f} MB; the limit is {MAX_BYTES // _MB} MB. Upload the relevant part "
        "(the privacy policy, the DPA annex or the sub-processor list) as a separate file.",
    )


def _empty(name: str) -> IntakeError:
    return IntakeError(name, f"the file is empty (or only whitespace). Accepted: {ACCEPTED}.")


def _classify(name: str, data: bytes) -> tuple[Kind, str]:
    """The file's kind and, for text kinds, its decoded text (empty for PDF and XLSX)."""
    if len(data) > MAX_BYTES:
        raise _too_large(name, len(data))
    if not data.strip():
        raise _empty(name)
    kind = binary_kind(name, data)
    if kind is not None:
        return kind, ""
    text = decode(name, data)
    if not text.strip():
        raise _empty(name)
    kind = text_kind(name, text)
    if kind == "text" and tables.looks_like_csv(text):
        kind = "csv"
    return kind, text


def _whole_table(name: str, kind: Kind, text: str) -> SubprocessorTable | None:
    """The table, when an HTML or Markdown file holds one sub-processor table and nothing but headings."""
    raw, whole = html_tables(text) if kind == "html" else tables.markdown_tables(text)
    if not whole or len(raw) != 1:
        return None
    found = tables.from_raw(name, raw)
    return found[0] if found else None  # a layout table holding a whole policy is still a document


def read_bytes(name: str, data: bytes) -> IntakeDocument | SubprocessorTable:
    """An upload: a CSV, XLSX or table-only page gives a table, anything else readable a document."""
    kind, text = _classify(name, data)
    if kind == "pdf":
        return documents.from_pdf(name, data)
    if kind == "xlsx":
        return tables.from_xlsx(name, data)
    if kind == "csv":
        return tables.from_csv(name, text)
    if kind in ("html", "markdown"):
        table = _whole_table(name, kind, text)
        if table is not None:
            return table
    if kind == "html":
        return documents.from_html(name, text)
    return documents.from_text(name, text, "markdown" if kind == "markdown" else "text")


def read_tables_bytes(name: str, data: bytes) -> tuple[SubprocessorTable, ...]:
    """Every sub-processor table in an upload (a DPA annex may embed one in its prose); none for PDF or text."""
    kind, text = _classify(name, data)
    if kind == "xlsx":
        return (tables.from_xlsx(name, data),)
    if kind == "csv":
        return (tables.from_csv(name, text),)
    if kind == "html":
        return tuple(tables.from_html(name, text))
    if kind == "markdown":
        return tuple(tables.from_markdown(name, text))
    return ()


def _load(path: Path) -> bytes:
    """The file's bytes, refusing missing, non-regular and oversized files before reading them."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise IntakeError(str(path), "file not found.") from None
    except OSError as exc:
        raise IntakeError(str(path), f"the file cannot be opened ({exc.strerror or exc}).") from None
    if stat.S_ISDIR(info.st_mode):
        raise IntakeError(str(path), f"this is a directory; give one file. Accepted: {ACCEPTED}.")
    if not stat.S_ISREG(info.st_mode):
        raise IntakeError(str(path), f"this is not a regular file. Accepted: {ACCEPTED}.")
    if info.st_size > MAX_BYTES:
        raise _too_large(str(path), info.st_size)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise IntakeError(str(path), f"the file cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_BYTES:
        raise _too_large(str(path), len(data))
    return data


def read(path: Path) -> IntakeDocument | SubprocessorTable:
    """A file on disk; results carry the file's name, errors its path."""
    path = Path(path)
    data = _load(path)
    try:
        return read_bytes(path.name, data)
    except IntakeError as exc:
        raise IntakeError(str(path), exc.problem) from None


def read_tables(path: Path) -> tuple[SubprocessorTable, ...]:
    """Every sub-processor table in a file on disk."""
    path = Path(path)
    data = _load(path)
    try:
        return read_tables_bytes(path.name, data)
    except IntakeError as exc:
        raise IntakeError(str(path), exc.problem) from None
