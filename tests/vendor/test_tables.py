"""Sub-processor tables as draft facts: each typed cell yields only its own kind of fact, at the right offsets."""

from __future__ import annotations

from datetime import date

from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import FlowMap
from flowmap.extract.facts import FactKind
from flowmap.intake.tables import from_csv
from flowmap.law import load_knowledge_base
from flowmap.vendor.check import check_vendor
from flowmap.vendor.tables import table_extraction

CSV = (
    "Sub-processor,Purpose,Location,Transfer mechanism,Data categories\n"
    "Amazon Web Services,Hosting in Germany,United States,SCCs (Commission Decision 2021/914),email addresses\n"
    "Zendesk,Support tickets,United States,EU-U.S. Privacy Shield,\n"
    "Hetzner,Backups,Germany,,\n"
)


def test_typed_cells_become_facts_of_their_kind_only() -> None:
    x = table_extraction(from_csv("list.csv", CSV))
    rows = {f.value: f for f in x.of(FactKind.RECIPIENT)}
    assert rows["Amazon Web Services"].detail["country"] == "US"  # not Germany from the purpose cell
    assert rows["Amazon Web Services"].detail["mechanisms"] == "SCC_2021"
    assert rows["Zendesk"].detail["mechanisms"] == "PRIVACY_SHIELD_EU_US"
    assert "mechanisms" not in rows["Hetzner"].detail
    for fact in x.facts:
        assert x.text[fact.span.start : fact.span.end] == fact.span.quote
    assert "user.contact.email" in {f.value for f in x.of(FactKind.CATEGORY)}


def test_each_row_keeps_its_own_mechanism_in_the_assessment() -> None:
    x = table_extraction(from_csv("list.csv", CSV))
    report = check_vendor(FlowMap(), [x], load_knowledge_base(), date(2026, 11, 22))
    by_importer = {e.importer: e for e in report.candidate.engagements}
    codes = {k.rsplit(".", 1)[-1]: [m.code for m in e.mechanisms] for k, e in by_importer.items()}
    assert codes["amazon-web-services"] == [MechanismCode.SCC_2021]
    assert codes["zendesk"] == [MechanismCode.PRIVACY_SHIELD_EU_US]
    # Another row's mechanism is not this row's: an empty cell is a gap the questionnaire asks about.
    assert codes["hetzner"] == []
