"""The store contract: every backend must pass this suite unchanged (see the ``store`` fixture)."""

from __future__ import annotations

import pytest

from flowmap.domain.models import Engagement, FlowMap, Organization
from flowmap.store import GraphStore
from flowmap.store.queries import Query, upsert_nodes
from flowmap.store.schema import ORGANIZATION

HOSTILE = [
    "Robert'); MATCH (n) DETACH DELETE n; //",
    '"}) RETURN 1 UNION MATCH (n) RETURN n //',
    "\u202eevil.exe",
    "emoji 🦜 and ünïcödé",
    "back\\slash and $param",
]


def _org(org_id: str, name: str) -> Organization:
    return Organization.model_validate(
        {"id": org_id, "name": name, "evidence": [{"document": "doc.acme.policy", "quote": "x"}]}
    )


async def test_schema_setup_is_idempotent(store: GraphStore) -> None:
    await store.ensure_schema()
    await store.ensure_schema()
    counts = await store.counts()
    assert counts.total == 0


async def test_map_round_trips_unchanged(store: GraphStore, mini_map: FlowMap) -> None:
    await store.write_map(mini_map)
    back = await store.read_map()
    assert back.organizations == sorted(mini_map.organizations, key=lambda o: o.id)
    assert back.documents == mini_map.documents
    assert back.legal_references == mini_map.legal_references
    # ids are filled in on the way back when a seed left them implicit
    assert [e.key for e in back.engagements] == sorted(e.key for e in mini_map.engagements)
    by_key = {e.key: e for e in back.engagements}
    for original in mini_map.engagements:
        assert by_key[original.key].model_dump(exclude={"id"}) == original.model_dump(exclude={"id"})


async def test_writing_the_same_map_twice_changes_nothing(store: GraphStore, mini_map: FlowMap) -> None:
    await store.write_map(mini_map)
    first = await store.counts()
    await store.write_map(mini_map)
    assert await store.counts() == first
    assert first.nodes["Organization"] == len(mini_map.organizations)
    assert first.relationships["ENGAGES"] == len(mini_map.engagements)
    assert first.nodes["Country"] == 249
    assert first.nodes["DataCategory"] > 80


async def test_reset_replaces_the_map(store: GraphStore, mini_map: FlowMap) -> None:
    await store.write_map(mini_map)
    smaller = mini_map.model_copy(update={"organizations": mini_map.organizations[:1], "engagements": []})
    smaller = smaller.model_copy(update={"documents": [], "legal_references": []})
    await store.write_map(smaller, reset=True)
    counts = await store.counts()
    assert counts.nodes["Organization"] == 1
    assert counts.relationships["ENGAGES"] == 0
    assert counts.relationships["PART_OF"] == 0


async def test_a_failing_statement_rolls_back_the_whole_transaction(store: GraphStore, mini_map: FlowMap) -> None:
    await store.write_map(mini_map)
    before = await store.read_map()
    good = upsert_nodes(ORGANIZATION, [{**_row("new-org"), "name": "must not survive"}], store.dialect)
    with pytest.raises(Exception):  # noqa: B017 - each backend raises its own error type
        await store.executor.write([*good, Query("THIS IS NOT CYPHER")])
    assert await store.read_map() == before
    assert await store.organization("new-org") is None


async def test_a_failed_write_map_leaves_the_previous_map(
    store: GraphStore, mini_map: FlowMap, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.write_map(mini_map)
    before = await store.read_map()
    real = store._map_statements

    def failing(flow_map: FlowMap, reset: bool) -> list[Query]:
        return [*real(flow_map, reset), Query("THIS IS NOT CYPHER")]

    monkeypatch.setattr(store, "_map_statements", failing)
    with pytest.raises(Exception):  # noqa: B017
        await store.write_map(mini_map.model_copy(update={"engagements": []}), reset=True)
    assert await store.read_map() == before


@pytest.mark.parametrize("text", HOSTILE)
async def test_values_are_parameters_and_stored_verbatim(store: GraphStore, text: str) -> None:
    org = _org("hostile", text)
    await store.write_map(FlowMap(organizations=[org]))
    back = await store.organization("hostile")
    assert back is not None and back.name == text
    assert (await store.counts()).nodes["Organization"] == 1


async def test_lookup_of_unknown_organization_is_none(store: GraphStore, mini_map: FlowMap) -> None:
    await store.write_map(mini_map)
    assert await store.organization("does-not-exist") is None
    acme = await store.organization("acme")
    assert acme is not None and acme.country == "US" and acme.certifications


async def test_dates_and_empty_values_round_trip(store: GraphStore) -> None:
    a, b = _org("a", "A"), _org("b", "B")
    engs = [
        Engagement.model_validate(
            {
                "id": "a>b",
                "exporter": "a",
                "importer": "b",
                "role": "C2P",
                "service": "s",
                "purpose": "p",
                "categories": ["user.name"],
                "evidence": [{"document": "d", "quote": "q"}],
            }
        ),
        Engagement.model_validate(
            {
                "id": "b>a",
                "exporter": "b",
                "importer": "a",
                "role": "P2P",
                "service": "s",
                "purpose": "p",
                "categories": ["user.name", "user.contact.email"],
                "countries": ["US", "NO"],
                "valid_from": "2020-07-16",
                "valid_to": "2022-12-27",
                "evidence": [{"document": "d", "quote": "q"}],
            }
        ),
    ]
    await store.write_map(FlowMap(organizations=[a, b], engagements=engs))
    back = {e.key: e for e in (await store.read_map()).engagements}
    assert back["a>b"].valid_from is None and back["a>b"].countries == []
    assert str(back["b>a"].valid_to) == "2022-12-27" and back["b>a"].countries == ["US", "NO"]


def _row(org_id: str) -> dict[str, object]:
    from flowmap.store.rows import organization_row

    return organization_row(_org(org_id, org_id))
