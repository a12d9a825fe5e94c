"""The contract for single changes: each commit is one transaction with its revision and audit entry."""

from __future__ import annotations

import pytest

from flowmap.domain.audit import AuditRecord
from flowmap.domain.models import FlowMap
from flowmap.store import GraphStore
from flowmap.store.queries import Query


def _record(operation: str, after: dict[str, object] | None = None) -> AuditRecord:
    return AuditRecord("tester", "editor", operation, "test", {"old": 1}, after or {"new": "ünï 🦜"})


async def test_every_commit_moves_the_revision_and_leaves_an_entry(store: GraphStore, mini_map: FlowMap) -> None:
    assert await store.revision() == 0
    first = await store.write_map(mini_map, actor="seeder")
    acme = next(o for o in mini_map.organizations if o.id == "acme")
    second = await store.save_organization(acme.model_copy(update={"name": "Acme Renamed"}), _record("rename"))
    assert (first, second) == (1, 2) and await store.revision() == 2
    newest, oldest = await store.audit_log(0, 10)
    assert (newest.revision, newest.record.operation, newest.record.actor) == (2, "rename", "tester")
    assert newest.record.before == {"old": 1} and newest.record.after == {"new": "ünï 🦜"}
    assert (oldest.revision, oldest.record.operation, oldest.record.actor) == (1, "loadMap", "seeder")
    assert oldest.record.after is not None and oldest.record.after["organizations"] == len(mini_map.organizations)
    assert [e.revision for e in await store.audit_log(1, 1)] == [1]
    assert await store.audit_count() == 2


async def test_a_failed_commit_leaves_no_entry_and_no_revision(store: GraphStore, mini_map: FlowMap) -> None:
    await store.write_map(mini_map)
    before = (await store.read_map(), await store.revision(), await store.audit_count())
    with pytest.raises(Exception):  # noqa: B017 - each backend raises its own error type
        await store.commit([Query("THIS IS NOT CYPHER")], _record("broken"))
    assert (await store.read_map(), await store.revision(), await store.audit_count()) == before


async def test_saving_an_engagement_replaces_it_even_when_its_ends_change(store: GraphStore, mini_map: FlowMap) -> None:
    await store.write_map(mini_map)
    old = next(e for e in mini_map.engagements if e.key == "client-nl>acme")
    moved = old.model_copy(update={"importer": "norway-co", "service": "moved"})
    await store.save_engagement(moved, old, _record("move"))
    engagements = {e.key: e for e in (await store.read_map()).engagements}
    assert len(engagements) == len(mini_map.engagements)
    assert engagements["client-nl>acme"].importer == "norway-co" and engagements["client-nl>acme"].service == "moved"
    assert (await store.counts()).relationships["ENGAGES"] == len(mini_map.engagements)


async def test_saving_an_organization_moves_its_parent_link(store: GraphStore, mini_map: FlowMap) -> None:
    await store.write_map(mini_map)
    hosting = next(o for o in mini_map.organizations if o.parent == "acme")
    await store.save_organization(hosting.model_copy(update={"parent": "norway-co"}), _record("reparent"))
    await store.save_organization(
        next(o for o in mini_map.organizations if o.id == "acme").model_copy(update={"parent": None}), _record("noop")
    )
    back = await store.organization(hosting.id)
    assert back is not None and back.parent == "norway-co"
    assert (await store.counts()).relationships["PART_OF"] == 1
