"""The baselines answer issue 7's questions exactly as the engine's dataflow does, on generated and hand-made maps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bench.baselines import Baseline, PythonBFS, SQLiteCTE
from bench.ecosystem import SYNTHETIC_DOCUMENT, Size, read_bulk, write_bulk, write_flowmap_bulk
from flowmap.domain.chains import Reach, flow
from flowmap.domain.models import Engagement, FlowMap, Organization
from flowmap.domain.tables import MapTables

DAY = date(2024, 3, 1)
EVIDENCE = [{"document": SYNTHETIC_DOCUMENT.id, "quote": "test"}]

BASELINES: dict[str, Callable[[Path], Baseline]] = {
    "python": PythonBFS.load,
    "sqlite": SQLiteCTE.load,
}


def engine_reaches(flow_map: FlowMap, client: str, day: date) -> list[Reach]:
    view = MapTables.from_map(flow_map).on(day)
    return flow(view, client, view.first_hops(client))


def engine_clients(flow_map: FlowMap, day: date) -> list[str]:
    return MapTables.from_map(flow_map).on(day).clients()


def engine_destinations(flow_map: FlowMap, client: str, day: date) -> set[tuple[str, str]]:
    return {(r.edge.importer, country) for r in engine_reaches(flow_map, client, day) for country in r.edge.countries}


def engine_clients_reaching(flow_map: FlowMap, country: str, day: date) -> set[str]:
    return {
        c
        for c in engine_clients(flow_map, day)
        if any(country in r.edge.countries for r in engine_reaches(flow_map, c, day))
    }


def engine_dpf_only(flow_map: FlowMap, day: date) -> set[tuple[str, str]]:
    return {
        (c, r.edge.key)
        for c in engine_clients(flow_map, day)
        for r in engine_reaches(flow_map, c, day)
        if "US" in r.edge.countries and {m.code for m in r.edge.mechanisms} == {"DPF_EU_US"}
    }


# --- a generated map -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FlowMap]:
    directory = tmp_path_factory.mktemp("eco-small")
    write_bulk(directory, Size(clients=15, processors=300, engagements=3_300), seed=11)
    return directory, read_bulk(directory)


def test_both_baselines_agree_with_the_engine_on_a_generated_map(generated: tuple[Path, FlowMap]) -> None:
    directory, flow_map = generated
    python, sqlite = PythonBFS.load(directory), SQLiteCTE.load(directory)
    clients = engine_clients(flow_map, DAY)
    assert python.clients(DAY) == clients
    assert len(clients) > 20  # the clients and the processors that engage vendors for themselves
    reached = 0
    for client in clients:
        expected = engine_destinations(flow_map, client, DAY)
        assert python.client_destinations(client, DAY) == expected, client
        assert sqlite.client_destinations(client, DAY) == expected, client
        reached += len(expected)
    assert reached > 1_000
    for country in ("US", "IN", "CH"):
        expected_clients = engine_clients_reaching(flow_map, country, DAY)
        assert python.clients_reaching(country, DAY) == sqlite.clients_reaching(country, DAY) == expected_clients
    expected_dpf = engine_dpf_only(flow_map, DAY)
    assert len(expected_dpf) > 100
    assert python.dpf_only_transfers(DAY) == sqlite.dpf_only_transfers(DAY) == expected_dpf


def test_the_busiest_clients_of_an_s_map(tmp_path: Path) -> None:
    write_bulk(tmp_path, "S", seed=7)
    flow_map = read_bulk(tmp_path)
    python, sqlite = PythonBFS.load(tmp_path), SQLiteCTE.load(tmp_path)
    day = date(2025, 6, 1)
    busiest = sorted(python.clients(day), key=lambda c: -sum(1 for _ in python.reached(c, day)))[:3]
    for client in busiest:
        expected = engine_destinations(flow_map, client, day)
        assert len(expected) > 300
        assert python.client_destinations(client, day) == sqlite.client_destinations(client, day) == expected


# --- hand-made maps: each tricky case can fail ------------------------------------------------------------------


def org(oid: str, country: str) -> Organization:
    return Organization.model_validate({"id": oid, "name": oid.upper(), "country": country, "evidence": EVIDENCE})


def eng(exporter: str, importer: str, role: str, countries: list[str], **extra: Any) -> Engagement:
    data: dict[str, Any] = {
        "id": f"{exporter}>{importer}",
        "exporter": exporter,
        "importer": importer,
        "role": role,
        "service": "service",
        "purpose": "purpose",
        "categories": ["user.contact.email"],
        "countries": countries,
        "evidence": EVIDENCE,
        **extra,
    }
    return Engagement.model_validate(data)


DPF = [{"code": "DPF_EU_US"}]
TRICKY = FlowMap(
    documents=[SYNTHETIC_DOCUMENT],
    organizations=[
        org(o, country)
        for o, country in [
            ("c", "DE"),
            ("p", "US"),
            ("q", "IE"),
            ("r", "IN"),
            ("s", "US"),
            ("crm", "US"),
            ("host", "US"),
            ("late", "US"),
            ("ended", "US"),
            ("ctrl", "FR"),
            ("x", "JP"),
        ]
    ],
    engagements=[
        eng(
            "c",
            "p",
            "C2P",
            ["US"],
            categories=["user.contact"],
            mechanisms=[{"code": "DPF_EU_US"}, {"code": "SCC_2021", "module": 2}],
        ),
        eng("p", "q", "P2P", ["IE"], categories=["user.contact.email", "user.name"], mechanisms=DPF),  # narrows
        eng("q", "p", "P2P", ["JP"]),  # a cycle back to p: the data passes p again, now kept in JP
        eng("q", "c", "P2P", ["CH"]),  # back to the client
        eng("q", "r", "P2P", ["IN"], categories=["user.name"]),  # disjoint from what is left: the path stops
        eng("q", "s", "P2P", ["US"], mechanisms=DPF),
        eng("p", "crm", "C2P", ["US"]),  # p's own data: not part of c's chain
        eng("crm", "host", "P2P", ["US"], mechanisms=DPF),  # ... but part of p's
        eng("p", "late", "P2P", ["US"], valid_from="2024-06-01"),  # not active yet on DAY
        eng("p", "ended", "P2P", ["US"], valid_from="2019-01-01", valid_to="2023-12-31"),  # no longer active
        eng("c", "ctrl", "C2C", ["FR"]),  # another controller's: its processors get its data, not c's
        eng("ctrl", "x", "P2P", ["JP"]),
        eng("s", "c", "P2C", ["DE"]),
    ],
)


@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_flowmap_bulk(TRICKY, tmp_path_factory.mktemp("tricky"))


@pytest.mark.parametrize("name", BASELINES)
def test_the_tricky_cases(name: str, tricky: Path) -> None:
    baseline = BASELINES[name](tricky)
    expected = {("p", "US"), ("q", "IE"), ("s", "US"), ("ctrl", "FR"), ("p", "JP")}
    assert engine_destinations(TRICKY, "c", DAY) == expected
    assert baseline.client_destinations("c", DAY) == expected
    assert baseline.client_destinations("p", DAY) == {("crm", "US"), ("host", "US")}
    assert baseline.client_destinations("q", DAY) == set()  # no first hop of its own
    later = date(2024, 7, 1)
    assert (
        baseline.client_destinations("c", later)
        == engine_destinations(TRICKY, "c", later)
        == {*expected, ("late", "US")}
    )
    assert baseline.client_destinations("c", date(2020, 1, 1)) == {*expected, ("ended", "US")}

    assert baseline.clients_reaching("US", DAY) == engine_clients_reaching(TRICKY, "US", DAY) == {"c", "p"}
    assert baseline.clients_reaching("FR", DAY) == {"c"}
    assert baseline.clients_reaching("JP", DAY) == {"c"}  # over the cycle
    for nowhere in ("IN", "CH"):
        assert baseline.clients_reaching(nowhere, DAY) == set()
    assert baseline.dpf_only_transfers(DAY) == engine_dpf_only(TRICKY, DAY) == {("c", "q>s"), ("p", "crm>host")}


CHAIN = FlowMap(
    documents=[SYNTHETIC_DOCUMENT],
    organizations=[org("c", "DE")] + [org(f"o{i}", "US") for i in range(12)],
    engagements=[eng("c", "o0", "C2P", ["US"])] + [eng(f"o{i}", f"o{i + 1}", "P2P", ["US"]) for i in range(11)],
)
CLOSING = FlowMap(
    documents=[SYNTHETIC_DOCUMENT],
    organizations=[org("c", "DE"), org("a", "DE"), org("b", "US")],
    engagements=[eng("c", "a", "C2P", ["DE"]), eng("a", "b", "P2P", ["US"]), eng("b", "a", "P2P", ["IN"])],
)


@pytest.mark.parametrize("name", BASELINES)
def test_depth_is_at_most_eight_hops(name: str, tmp_path: Path) -> None:
    baseline = BASELINES[name](write_flowmap_bulk(CHAIN, tmp_path))
    expected = {(f"o{i}", "US") for i in range(8)}
    assert baseline.client_destinations("c", DAY) == engine_destinations(CHAIN, "c", DAY) == expected


@pytest.mark.parametrize("name", BASELINES)
def test_data_passing_an_organisation_twice_goes_on_from_there(name: str, tmp_path: Path) -> None:
    baseline = BASELINES[name](write_flowmap_bulk(CLOSING, tmp_path))
    expected = {("a", "DE"), ("b", "US"), ("a", "IN")}
    assert baseline.client_destinations("c", DAY) == engine_destinations(CLOSING, "c", DAY) == expected
