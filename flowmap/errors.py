"""Errors that reach users. Each carries enough context to act on without a stack trace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_core import ErrorDetails

PathKey = tuple[str | int, ...]
_MAX_SHOWN = 80
MAX_LISTED = 50  # issues spelled out in a message: a 100k-row file may have 100k, the first ones say enough


class FlowmapError(Exception):
    """Base for errors shown to users as one clear message (CLI exit code, API error code)."""

    code = "FLOWMAP_ERROR"
    exit_code = 1


@dataclass(frozen=True)
class Issue:
    """One validation problem, located as precisely as the input allows."""

    file: str
    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path or '<root>'}: {self.message}"


def format_path(path: PathKey) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def shown(value: Any) -> str:
    """A value for an error message, cut short: it may be a 1 MB string."""
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def pydantic_messages(errors: Sequence[ErrorDetails]) -> list[tuple[PathKey, str]]:
    """Pydantic's errors as (path, message), naming the bad value (shortened: it may be a 1 MB string)."""
    out = []
    for err in errors:
        msg = err["msg"].removeprefix("Value error, ")
        value = err.get("input")
        if err["type"] not in ("value_error", "missing") and not isinstance(value, dict | list):
            msg = f"{msg} (got {shown(value)})"
        out.append((tuple(err["loc"]), msg))
    return out


class ValidationFailed(FlowmapError):
    """Input was rejected before anything was written."""

    code = "VALIDATION_FAILED"
    exit_code = 2

    def __init__(self, issues: list[Issue], outcome: str = "nothing was written") -> None:
        self.issues = issues
        lines = "\n".join(f"  - {i}" for i in issues[:MAX_LISTED])
        more = f"\n  ... and {len(issues) - MAX_LISTED} more" if len(issues) > MAX_LISTED else ""
        super().__init__(f"{len(issues)} validation error(s); {outcome}:\n{lines}{more}")


class NotFound(FlowmapError):
    """An id given by the user names nothing in the map."""

    code = "NOT_FOUND"
    exit_code = 2

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class StoreLocked(FlowmapError):
    """The embedded database file is held by another process (LadybugDB allows one writer process)."""

    code = "STORE_LOCKED"
    exit_code = 3


class StoreUnavailable(FlowmapError):
    """The store cannot be reached or opened."""

    code = "STORE_UNAVAILABLE"
    exit_code = 4


class StoreIncompatible(FlowmapError):
    """The database was written by another schema or engine version."""

    code = "STORE_INCOMPATIBLE"
    exit_code = 5


class Conflict(FlowmapError):
    """An edit was made against a version of an engagement that is no longer the stored one (optimistic locking).

    Nothing was written: the caller re-reads the engagement and decides again, rather than overwrite a change it
    never saw.
    """

    code = "CONFLICT"
    exit_code = 6

    def __init__(self, engagement: str, expected: int, actual: int) -> None:
        self.engagement, self.expected, self.actual = engagement, expected, actual
        super().__init__(
            f"engagement {engagement[:200]!r} is at version {actual}, not the expected {expected}; "
            "nothing was written: read it again and retry"
        )
