"""graphql/schema.graphql is checked in for the frontend and clients; it must match the code."""

from __future__ import annotations

from flowmap.api.schema import sdl
from flowmap.settings import PROJECT_ROOT


def test_checked_in_schema_matches_the_code() -> None:
    checked_in = (PROJECT_ROOT / "graphql" / "schema.graphql").read_text(encoding="utf-8")
    assert checked_in == sdl(), "graphql/schema.graphql drifted: run `flowmap export-schema` and commit it"
