"""The built dashboard is served at / beside the API; without a build, / says how to make one."""

from __future__ import annotations

from pathlib import Path

from flowmap.store import GraphStore
from tests.api.conftest import serve


async def test_built_dashboard_is_served_at_root_and_the_api_still_answers(seeded: GraphStore, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><div id=root>flowmap dashboard</div>", encoding="utf-8")
    (dist / "assets" / "app.js").write_text("console.log('x')", encoding="utf-8")
    async with serve(seeded, frontend_dir=dist) as api:
        index = await api.http.get("/")
        assert index.status_code == 200 and "flowmap dashboard" in index.text
        assert (await api.http.get("/assets/app.js")).status_code == 200
        assert (await api.data("{ version }"))["version"]
        assert (await api.http.get("/healthz")).json()["status"] == "ok"


async def test_missing_build_points_at_the_command(seeded: GraphStore, tmp_path: Path) -> None:
    async with serve(seeded, frontend_dir=tmp_path / "nowhere") as api:
        response = await api.http.get("/")
        assert response.status_code == 503 and "make run" in response.text
