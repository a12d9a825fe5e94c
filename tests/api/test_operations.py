"""Every checked-in operation in graphql/operations runs over HTTP against the seed map and answers sensibly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from flowmap.settings import PROJECT_ROOT
from tests.api.conftest import Api

OPERATIONS = PROJECT_ROOT / "graphql" / "operations"
DOC = "doc.demo.contract-register"

VARIABLES: dict[str, dict[str, Any]] = {
    "client_chain": {"clientId": "demo.client-be"},
    "vendor_profile": {"id": "interactions"},
    "record_tia": {
        "engagementId": "demo.client-nl>interact-cx",
        "reference": "TIA-2026-014",
        "evidence": {"document": DOC, "quote": "TIA on file"},
    },
}


def _check(name: str, data: dict[str, Any]) -> None:
    """What each question must show on the seed map."""
    if name == "third_country_transfers":
        assert data["transfers"]["totalCount"] > 0
        assert {e["node"]["status"] for e in data["transfers"]["edges"]} >= {"COMPLIANT", "NON_COMPLIANT"}
    elif name == "legacy_mechanisms":
        importers = {e["node"]["importer"]["id"] for e in data["transfers"]["edges"]}
        assert "interactions" in importers
        assert data["findings"]["totalCount"] > 0
    elif name == "dpf_falls":
        assert data["scenario"]["broken"] >= 1 and data["scenario"]["fallback"] >= 1
    elif name == "client_chain":
        chain = data["chain"]
        assert chain["client"]["id"] == "demo.client-be"
        assert max(n["depth"] for n in chain["nodes"]) <= 5 + 1  # countries sit one past the last organisation
        assert any(e["kind"] == "ENGAGEMENT" for e in chain["edges"])
    elif name == "exposure_map":
        codes = {(row["destination"] or {}).get("code") for row in data["exposure"]}
        assert "US" in codes
    elif name == "vendor_profile":
        assert data["organization"]["engagementsIn"]["totalCount"] > 0
    elif name == "record_tia":
        assert data["recordTia"]["tiaRef"] == "TIA-2026-014"
    else:
        pytest.fail(f"{name}.graphql has no check here: add one")


@pytest.mark.parametrize("path", sorted(OPERATIONS.glob("*.graphql")), ids=lambda p: p.stem)
async def test_operation_runs_against_the_seed_map(api: Api, path: Path) -> None:
    data = await api.data(path.read_text(encoding="utf-8"), VARIABLES.get(path.stem, {}))
    _check(path.stem, data)


def test_there_are_operations() -> None:
    assert len(list(OPERATIONS.glob("*.graphql"))) >= 4
