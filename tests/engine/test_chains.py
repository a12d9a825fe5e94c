"""Chains: categories narrow, cycles end, depth is bounded, a processor's own data stays its own, and the
dataflow gives exactly what enumerating every walk would (checked against a brute force on random maps)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from flowmap.domain.chains import Reach, flow, narrow
from flowmap.domain.models import Engagement, FlowMap, Role
from flowmap.domain.tables import MapTables, category_bits, category_keys, narrow_bits
from tests.engine.build import engagement

DAY = date(2024, 1, 1)


def reaches(engagements: list[Engagement], client: str = "c", max_depth: int = 8) -> dict[str, Reach]:
    view = MapTables.from_map(FlowMap(engagements=engagements)).on(DAY)
    return {r.edge.key: r for r in flow(view, client, view.first_hops(client), max_depth)}


def keys(reach: Reach) -> set[str]:
    return set(category_keys(reach.categories))


def test_narrowing_follows_the_taxonomy() -> None:
    assert narrow(
        {"user.name", "user.contact.email", "user.device"}, {"user.contact.email", "user.device.ip_address"}
    ) == {
        "user.contact.email",
        "user.device.ip_address",
    }
    assert narrow({"user.contact.email"}, {"user.contact"}) == {"user.contact.email"}
    assert narrow({"user.name"}, {"user.contact.email"}) == frozenset()


def test_categories_narrow_and_empty_chains_stop() -> None:
    found = reaches(
        [
            engagement("c", "p", categories=["user.name", "user.contact.email", "user.telemetry"]),
            engagement("p", "s", role="P2P", categories=["user.contact.email", "user.telemetry", "user.device"]),
            engagement("s", "t", role="P2P", categories=["user.device.ip_address"]),
        ]
    )
    assert {k: keys(r) for k, r in found.items()} == {
        "c>p": {"user.name", "user.contact.email", "user.telemetry"},
        "p>s": {"user.contact.email", "user.telemetry"},
    }


def test_categories_arriving_over_several_chains_are_united_and_the_shortest_chain_is_shown() -> None:
    found = reaches(
        [
            engagement("c", "a", categories=["user.name"]),
            engagement("c", "b", categories=["user.contact.email"]),
            engagement("b", "x", role="P2P", categories=["user.contact.email"]),
            engagement("a", "h", role="P2P", categories=["user.name", "user.contact.email"]),
            engagement("x", "h", role="P2P", categories=["user.name", "user.contact.email"]),
            engagement("h", "cloud", role="P2P", categories=["user"]),
        ]
    )
    assert keys(found["a>h"]) == {"user.name"}
    assert keys(found["x>h"]) == {"user.contact.email"}
    cloud = found["h>cloud"]
    assert keys(cloud) == {"user.name", "user.contact.email"}  # from both chains
    assert [e.key for e in cloud.path] == ["c>a", "a>h", "h>cloud"]  # the shorter of the two
    assert cloud.depth == 3


def test_the_chain_shown_is_one_the_data_passes_along() -> None:
    """Two engagements bring data into a hub at the same depth; only the second one's categories go on."""
    found = reaches(
        [
            engagement("c", "a", categories=["user.name"]),
            engagement("c", "b", categories=["user.contact.email"]),
            engagement("a", "h", role="P2P", categories=["user.name"]),
            engagement("b", "h", role="P2P", categories=["user.contact.email"]),
            engagement("h", "x", role="P2P", categories=["user.contact"]),
        ]
    )
    assert keys(found["h>x"]) == {"user.contact.email"}
    assert [e.key for e in found["h>x"].path] == ["c>b", "b>h", "h>x"]


def test_cycles_terminate_and_data_never_flows_back_into_the_client() -> None:
    found = reaches(
        [engagement("c", "a"), engagement("a", "b", role="P2P"), engagement("b", "a", role="P2P"),
         engagement("b", "c", role="P2P")],
    )  # fmt: skip
    assert {k: r.depth for k, r in found.items()} == {"c>a": 1, "a>b": 2, "b>a": 3}


def test_depth_is_bounded() -> None:
    chain = [engagement("c", "o0")] + [engagement(f"o{i}", f"o{i + 1}", role="P2P") for i in range(20)]
    assert max(r.depth for r in reaches(chain).values()) == 8
    assert max(r.depth for r in reaches(chain, max_depth=3).values()) == 3


def test_a_processors_own_engagements_do_not_carry_client_data() -> None:
    engagements = [engagement("c", "p"), engagement("p", "crm", role="C2P"), engagement("p", "host", role="P2P")]
    assert {r.edge.importer for r in reaches(engagements).values()} == {"p", "host"}
    assert MapTables.from_map(FlowMap(engagements=engagements)).on(DAY).clients() == ["c", "p"]


def test_engagements_out_of_force_are_not_followed() -> None:
    engagements = [
        engagement("c", "p"),
        engagement("p", "old", role="P2P", valid_to="2023-12-31"),
        engagement("p", "new", role="P2P", valid_from="2024-01-02"),
        engagement("p", "now", role="P2P", valid_from="2024-01-01", valid_to="2024-01-01"),
    ]
    assert set(reaches(engagements)) == {"c>p", "p>now"}


# --- the dataflow against a brute force over every walk -------------------------------------------------

ORGS = ["c", "a", "b", "d", "e"]
CATS = ["user", "user.name", "user.contact", "user.contact.email", "user.device.ip_address", "user.financial"]


@st.composite
def maps(draw: st.DrawFn) -> list[Engagement]:
    out = []
    for exporter in ORGS:
        for importer in ORGS:
            if exporter != importer and draw(st.integers(0, 2)) == 0:
                role = draw(st.sampled_from(["C2P", "P2P", "C2C", "P2P"]))
                cats = draw(st.lists(st.sampled_from(CATS), min_size=1, max_size=3, unique=True))
                out.append(engagement(exporter, importer, role=role, categories=cats))
    return out


def brute_force(engagements: list[Engagement], client: str, max_depth: int) -> dict[str, tuple[set[str], int]]:
    """Every walk from the client's first hops, never back into the client: per last engagement, the union
    of what arrives and the shortest length. Exponential, so only for tiny maps."""
    out: dict[str, tuple[int, int]] = {}

    def walk(last: Engagement, bits: int, depth: int) -> None:
        union, shortest = out.get(last.key, (0, depth))
        out[last.key] = (union | bits, min(shortest, depth))
        if depth == max_depth or last.role not in (Role.C2P, Role.P2P):
            return
        for onward in engagements:
            if onward.exporter == last.importer and onward.role is Role.P2P and onward.importer != client:
                arriving = narrow_bits(bits, category_bits(onward.categories))
                if arriving:
                    walk(onward, arriving, depth + 1)

    for first in engagements:
        if first.exporter == client and first.role in (Role.C2P, Role.C2C) and first.importer != client:
            walk(first, category_bits(first.categories), 1)
    return {k: (set(category_keys(bits)), depth) for k, (bits, depth) in out.items()}


@given(maps(), st.integers(1, 5))
@settings(max_examples=200, deadline=None, derandomize=True)
def test_the_dataflow_equals_the_union_over_every_walk(engagements: list[Engagement], max_depth: int) -> None:
    found = reaches(engagements, "c", max_depth)
    assert {k: (keys(r), r.depth) for k, r in found.items()} == brute_force(engagements, "c", max_depth)
    for r in found.values():  # the chain shown is a real chain of the map, of the stated length, ending there
        assert r.path[-1] is r.edge and len(r.path) == r.depth and r.path[0].exporter == "c"
        assert all(x.importer == y.exporter for x, y in zip(r.path, r.path[1:], strict=False))
        carried = r.path[0].categories  # and some of the client's data passes along all of it
        for hop in r.path[1:]:
            carried = narrow_bits(carried, hop.categories)
        assert carried
