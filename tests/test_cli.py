"""The CLI as users run it: exit codes, messages, idempotent seeding, all-or-nothing writes, one owner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from typer.testing import CliRunner

from flowmap.cli import app
from flowmap.domain.models import FlowMap
from flowmap.store.bulk import write_bulk

runner = CliRunner()


def _stats(env: dict[str, str] | None = None) -> dict[str, object]:
    result = runner.invoke(app, ["stats", "--json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("seed", "stats", "serve", "validate"):
        assert command in result.stdout


def test_seed_twice_gives_identical_stats(embedded_env: Path) -> None:
    first = runner.invoke(app, ["seed"])
    assert first.exit_code == 0, first.output
    assert "statements" in first.stderr and "Organization" in first.stdout
    stats_1 = _stats()
    assert runner.invoke(app, ["seed"]).exit_code == 0
    assert _stats() == stats_1
    assert stats_1["nodes"]["Organization"] == 4  # type: ignore[index]


def test_bad_country_fails_and_keeps_the_previous_map(embedded_env: Path, mini_seeds_copy: Path) -> None:
    assert runner.invoke(app, ["seed"]).exit_code == 0
    before = _stats()
    text = (mini_seeds_copy / "map.yaml").read_text()
    (mini_seeds_copy / "map.yaml").write_text(text.replace("country: NL", "country: XX"))
    (mini_seeds_copy / "extra.yaml").write_text(
        "organizations:\n  - id: newcomer\n    name: New\n    evidence: [{document: doc.acme.policy, quote: q}]\n"
    )
    result = runner.invoke(app, ["seed", "--reset", "--seeds-dir", str(mini_seeds_copy)])
    assert result.exit_code == 2
    assert "seeds/map.yaml" in result.stderr and "organizations[0].country" in result.stderr
    assert "'XX'" in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert _stats() == before


def test_validate_does_not_need_a_store(tmp_path: Path, mini_seeds_copy: Path) -> None:
    result = runner.invoke(app, ["validate", "--seeds-dir", str(mini_seeds_copy)])
    assert result.exit_code == 0 and "4 organisations" in result.stdout


def test_second_writer_gets_a_clear_error(embedded_env: Path) -> None:
    assert runner.invoke(app, ["seed"]).exit_code == 0
    holder = textwrap.dedent(
        """
        import sys, time
        from pathlib import Path
        from flowmap.store.embedded import EmbeddedExecutor
        ex = EmbeddedExecutor(Path(sys.argv[1]))
        print("ready", flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", holder, str(embedded_env / "flowmap.lbug")],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        result = runner.invoke(app, ["seed"])
        assert result.exit_code == 3
        assert f"in use by process {proc.pid}" in result.stderr
        assert "flowmap serve" in result.stderr and "Traceback" not in result.output
        # reads still work, from the owner's last checkpoint
        stats = runner.invoke(app, ["stats", "--json"])
        assert stats.exit_code == 0 and json.loads(stats.stdout)["nodes"]["Organization"] == 4
        assert "another process owns" in stats.stderr
    finally:
        proc.kill()
        proc.wait()


def test_stats_on_a_new_store_shows_zero_counts(embedded_env: Path) -> None:
    stats = _stats()
    assert stats["store"] == "embedded" and stats["nodes"]["Organization"] == 0  # type: ignore[index]


def test_neo4j_without_uri_is_a_clear_error(embedded_env: Path) -> None:
    result = runner.invoke(app, ["stats"], env={"FLOWMAP_STORE": "neo4j", "FLOWMAP_NEO4J_URI": ""})
    assert result.exit_code == 4 and "FLOWMAP_NEO4J_URI" in result.stderr


def test_the_installed_entry_point_runs() -> None:
    exe = Path(sys.executable).parent / "flowmap"
    result = subprocess.run([str(exe), "--help"], capture_output=True, text=True, env=os.environ, check=False)
    assert result.returncode == 0 and "seed" in result.stdout


def test_an_incompatible_store_is_refused_and_reset_rebuilds_it(embedded_env: Path) -> None:
    import asyncio

    from flowmap.settings import get_settings
    from flowmap.store import open_store
    from flowmap.store.queries import Query

    assert runner.invoke(app, ["seed"]).exit_code == 0

    async def pretend_old_version() -> None:
        store = await open_store(get_settings())
        await store.executor.write([Query("MATCH (m:FlowmapMeta) SET m.value = '0'")])
        await store.close()

    asyncio.run(pretend_old_version())
    refused = runner.invoke(app, ["stats"])
    assert refused.exit_code == 5 and "schema version 0" in refused.stderr and "flowmap seed --reset" in refused.stderr
    assert runner.invoke(app, ["seed"]).exit_code == 5  # a plain seed never discards data
    rebuilt = runner.invoke(app, ["seed", "--reset"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert _stats()["nodes"]["Organization"] == 4  # type: ignore[index]


def test_import_replaces_the_map_and_refuses_bad_files_whole(
    embedded_env: Path, mini_map: FlowMap, tmp_path: Path
) -> None:
    assert runner.invoke(app, ["seed"]).exit_code == 0
    seeded = _stats()
    bulk = tmp_path / "bulk"
    write_bulk(mini_map, bulk)
    done = runner.invoke(app, ["import", str(bulk)])
    assert done.exit_code == 0, done.output
    assert "loading engagements.csv" in done.stderr and "imported as revision 2" in done.stderr
    imported = _stats()
    for kind, name in (("relationships", "ENGAGES"), ("nodes", "Organization"), ("nodes", "Document")):
        assert imported[kind][name] == seeded[kind][name]  # type: ignore[index]
    engagements = bulk / "engagements.csv"
    engagements.write_text(engagements.read_text(encoding="utf-8").replace("C2P", "C2X", 1), encoding="utf-8")
    refused = runner.invoke(app, ["import", str(bulk)])
    assert refused.exit_code == 2
    assert "engagements.csv:2: role:" in refused.stderr and "nothing was imported" in refused.stderr
    assert "Traceback" not in refused.output
    assert _stats() == imported
