"""One embedded store seeded with the real seed map, shared by the report tests (seeding takes seconds)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flowmap.cli import app
from flowmap.settings import get_settings
from tests.conftest import SEEDS


def _point_at(mp: pytest.MonkeyPatch, data: Path) -> None:
    mp.setenv("FLOWMAP_STORE", "embedded")
    mp.setenv("FLOWMAP_DATA_DIR", str(data))
    mp.setenv("FLOWMAP_SEEDS_DIR", str(SEEDS))
    get_settings.cache_clear()


@pytest.fixture(scope="package")
def seeded_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("reports") / "data"
    with pytest.MonkeyPatch.context() as mp:
        _point_at(mp, data)
        result = CliRunner().invoke(app, ["seed"])
        assert result.exit_code == 0, result.output
    get_settings.cache_clear()
    yield data


@pytest.fixture
def seeded(seeded_data: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """FLOWMAP_* pointed at the seeded store for one test."""
    _point_at(monkeypatch, seeded_data)
    yield seeded_data
    get_settings.cache_clear()
