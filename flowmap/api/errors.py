"""How errors leave the API: domain errors keep their code and the field at fault; anything unexpected is masked.

Codes, in ``extensions.code``: VALIDATION_FAILED and NOT_FOUND (bad input, with ``field``), CONFLICT (an
engagement's ``expectedVersion`` is not the stored one; with ``engagement``, ``expectedVersion``, ``actualVersion``),
UNAUTHENTICATED, FORBIDDEN, GRAPHQL_PARSE_FAILED, GRAPHQL_VALIDATION_FAILED, BAD_REQUEST,
STORE_* (the store), INTERNAL_SERVER_ERROR (masked: the log has the detail, the caller does not).
"""

from __future__ import annotations

import re
from typing import Any

from strawberry.extensions import MaskErrors

from flowmap.errors import MAX_LISTED, Conflict, FlowmapError, Issue, NotFound, ValidationFailed
from graphql import GraphQLError

INTERNAL = "INTERNAL_SERVER_ERROR"


def _camel(path: str) -> str:
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), path)


def field_of(issue: Issue) -> str:
    """``Issue('input', 'valid_to')`` -> ``'input.validTo'``: the field as the caller wrote it."""
    path = _camel(issue.path)
    if not path:
        return issue.file
    return f"{issue.file}{path}" if path.startswith("[") else f"{issue.file}.{path}"


def domain_extensions(exc: FlowmapError) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": exc.code}
    if isinstance(exc, ValidationFailed):
        issues = [{"field": field_of(i), "message": i.message} for i in exc.issues[:MAX_LISTED]]
        extensions |= {"field": issues[0]["field"] if issues else None, "issues": issues}
        if len(exc.issues) > MAX_LISTED:
            extensions["more"] = len(exc.issues) - MAX_LISTED
    elif isinstance(exc, NotFound):
        extensions["field"] = exc.field
    elif isinstance(exc, Conflict):
        extensions |= {"engagement": exc.engagement, "expectedVersion": exc.expected, "actualVersion": exc.actual}
    return extensions


def _message(exc: FlowmapError) -> str:
    if isinstance(exc, ValidationFailed):
        more = len(exc.issues) - MAX_LISTED
        return "; ".join(f"{field_of(i)}: {i.message}" for i in exc.issues[:MAX_LISTED]) + (
            f"; and {more} more" if more > 0 else ""
        )
    return str(exc)


def should_mask(error: GraphQLError) -> bool:
    """Errors raised by our own checks pass; anything else from a resolver is a bug and is masked."""
    original = error.original_error
    return original is not None and not isinstance(original, FlowmapError | GraphQLError)


class MaskUnexpected(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=should_mask, error_message="Unexpected error.")

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": INTERNAL}
        return masked


def formatted(error: GraphQLError) -> dict[str, Any]:
    """The error as JSON, with its code. Validation and parse errors carry no original error and no path."""
    out: dict[str, Any] = dict(error.formatted)
    original = error.original_error
    if isinstance(original, FlowmapError):
        out["message"] = _message(original)
        out["extensions"] = {**(error.extensions or {}), **domain_extensions(original)}
    elif not (error.extensions or {}).get("code"):
        code = "GRAPHQL_VALIDATION_FAILED" if error.path is None else INTERNAL
        out["extensions"] = {**(error.extensions or {}), "code": code}
    return out
