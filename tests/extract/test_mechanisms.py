"""MECHANISM: each transfer tool in four languages, versions of the SCCs, and what must not count."""

from __future__ import annotations

import pytest

from flowmap.domain.mechanisms import MechanismCode
from flowmap.extract import ADEQUACY, FactKind
from tests.extract.helpers import facts, values

M = MechanismCode


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Acme complies with the EU-U.S. Privacy Shield Framework.", "en", {M.PRIVACY_SHIELD_EU_US}),
        ("We are certified under the Swiss-U.S. Privacy Shield.", "en", {M.PRIVACY_SHIELD_SWISS_US}),
        (
            "We rely on the EU-U.S. and Swiss-U.S. Privacy Shield.",
            "en",
            {M.PRIVACY_SHIELD_EU_US, M.PRIVACY_SHIELD_SWISS_US},
        ),
        ("Transfers to the US rely on the EU-US Safe Harbor principles.", "en", {M.SAFE_HARBOR}),
        ("Die Übermittlung stützen wir auf das Safe-Harbor-Abkommen.", "de", {M.SAFE_HARBOR}),
        ("We participate in the EU-U.S. Data Privacy Framework (DPF).", "en", {M.DPF_EU_US}),
        (
            "the EU-U.S. DPF, the UK Extension to the EU-U.S. DPF, and the Swiss-U.S. DPF",
            "en",
            {M.DPF_EU_US, M.DPF_UK_EXT, M.DPF_SWISS_US},
        ),
        ("Google is gecertificeerd onder het EU-VS Data Privacy Framework.", "nl", {M.DPF_EU_US}),
        ("Talkdesk adhère au Data Privacy Framework UE-États-Unis.", "fr", {M.DPF_EU_US}),
        (
            "We use the standard contractual clauses of Commission Implementing Decision (EU) 2021/914.",
            "en",
            {M.SCC_2021},
        ),
        ("Transfers rely on the new standard contractual clauses.", "en", {M.SCC_2021}),
        ("Module Two of the Standard Contractual Clauses applies.", "en", {M.SCC_2021}),
        ("on the basis of the model clauses (Decision 2010/87/EU)", "en", {M.SCC_2010}),
        ("under the standard contractual clauses of Decision 2004/915/EC", "en", {M.SCC_2004}),
        ("the controller-to-controller clauses of 2001/497/EC", "en", set()),  # "clauses" alone: not SCCs
        ("de standaardcontractbepalingen van de Europese Commissie van juni 2021", "nl", {M.SCC_2021}),
        ("Standardvertragsklauseln gemäß Durchführungsbeschluss (EU) 2021/914 (Modul 3)", "de", {M.SCC_2021}),
        ("les clauses contractuelles types adoptées le 4 juin 2021", "fr", {M.SCC_2021}),
        ("Binding Corporate Rules approved by the Dutch authority cover group transfers.", "en", {M.BCR}),
        ("Hiervoor gelden onze bindende bedrijfsvoorschriften.", "nl", {M.BCR}),
        ("dafür gelten unsere verbindlichen internen Datenschutzvorschriften", "de", {M.BCR}),
        ("dans le cadre des règles d'entreprise contraignantes du groupe", "fr", {M.BCR}),
        ("For UK transfers we use the International Data Transfer Agreement.", "en", {M.UK_IDTA}),
        ("the UK Addendum to the EU SCCs (2021/914)", "en", {M.UK_ADDENDUM, M.SCC_2021}),
        ("The United Kingdom benefits from an adequacy decision.", "en", {ADEQUACY}),
        ("op basis van een adequaatheidsbesluit van de Europese Commissie", "nl", {ADEQUACY}),
        ("Für die Schweiz gilt ein Angemessenheitsbeschluss.", "de", {ADEQUACY}),
        ("Le Canada bénéficie d'une décision d'adéquation.", "fr", {ADEQUACY}),
        ("With your explicit consent we transfer your data to the United States.", "en", {M.ART49_CONSENT}),
        ("Mit Ihrer ausdrücklichen Einwilligung werden Daten in die USA übermittelt.", "de", {M.ART49_CONSENT}),
        ("If we transfer data outside the EEA, we put appropriate safeguards in place.", "en", {M.UNSPECIFIED}),
        ("Bij doorgifte buiten de EER nemen wij passende waarborgen.", "nl", {M.UNSPECIFIED}),
    ],
)
def test_mechanisms(text: str, language: str, expected: set[str]) -> None:
    assert values(text, FactKind.MECHANISM, language) == {str(v) for v in expected}


def test_sccs_without_a_version_are_unspecified_and_say_so() -> None:
    (fact,) = facts("Transfers to India rely on the standard contractual clauses.", FactKind.MECHANISM, "en")
    assert fact.value == M.UNSPECIFIED
    assert fact.detail == {"named": "SCC", "version": "unstated"}
    assert fact.span.quote == "standard contractual clauses"


def test_version_evidence_is_in_the_quote() -> None:
    (fact,) = facts("We use the SCCs adopted by Decision (EU) 2021/914.", FactKind.MECHANISM, "en")
    assert fact.value == M.SCC_2021 and "2021/914" in fact.span.quote and fact.detail["version"] == "2021"


@pytest.mark.parametrize(
    "text",
    [
        "Records are de-identified under the HIPAA safe harbor method.",  # not the EU-US Safe Harbor
        "We no longer rely on the Privacy Shield, which was invalidated in 2020.",
        "We do not transfer data to countries without an adequacy decision.",
        "By using the site you consent to the processing of your data.",  # consent, but no transfer
        "We take appropriate technical and organisational measures to protect your data.",  # no transfer
        "We take appropriate measures against misuse.",
    ],
)
def test_not_mechanisms(text: str) -> None:
    assert values(text, FactKind.MECHANISM, "en") == set()


def test_negated_mechanism_in_german() -> None:
    assert values("Wir nutzen keine Standardvertragsklauseln.", FactKind.MECHANISM, "de") == set()


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "We are certified under the EU-U.S. Privacy Shield. (Before 2016 we relied on Safe Harbor.)",
            "en",
            {"PRIVACY_SHIELD_EU_US"},
        ),
        (
            "Für Slack stützten wir uns bis 2020 auf den Swiss-US Privacy Shield. Dieser wird nicht mehr verwendet.",
            "de",
            set(),
        ),
        (
            "Soweit Daten in die USA gelangen, stützen wir uns auf Ihre ausdrückliche Einwilligung nach Art. 49 DSGVO.",
            "de",
            {"ART49_CONSENT"},
        ),
    ],
)
def test_past_bases_are_not_current_ones(text: str, language: str, expected: set[str]) -> None:
    assert values(text, FactKind.MECHANISM, language) == expected
