"""Portfolio questions and pruned what-ifs agree with the full assessment they shortcut, on a generated map."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bench.ecosystem import Size, read_bulk, write_bulk
from flowmap.domain.assess import Engine, assess, destinations
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.portfolio import clients_reaching
from flowmap.domain.scenario import Change, Revocation, Withdrawal, modified, run_scenario
from flowmap.domain.tables import MapTables
from flowmap.law import load_knowledge_base

DAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> MapTables:
    directory: Path = tmp_path_factory.mktemp("eco")
    write_bulk(directory, Size(clients=15, processors=300, engagements=3_300), seed=5)
    return MapTables.from_map(read_bulk(directory))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base()


@pytest.mark.parametrize("country", ["US", "IN", "CH", "JP"])
def test_clients_reaching_a_country_are_those_with_a_transfer_there(
    tables: MapTables, kb: KnowledgeBase, country: str
) -> None:
    full = assess(tables, DAY, kb)
    expected = sorted({t.client for t in full.transfers if t.destination == country})
    assert clients_reaching(tables, DAY, kb, country) == expected
    if country == "US":
        assert len(expected) > 20


@pytest.mark.parametrize(
    ("revoke", "withdraw"),
    [
        ([Revocation(MechanismCode.DPF_EU_US, DAY)], []),
        ([Revocation(MechanismCode.SCC_2021, DAY)], []),
        ([], [Withdrawal("CH", DAY), Withdrawal("GB", DAY)]),
    ],
)
def test_a_pruned_what_if_lists_exactly_the_transfers_whose_verdict_changes(
    tables: MapTables, kb: KnowledgeBase, revoke: list[Revocation], withdraw: list[Withdrawal]
) -> None:
    before = {t.key: t for t in assess(tables, DAY, kb).transfers}
    after = {t.key: t for t in assess(tables, DAY, modified(kb, revoke, withdraw)).transfers}
    assert before.keys() == after.keys()
    changed = {k for k in before if (before[k].basis, before[k].status) != (after[k].basis, after[k].status)}
    result = run_scenario(tables, DAY, kb, revoke=revoke, withdraw=withdraw)
    rows = {r.before.key: r for r in result.rows}
    assert len(rows) == len(result.rows)  # one row per transfer
    assert changed <= rows.keys() <= before.keys()
    assert changed == {k for k, r in rows.items() if r.change is not Change.UNAFFECTED}
    for key, row in rows.items():
        assert row.before == before[key] and row.after == after[key]
    assert result.count(Change.BROKEN) + result.count(Change.FALLBACK) == len(changed) > 0


def test_the_what_ifs_rows_page_in_the_order_they_are_listed(tables: MapTables, kb: KnowledgeBase) -> None:
    """Rows are counted up front and built per client on demand: any index or slice, for any choice of changes,
    must be what listing every row in order and filtering gives."""
    result = run_scenario(tables, DAY, kb, revoke=[Revocation(MechanismCode.DPF_EU_US, DAY)])
    everything = list(result.rows)
    order = [Change.BROKEN, Change.FALLBACK, Change.UNAFFECTED]
    keys = [(order.index(r.change), r.client, r.reach.edge.key, r.destination or "") for r in everything]
    assert keys == sorted(keys) and len(everything) == len(result.rows)
    assert {r.client for r in everything} == set(result.clients)
    for chosen in ([Change.BROKEN], [Change.UNAFFECTED, Change.FALLBACK], None):
        expected = [r for r in everything if chosen is None or r.change in chosen]
        rows = result.rows_with(chosen)
        assert len(rows) == len(expected) == sum(result.count(c) for c in chosen or order) > 0
        assert list(rows) == expected
        assert [rows[i] for i in range(0, len(rows), 7)] == expected[::7]
        assert rows[5:40] == expected[5:40] and rows[-1] == expected[-1]
    grouped = [r for _, by_change in result.by_client() for listed in by_change.values() for r in listed]
    assert sorted(grouped, key=everything.index) == everything


def test_a_decision_is_the_verdicts_basis_and_status(tables: MapTables, kb: KnowledgeBase) -> None:
    """``decide`` shares one judgement between importers listed alike; it must agree with the full verdict."""
    for law in (kb, modified(kb, [Revocation(MechanismCode.DPF_EU_US, DAY)], [])):
        engine, checked = Engine(tables, DAY, law), 0
        for client in engine.clients():
            for f in engine.flows(client):
                for reach in f.reaches:
                    for destination in destinations(reach.edge, engine.areas[f.regime]):
                        facts = (f.regime, destination, reach.edge, reach.categories, reach.depth > 1)
                        verdict, status = engine.verdict(*facts)
                        assert engine.basis_and_status(*facts) == (verdict.basis, status)
                        checked += 1
        assert checked > 1000
