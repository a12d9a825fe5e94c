"""The one error intake raises, so the CLI and API can show it without a traceback."""

from __future__ import annotations

from flowmap.errors import FlowmapError

ACCEPTED = "plain text, Markdown, HTML, PDF, or a sub-processor table as CSV or XLSX"


class IntakeError(FlowmapError):
    """A vendor document could not be read; the message names the file, the problem and what is accepted."""

    code = "INTAKE_FAILED"
    exit_code = 2

    def __init__(self, file: str, problem: str) -> None:
        self.file = file
        self.problem = problem
        super().__init__(f"{file}: {problem}")
