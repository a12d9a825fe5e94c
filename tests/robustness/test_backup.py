"""Backup and restore (issue 8): `flowmap export --format json` and `flowmap import` of the dump, embedded store.

The round trip must give the same bytes, on the seed map and on a synthetic map; a bad dump must be refused with
the section, record and field named, and leave the store as it was. The Neo4j half is
tests/contract/test_dump_neo4j.py.
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bench.ecosystem import Size
from bench.ecosystem import write_bulk as write_ecosystem
from flowmap.cli import app
from flowmap.domain.models import FlowMap
from flowmap.errors import ValidationFailed
from flowmap.ingest.seeds import load_seed_map
from flowmap.store import GraphStore
from flowmap.store.bulk import BulkSource, open_bulk
from flowmap.store.bulk_import import import_embedded
from flowmap.store.dump import SECTIONS, export_dump, import_dump, is_dump
from flowmap.store.embedded import EmbeddedExecutor
from flowmap.store.graph import Restore
from tests.conftest import SEEDS

SMALL = Size(clients=20, processors=200, engagements=2_500)  # a synthetic map with every feature, in a second


async def _open(path: Path) -> GraphStore:
    store = GraphStore(EmbeddedExecutor(path))
    await store.ensure_schema()
    return store


async def _export(path: Path) -> str:
    store = await _open(path)
    try:
        out = io.StringIO()
        await export_dump(store, out)
        return out.getvalue()
    finally:
        await store.close()


async def _state(path: Path) -> tuple[FlowMap, int, list[Any]]:
    """The map, the revision and the audit log: what a restore must bring back."""
    store = await _open(path)
    try:
        log = await store.audit_log(0, await store.audit_count())
        return await store.read_map(), await store.revision(), log
    finally:
        await store.close()


async def _restore(dump: Path, store_path: Path) -> int:
    async def load(source: BulkSource, restore: Restore, described: dict[str, Any]) -> int:
        return await import_embedded(store_path, source, restore=restore, described=described)

    return await import_dump(dump, load)


async def _seeded(path: Path, flow_map: FlowMap, edits: int = 0) -> Path:
    store = await _open(path)
    try:
        await store.write_map(flow_map)
        for i in range(edits):  # a history longer than one entry, with single changes in it
            org = flow_map.organizations[i].model_copy(update={"description": f"edited {i}"})
            await store.save_organization(org, _record(org.id))
    finally:
        await store.close()
    return path


def _record(target: str) -> Any:
    from flowmap.domain.audit import AuditRecord

    return AuditRecord(
        actor="test", role="editor", operation="upsertOrganization", target=target, before=None, after={}
    )


@pytest.fixture(scope="module")
def seed_map() -> FlowMap:
    return load_seed_map(SEEDS)


async def test_the_seed_map_round_trips_to_the_same_bytes(seed_map: FlowMap, tmp_path: Path) -> None:
    original = await _seeded(tmp_path / "a" / "flowmap.lbug", seed_map, edits=3)
    first = await _export(original)
    dump = tmp_path / "map.json"
    dump.write_text(first, encoding="utf-8")
    assert is_dump(dump)
    restored = tmp_path / "b" / "flowmap.lbug"
    revision = await _restore(dump, restored)
    assert await _export(restored) == first
    # and the same bytes mean the same map: not something both directions lose alike
    (map_a, revision_a, log_a), (map_b, revision_b, log_b) = await _state(original), await _state(restored)
    assert map_b == map_a and revision == revision_b == revision_a == 4
    assert [(e.id, e.revision, e.record) for e in log_b] == [(e.id, e.revision, e.record) for e in log_a]
    header = json.loads(first)
    assert header["flowmap_dump"] == 1 and header["revision"] == 4 and len(header["audit"]) == 4
    assert header["counts"]["citations"] > 0 and header["counts"]["publishers"] > 0
    assert header["counts"]["legal_references"] > 0
    assert list(header) == ["flowmap_dump", "schema_version", "revision", "counts", *(s.name for s in SECTIONS)]


async def test_a_synthetic_map_round_trips_to_the_same_bytes(tmp_path: Path) -> None:
    write_ecosystem(tmp_path / "eco", SMALL, seed=3)
    original = tmp_path / "a" / "flowmap.lbug"
    await import_embedded(original, open_bulk(tmp_path / "eco"))
    first = await _export(original)
    dump = tmp_path / "map.json"
    dump.write_text(first, encoding="utf-8")
    await _restore(dump, tmp_path / "b" / "flowmap.lbug")
    assert await _export(tmp_path / "b" / "flowmap.lbug") == first
    assert json.loads(first)["counts"]["engagements"] == SMALL.engagements


async def test_the_same_map_gives_the_same_bytes_whatever_order_it_was_written_in(
    seed_map: FlowMap, tmp_path: Path
) -> None:
    shuffled = {k: list(v) for k, v in seed_map.model_dump().items()}
    for items in shuffled.values():
        random.Random(5).shuffle(items)
    a = await _export(await _seeded(tmp_path / "a" / "x.lbug", seed_map))
    b = await _export(await _seeded(tmp_path / "b" / "x.lbug", FlowMap.model_validate(shuffled)))
    # the audit entries differ (their ids and times); everything before them is the map
    assert a.split('"audit": [')[0] == b.split('"audit": [')[0]
    assert a != b


async def test_a_dump_over_an_existing_map_replaces_it_and_keeps_both_histories(
    seed_map: FlowMap, mini_map: FlowMap, tmp_path: Path
) -> None:
    dump = tmp_path / "seed.json"
    dump.write_text(await _export(await _seeded(tmp_path / "a" / "x.lbug", seed_map, edits=1)), encoding="utf-8")
    target = await _seeded(tmp_path / "b" / "x.lbug", mini_map)
    _, _, before_log = await _state(target)
    revision = await _restore(dump, target)
    restored, now, log = await _state(target)
    assert restored == (await _state(tmp_path / "a" / "x.lbug"))[0]
    assert revision == now == 3  # the dump's revision 2, the target's 1: the import is the next change
    assert log[0].record.operation == "importMap" and log[0].record.after is not None
    assert log[0].record.after["dump"] == str(dump) and log[0].record.before is not None
    assert {e.id for e in before_log} < {e.id for e in log} and len(log) == 1 + 2 + 1


def _broken(text: str, change: str) -> str:
    """The dump ``text`` with one kind of damage."""
    data = json.loads(text)
    if change == "version":
        data["flowmap_dump"] = 2
    elif change == "unknown field":
        data["organizations"][1]["colour"] = "blue"
    elif change == "missing end":
        del data["engagements"][2]["to"]
    elif change == "unknown end":
        data["engagements"][2]["to"] = "nobody"
    elif change == "bad value":
        data["engagements"][2]["countries"] = ["XX"]
    elif change == "lost records":
        del data["engagements"][3]
    elif change == "audit time":
        data["audit"][0]["at"] = "yesterday"
    if change == "truncated":
        return text[: len(text) * 2 // 3]
    return json.dumps(data)


@pytest.mark.parametrize(
    ("change", "where", "words"),
    [
        ("version", "flowmap_dump", "format version 2 is not one this flowmap reads (1)"),
        ("truncated", "<root>", "is not complete JSON"),
        ("unknown field", "organizations[1].colour", "is not a field of organizations (record "),
        ("missing end", "engagements[2].to", "is missing (record "),
        ("unknown end", "engagements[2].to", "names organisation 'nobody', which organizations does not hold"),
        ("bad value", "engagements[2].countries", "XX"),
        ("lost records", "engagements", "the header's counts say"),
        ("audit time", "audit[0].at", "is not an ISO date and time"),
    ],
)
async def test_a_bad_dump_is_named_and_leaves_the_store_as_it_was(
    seed_map: FlowMap, mini_map: FlowMap, tmp_path: Path, change: str, where: str, words: str
) -> None:
    text = await _export(await _seeded(tmp_path / "a" / "x.lbug", seed_map))
    dump = tmp_path / "bad.json"
    dump.write_text(_broken(text, change), encoding="utf-8")
    target = await _seeded(tmp_path / "b" / "x.lbug", mini_map)
    before = await _export(target)
    with pytest.raises(ValidationFailed) as caught:
        await _restore(dump, target)
    issue = caught.value.issues[0]
    assert (issue.file, str(issue).split(": ")[1]) == (str(dump), where), str(caught.value)
    assert words in issue.message, str(caught.value)
    assert "nothing was imported" in str(caught.value)
    assert await _export(target) == before
    assert not list(target.parent.glob("*.import*"))


def test_export_and_import_from_the_command_line(
    embedded_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flowmap.settings import get_settings

    runner = CliRunner()
    assert runner.invoke(app, ["seed"]).exit_code == 0
    dump = tmp_path / "backup" / "map.json"
    done = runner.invoke(app, ["export", "--format", "json", "--output", str(dump)])
    assert done.exit_code == 0, done.output
    assert not list(dump.parent.glob("*.partial"))
    to_stdout = runner.invoke(app, ["export"])
    assert to_stdout.exit_code == 0 and to_stdout.stdout == dump.read_text(encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text('{"flowmap_dump": 1, "revision": ', encoding="utf-8")
    refused = runner.invoke(app, ["import", str(bad)])
    assert refused.exit_code == 2 and "is not complete JSON" in refused.output
    monkeypatch.setenv("FLOWMAP_DATA_DIR", str(tmp_path / "fresh"))
    get_settings.cache_clear()
    restored = runner.invoke(app, ["import", str(dump)])
    assert restored.exit_code == 0, restored.output
    again = runner.invoke(app, ["export"])
    assert again.exit_code == 0 and again.stdout == dump.read_text(encoding="utf-8")
