"""Reading vendor documents (text, Markdown, HTML, PDF) and sub-processor tables into plain text and rows."""

from flowmap.intake.documents import IntakeDocument
from flowmap.intake.errors import IntakeError
from flowmap.intake.reader import MAX_BYTES, read, read_bytes, read_tables, read_tables_bytes
from flowmap.intake.tables import SubprocessorRow, SubprocessorTable

__all__ = [
    "MAX_BYTES",
    "IntakeDocument",
    "IntakeError",
    "SubprocessorRow",
    "SubprocessorTable",
    "read",
    "read_bytes",
    "read_tables",
    "read_tables_bytes",
]
