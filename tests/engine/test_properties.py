"""Properties of the engine that must hold on any map and any date (hypothesis, fixed budget)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from flowmap.domain.assess import assess, regime_of
from flowmap.domain.basis import SCC_2021_MODULE
from flowmap.domain.categories import taxonomy
from flowmap.domain.chains import narrow
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import Engagement, FlowMap
from flowmap.domain.scenario import Revocation, modified
from flowmap.law import load_knowledge_base
from tests.engine.build import certified, engagement, org

KEYS = sorted(taxonomy())
DAYS = st.dates(min_value=date(2014, 1, 1), max_value=date(2027, 12, 31))
COUNTRIES = st.sampled_from(["US", "GB", "CH", "CA", "IN", "CN", "NL", "JP", "BR"])
CODES = st.sampled_from(list(MechanismCode))
ROLES = st.sampled_from(["C2P", "C2C"])
BUDGET = settings(max_examples=150, deadline=None, derandomize=True)


@st.composite
def declared(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for code in draw(st.lists(CODES, max_size=3, unique=True)):
        m: dict[str, Any] = {"code": code.value}
        if code is MechanismCode.SCC_2021:
            m["module"] = draw(st.integers(1, 4))
        if draw(st.booleans()):
            m["signed_on"] = draw(DAYS)
        out.append(m)
    return out


@st.composite
def one_hop_maps(draw: st.DrawFn) -> FlowMap:
    country = draw(COUNTRIES)
    frameworks = draw(st.lists(st.sampled_from(["DPF_EU_US", "PRIVACY_SHIELD_EU_US", "SAFE_HARBOR"]), max_size=2))
    importer = certified("imp", country, frameworks[0]) if frameworks else org("imp", country)
    eng = engagement("client", "imp", role=draw(ROLES), countries=[country], mechanisms=draw(declared()),
                     tia_ref=draw(st.sampled_from([None, "TIA-1"])))  # fmt: skip
    return FlowMap(
        organizations=[org("client", draw(st.sampled_from(["DE", "GB", "CH"]))), importer], engagements=[eng]
    )


def _valid_fallback(flow_map: FlowMap, day: date) -> dict[str, Any] | None:
    """A contract mechanism valid and signable on ``day`` under the client's regime, for this role."""
    kb = load_knowledge_base()
    regime = regime_of(flow_map.organizations[0], kb, day)
    role = flow_map.engagements[0].role
    for code in (MechanismCode.SCC_2021, MechanismCode.UK_IDTA, MechanismCode.SCC_2010, MechanismCode.SCC_2001):
        mech = kb.mechanism(code)
        assert mech is not None
        w = mech.window_on(regime, day) if regime else None
        if w and w.holds_on(day) and w.signable_on(day) and (not mech.roles or role in mech.roles):
            module = SCC_2021_MODULE[role] if code is MechanismCode.SCC_2021 else None
            return {"code": code.value, "module": module, "signed_on": day}
    return None


@BUDGET
@given(flow_map=one_hop_maps(), day=DAYS)
def test_adding_a_valid_fallback_never_makes_a_transfer_worse(flow_map: FlowMap, day: date) -> None:
    fallback = _valid_fallback(flow_map, day)
    assume(fallback is not None)
    kb = load_knowledge_base()
    eng = flow_map.engagements[0]
    better = Engagement.model_validate({**eng.model_dump(), "mechanisms": [*eng.model_dump()["mechanisms"], fallback]})
    before = assess(flow_map, day, kb)
    after = assess(flow_map.model_copy(update={"engagements": [better]}), day, kb)
    for b, a in zip(before.transfers, after.transfers, strict=True):
        assert a.status.rank <= b.status.rank, (b.to_json(), a.to_json())


@BUDGET
@given(flow_map=one_hop_maps(), day=DAYS, code=CODES, offset=st.integers(-4000, 400))
def test_revoking_a_mechanism_never_makes_a_transfer_better(
    flow_map: FlowMap, day: date, code: MechanismCode, offset: int
) -> None:
    kb = load_knowledge_base()
    before = assess(flow_map, day, kb)
    after = assess(flow_map, day, modified(kb, [Revocation(code, day + timedelta(days=offset))], []))
    for b, a in zip(before.transfers, after.transfers, strict=True):
        assert a.status.rank >= b.status.rank, (b.to_json(), a.to_json())


@BUDGET
@given(a=st.sets(st.sampled_from(KEYS), max_size=8), b=st.sets(st.sampled_from(KEYS), max_size=8))
def test_narrowing_never_adds_categories(a: set[str], b: set[str]) -> None:
    def covered(key: str, by: set[str]) -> bool:
        return any(key == x or key.startswith(x + ".") for x in by)

    result = narrow(a, b)
    assert all(covered(k, a) and covered(k, b) for k in result)
    assert narrow(result, result) == result
    assert set(a) & set(b) <= result
