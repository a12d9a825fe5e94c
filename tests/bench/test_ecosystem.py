"""The synthetic ecosystem: every streamed row is what the store's row converters give for a valid model."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from bench.ecosystem import (
    DOCUMENTS_CSV,
    ENGAGEMENT_COLUMNS,
    ENGAGEMENTS_CSV,
    HUBS,
    ORG_COLUMNS,
    ORGANIZATIONS_CSV,
    SIZES,
    SYNTHETIC_DOCUMENT,
    Size,
    Summary,
    engagement_cells_to_row,
    load_flowmap,
    organization_cells_to_row,
    read_bulk,
    read_csv,
    write_bulk,
    write_flowmap_bulk,
)
from flowmap.domain.models import Certification
from flowmap.store.rows import engagement_from_row, engagement_row, organization_from_row, organization_row
from flowmap.store.schema import DOCUMENT, ENGAGES, ORGANIZATION


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Summary]:
    directory = tmp_path_factory.mktemp("eco-S")
    return directory, write_bulk(directory, "S", seed=7)


def test_the_sizes_are_the_issue_s() -> None:
    assert SIZES["L"] == Size(5_000, 95_000, 1_100_000)
    assert SIZES["M"] == Size(500, 9_500, 110_000)
    assert SIZES["S"] == Size(50, 950, 11_000)


def test_headers_are_the_schema_s_columns(small: tuple[Path, Summary]) -> None:
    directory, _ = small
    with (directory / ORGANIZATIONS_CSV).open(encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == ORG_COLUMNS == ORGANIZATION.prop_names
    with (directory / ENGAGEMENTS_CSV).open(encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == ENGAGEMENT_COLUMNS == ("from", "to", *ENGAGES.prop_names)
    with (directory / DOCUMENTS_CSV).open(encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == DOCUMENT.prop_names
    assert read_bulk(directory).documents == [SYNTHETIC_DOCUMENT]  # the one document all evidence cites


def test_every_row_validates_and_round_trips(small: tuple[Path, Summary]) -> None:
    directory, summary = small
    orgs = list(read_csv(directory / ORGANIZATIONS_CSV))
    assert len(orgs) == summary.organizations == 1_000
    for cells in orgs:
        row = organization_cells_to_row(cells)
        assert organization_row(organization_from_row(row)) == row, cells["id"]
    engagements = list(read_csv(directory / ENGAGEMENTS_CSV))
    assert len(engagements) == summary.engagements == 11_000
    ids = {c["id"] for c in orgs}
    for i, cells in enumerate(engagements):
        row = engagement_cells_to_row(cells)
        model = engagement_from_row(row)  # validates every row
        assert model.exporter in ids and model.importer in ids
        if i % 7 == 0:
            back = engagement_row(model)
            assert back == {k: v for k, v in row.items() if k not in ("exporter", "importer")}, cells["id"]


def test_the_same_seed_gives_the_same_bytes(small: tuple[Path, Summary], tmp_path: Path) -> None:
    directory, _ = small
    write_bulk(tmp_path / "again", "S", seed=7)
    write_bulk(tmp_path / "other", "S", seed=8)
    for name in (ORGANIZATIONS_CSV, ENGAGEMENTS_CSV, DOCUMENTS_CSV):
        assert (tmp_path / "again" / name).read_bytes() == (directory / name).read_bytes()
        if name != DOCUMENTS_CSV:
            assert (tmp_path / "other" / name).read_bytes() != (directory / name).read_bytes()


def test_the_shape_is_the_real_one(small: tuple[Path, Summary]) -> None:
    directory, summary = small
    orgs = {c["id"]: c for c in read_csv(directory / ORGANIZATIONS_CSV)}
    engagements = list(read_csv(directory / ENGAGEMENTS_CSV))
    assert [orgs[f"v{i}"]["name"] for i in range(3)] == ["Hub cloud 1", "Hub cloud 2", "Hub cloud 3"]
    assert len({e["id"] for e in engagements}) == len(engagements)  # one engagement per exporter and importer

    # a power law: most organisations use a hub, most processors are used by few
    hubs = {f"v{i}" for i in range(len(HUBS))}
    users = Counter(e["to"] for e in engagements)
    assert min(users[h] for h in hubs) > 100 and sorted(users.values())[len(users) // 2] < 15
    using_a_hub = {e["from"] for e in engagements if e["to"] in hubs}
    assert len(using_a_hub) > 0.7 * len({e["from"] for e in engagements})
    # every role, clients mostly C2P, processors mostly P2P
    assert summary.roles["P2P"] > 7_000 and summary.roles["C2P"] > 2_000 and summary.roles["C2C"] > 20
    assert summary.roles["P2C"] > 10
    assert sum(1 for e in engagements if e["role"] == "C2P" and e["from"].startswith("v")) > 50  # processors' own
    # destinations: US first, then EEA and the rest
    countries = Counter(c for e in engagements for c in e["countries"].strip("|").split("|") if c)
    assert countries.most_common(1)[0][0] == "US"
    assert {"IE", "DE", "NL", "GB", "IN", "CH", "CA"} <= set(countries)
    assert Counter(e["location_scope"] for e in engagements)["unknown"] > 100
    # mechanisms: DPF, SCC 2021 with module and date, old ones, nothing named, none
    mechanisms = " ".join(e["mechanisms"] for e in engagements)
    for code in ("DPF_EU_US", "SCC_2021", "SCC_2010", "PRIVACY_SHIELD_EU_US", "UNSPECIFIED"):
        assert f'"code": "{code}"' in mechanisms
    assert '"module": 3, "signed_on": "20' in mechanisms and '"module": 2' in mechanisms
    assert sum(1 for e in engagements if e["mechanisms"] == "[]") > 1_000
    dpf_listed = [o for o in orgs.values() if '"DPF_EU_US", "status": "active"' in o["certifications"]]
    assert len(dpf_listed) > 100 and all(o["country"] == "US" for o in dpf_listed)
    Certification.model_validate_json(orgs["v0"]["certifications"][1:-1])
    # dates 2015-2025, a few ended, a few without a start
    years = Counter(e["valid_from"][:4] for e in engagements)
    assert set(years) - {""} == {str(y) for y in range(2015, 2026)}
    assert 50 < sum(1 for e in engagements if e["valid_to"]) < 1_000
    assert all(not e["valid_to"] or e["valid_from"] <= e["valid_to"] for e in engagements)
    # categories from ~20 keys, several per engagement
    keys = Counter(k for e in engagements for k in e["categories"].strip("|").split("|"))
    assert 15 <= len(keys) <= 25
    assert sum(1 for o in orgs.values() if o["unnamed"] == "true") > 0
    assert all(o["country"] for o in orgs.values())


def test_custom_counts(tmp_path: Path) -> None:
    summary = write_bulk(tmp_path, Size(clients=7, processors=80, engagements=900), seed=1)
    assert (summary.organizations, summary.engagements) == (87, 900)
    flow_map = load_flowmap(tmp_path)
    assert len(flow_map.engagements) == 900
    assert sum(1 for o in flow_map.organizations if o.id.startswith("c")) == 7
    with pytest.raises(ValueError, match="too many"):
        load_flowmap("L")


def test_a_hand_made_map_round_trips_through_a_bulk_directory(tmp_path: Path) -> None:
    flow_map = load_flowmap(Size(clients=3, processors=60, engagements=300), seed=3)
    again = load_flowmap(write_flowmap_bulk(flow_map, tmp_path))
    assert again.organizations == flow_map.organizations
    assert again.engagements == flow_map.engagements
