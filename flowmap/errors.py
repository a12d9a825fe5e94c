"""Errors that reach users. Each carries enough context to act on without a stack trace."""

from __future__ import annotations

from dataclasses import dataclass


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


class ValidationFailed(FlowmapError):
    """Input was rejected before anything was written."""

    code = "VALIDATION_FAILED"
    exit_code = 2

    def __init__(self, issues: list[Issue], outcome: str = "nothing was written") -> None:
        self.issues = issues
        lines = "\n".join(f"  - {i}" for i in issues)
        super().__init__(f"{len(issues)} validation error(s); {outcome}:\n{lines}")


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
