"""Table-driven legal tests on both sides of every boundary date. The dates live in flowmap/law/*.yaml."""

from __future__ import annotations

from typing import Any

import pytest

from flowmap.domain.results import ADEQUACY, Rule, Status
from tests.engine.build import certified, mech, one_hop, only_transfer, org, rules

US_PS = certified("importer", "US", "PRIVACY_SHIELD_EU_US", since="2016-08-01")
US_SH = certified("importer", "US", "SAFE_HARBOR", since="2001-01-01")
US_PS_CH = certified("importer", "US", "PRIVACY_SHIELD_SWISS_US", since="2017-04-12")
US_DPF = certified("importer", "US", "DPF_EU_US", since="2023-07-10")
US_DPF_UK = certified("importer", "US", "DPF_UK_EXT", since="2023-10-12")
US_DPF_CH = certified("importer", "US", "DPF_SWISS_US", since="2024-09-15")

# (boundary, as-of day, setup, expected status, expected basis, a rule that must be present or None)
CASES: list[tuple[str, str, dict[str, Any], Status, str | None, Rule | None]] = [
    # Safe Harbor fell with C-362/14 on 2015-10-06
    ("2015-10-06", "2015-10-05", {"importer": US_SH, "mechanisms": [mech("SAFE_HARBOR")]}, Status.COMPLIANT, "SAFE_HARBOR", None),
    ("2015-10-06", "2015-10-06", {"importer": US_SH, "mechanisms": [mech("SAFE_HARBOR")]}, Status.NON_COMPLIANT, None, Rule.INVALIDATED_MECHANISM),
    # Privacy Shield fell with C-311/18 on 2020-07-16, no grace period
    ("2020-07-16", "2020-07-15", {"importer": US_PS, "mechanisms": [mech("PRIVACY_SHIELD_EU_US")]}, Status.COMPLIANT, "PRIVACY_SHIELD_EU_US", None),
    ("2020-07-16", "2020-07-16", {"importer": US_PS, "mechanisms": [mech("PRIVACY_SHIELD_EU_US")]}, Status.NON_COMPLIANT, None, Rule.INVALIDATED_MECHANISM),
    # Swiss-US Privacy Shield: FDPIC statement of 2020-09-08
    ("2020-09-08", "2020-09-07", {"client_country": "CH", "importer": US_PS_CH, "mechanisms": [mech("PRIVACY_SHIELD_SWISS_US")]}, Status.COMPLIANT, "PRIVACY_SHIELD_SWISS_US", None),
    ("2020-09-08", "2020-09-08", {"client_country": "CH", "importer": US_PS_CH, "mechanisms": [mech("PRIVACY_SHIELD_SWISS_US")]}, Status.NON_COMPLIANT, None, Rule.INVALIDATED_MECHANISM),
    # Old SCCs could not be signed from 2021-09-27
    ("2021-09-27", "2021-10-01", {"mechanisms": [mech("SCC_2010", signed_on="2021-09-26")], "tia_ref": "T"}, Status.COMPLIANT, "SCC_2010", None),
    ("2021-09-27", "2021-10-01", {"mechanisms": [mech("SCC_2010", signed_on="2021-09-27")], "tia_ref": "T"}, Status.NON_COMPLIANT, None, Rule.EXPIRED_SCC),
    # Old SCCs lapsed after 2022-12-27
    ("2022-12-27", "2022-12-27", {"mechanisms": [mech("SCC_2010", signed_on="2019-01-01")], "tia_ref": "T"}, Status.COMPLIANT, "SCC_2010", None),
    ("2022-12-27", "2022-12-28", {"mechanisms": [mech("SCC_2010", signed_on="2019-01-01")], "tia_ref": "T"}, Status.NON_COMPLIANT, None, Rule.EXPIRED_SCC),
    # EU-US DPF from 2023-07-10
    ("2023-07-10", "2023-07-09", {"importer": US_DPF, "mechanisms": [mech("DPF_EU_US")]}, Status.NON_COMPLIANT, None, Rule.MISSING_MECHANISM),
    ("2023-07-10", "2023-07-10", {"importer": US_DPF, "mechanisms": [mech("DPF_EU_US")]}, Status.COMPLIANT, "DPF_EU_US", None),
    # UK extension to the DPF from 2023-10-12
    ("2023-10-12", "2023-10-11", {"client_country": "GB", "importer": US_DPF_UK, "mechanisms": [mech("DPF_UK_EXT")]}, Status.NON_COMPLIANT, None, Rule.MISSING_MECHANISM),
    ("2023-10-12", "2023-10-12", {"client_country": "GB", "importer": US_DPF_UK, "mechanisms": [mech("DPF_UK_EXT")]}, Status.COMPLIANT, "DPF_UK_EXT", None),
    # UK: old EU SCCs for existing contracts until 2024-03-21
    ("2024-03-21", "2024-03-21", {"client_country": "GB", "mechanisms": [mech("SCC_2010", signed_on="2020-06-01")], "tia_ref": "T"}, Status.COMPLIANT, "SCC_2010", None),
    ("2024-03-21", "2024-03-22", {"client_country": "GB", "mechanisms": [mech("SCC_2010", signed_on="2020-06-01")], "tia_ref": "T"}, Status.NON_COMPLIANT, None, Rule.EXPIRED_SCC),
    # Swiss-US DPF from 2024-09-15
    ("2024-09-15", "2024-09-14", {"client_country": "CH", "importer": US_DPF_CH, "mechanisms": [mech("DPF_SWISS_US")]}, Status.NON_COMPLIANT, None, Rule.MISSING_MECHANISM),
    ("2024-09-15", "2024-09-15", {"client_country": "CH", "importer": US_DPF_CH, "mechanisms": [mech("DPF_SWISS_US")]}, Status.COMPLIANT, "DPF_SWISS_US", None),
]  # fmt: skip


@pytest.mark.parametrize(("boundary", "day", "setup", "status", "basis", "rule"), CASES,
                         ids=[f"{c[0]}@{c[1]}" for c in CASES])  # fmt: skip
def test_boundary(
    boundary: str, day: str, setup: dict[str, Any], status: Status, basis: str | None, rule: Rule | None
) -> None:
    transfer = only_transfer(one_hop(day, **setup))
    assert (transfer.status, transfer.basis) == (status, basis), transfer.to_json()
    if rule is not None:
        assert rule in rules(transfer)


@pytest.mark.parametrize(("day", "transfers", "basis"), [("2020-12-31", 0, None), ("2021-01-01", 1, ADEQUACY),
                                                         ("2021-06-27", 1, ADEQUACY), ("2021-06-28", 1, ADEQUACY)])  # fmt: skip
def test_uk_leaves_the_eu_area_on_2021_01_01(day: str, transfers: int, basis: str | None) -> None:
    """Until 2020-12-31 GB is inside the EU area; then the TCA bridge, then the adequacy decision of 2021-06-28."""
    result = one_hop(day, importer=org("importer", "GB"))
    assert len(result.transfers) == transfers
    if transfers:
        assert result.transfers[0].basis == basis and result.transfers[0].status is Status.COMPLIANT


def test_the_uk_decision_is_cited_after_the_bridge() -> None:
    bridge = only_transfer(one_hop("2021-03-01", importer=org("importer", "GB")))
    decision = only_transfer(one_hop("2021-07-01", importer=org("importer", "GB")))
    assert bridge.basis_reference != decision.basis_reference
    assert "2021/1772" in (decision.basis_reference or "")
