"""Chains: categories narrow, cycles end, depth is bounded, and a processor's own data stays its own."""

from __future__ import annotations

from datetime import date

from flowmap.domain.chains import ChainIndex, narrow
from tests.engine.build import engagement


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
    index = ChainIndex(
        [
            engagement("c", "p", categories=["user.name", "user.contact.email", "user.telemetry"]),
            engagement("p", "s", role="P2P", categories=["user.contact.email", "user.telemetry", "user.device"]),
            engagement("s", "t", role="P2P", categories=["user.device.ip_address"]),
        ],
        date(2024, 1, 1),
    )
    reached = {r.last.importer: r.categories for r in index.walk("c")}
    assert reached == {"p": {"user.name", "user.contact.email", "user.telemetry"},
                       "s": {"user.contact.email", "user.telemetry"}}  # fmt: skip


def test_cycles_terminate() -> None:
    index = ChainIndex(
        [engagement("c", "a"), engagement("a", "b", role="P2P"), engagement("b", "a", role="P2P"),
         engagement("b", "c", role="P2P")],
        date(2024, 1, 1),
    )  # fmt: skip
    paths = [[h.importer for h in r.hops] for r in index.walk("c")]
    assert paths == [["a"], ["a", "b"]]


def test_depth_is_bounded() -> None:
    chain = [engagement("c", "o0")] + [engagement(f"o{i}", f"o{i + 1}", role="P2P") for i in range(20)]
    index = ChainIndex(chain, date(2024, 1, 1))
    assert max(len(r.hops) for r in index.walk("c")) == 8
    assert max(len(r.hops) for r in index.walk("c", max_depth=3)) == 3


def test_a_processors_own_engagements_do_not_carry_client_data() -> None:
    index = ChainIndex(
        [engagement("c", "p"), engagement("p", "crm", role="C2P"), engagement("p", "host", role="P2P")],
        date(2024, 1, 1),
    )
    assert {r.last.importer for r in index.walk("c")} == {"p", "host"}
    assert index.clients() == ["c", "p"]
