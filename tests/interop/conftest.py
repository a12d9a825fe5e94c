"""A seeded embedded store for the interop CLI tests (the real seed map, as users have it)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowmap.cli import app
from tests.conftest import SEEDS


@pytest.fixture
def seeded(embedded_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FLOWMAP_SEEDS_DIR", str(SEEDS))
    from flowmap.settings import get_settings

    get_settings.cache_clear()
    result = CliRunner().invoke(app, ["seed"])
    assert result.exit_code == 0, result.output
    return embedded_env
