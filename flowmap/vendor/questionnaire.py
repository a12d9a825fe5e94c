"""The gap questionnaire: what to ask the vendor, each question tied to the finding or gap that raised it."""

from __future__ import annotations

from dataclasses import dataclass

from flowmap.domain.law import KnowledgeBase
from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.results import Finding, Rule, Transfer
from flowmap.vendor.candidate import DEFAULT_CATEGORY, Candidate

_DPF = {MechanismCode.DPF_EU_US, MechanismCode.DPF_UK_EXT, MechanismCode.DPF_SWISS_US}


@dataclass(frozen=True)
class Question:
    text: str
    reason: str  # the rule or gap that raised it
    subject: str


def _name(candidate: Candidate, org_id: str) -> str:
    return next((o.name for o in candidate.organizations if o.id == org_id), org_id)


def questionnaire(
    candidate: Candidate, transfers: list[Transfer], findings: list[Finding], kb: KnowledgeBase
) -> list[Question]:
    """Deterministic and deduplicated, in a stable order: the most consequential gaps first."""
    asked: dict[str, Question] = {}

    def ask(text: str, reason: str, subject: str) -> None:
        text = text.replace("..", ".")  # a name ending in a full stop ("Acme, Inc.") at the end of a question
        asked.setdefault(text, Question(text, reason, subject))

    for t in transfers:
        last = t.path[-1]
        importer = _name(candidate, last.importer)
        subject = f"engagement:{last.engagement}"
        rules = {f.rule for f in t.findings}
        for f in t.findings:
            if f.rule in (Rule.INVALIDATED_MECHANISM, Rule.EXPIRED_SCC):
                relic = next((m for m in last.mechanisms if m.value in f.message), None)
                mech = kb.mechanism(relic) if relic else None
                ask(
                    f"Your documents rely on {mech.name if mech else 'a mechanism that no longer works'}: state the "
                    f"transfer mechanism you use now for transfers to {importer}.",
                    f.rule.value,
                    subject,
                )
        if Rule.UNKNOWN_LOCATION in rules:
            org = next((o for o in candidate.organizations if o.id == last.importer), None)
            if last.importer == candidate.vendor.id:
                text = "Name your hosting provider and the countries where it stores or accesses our data."
            elif org is not None and org.unnamed:
                text = f"Name the {importer} you use, and the countries where they store or access our data."
            else:
                text = f"Name the countries where {importer} stores or accesses our data."
            ask(text, "UNKNOWN_LOCATION", subject)
        if rules & {Rule.MISSING_MECHANISM, Rule.UNSPECIFIED_MECHANISM}:
            where = f" to {t.destination}" if t.destination else ""
            ask(
                f"State the transfer mechanism for transfers{where} by {importer} (e.g. the 2021 SCCs and their "
                "module, or the recipient's DPF certification).",
                "MISSING_MECHANISM",
                subject,
            )
        if Rule.TIA_MISSING in rules:
            ask(f"Provide your transfer impact assessment for transfers to {t.destination}.", "TIA_MISSING", subject)
        if Rule.DPF_NOT_CERTIFIED in rules or any(m in _DPF for m in last.mechanisms):
            ask(
                f"Confirm {importer}'s certification under the EU-US Data Privacy Framework: its name on the DPF List "
                "and the date of its last recertification.",
                "DPF_NOT_CERTIFIED" if Rule.DPF_NOT_CERTIFIED in rules else "DPF_RELIANCE",
                subject,
            )
        if Rule.SCC_MODULE_MISMATCH in rules:
            ask(f"Confirm which SCC module you signed with {importer}.", "SCC_MODULE_MISMATCH", subject)
    for f in findings:
        if f.rule is Rule.OUTDATED_LEGAL_REFERENCE:
            ask(
                "Update your privacy documents: they cite a repealed law or a renamed authority.",
                f.rule.value,
                f.subject,
            )
        elif f.rule is Rule.INDEFINITE_RETENTION:
            ask(
                "State a retention period, or the criteria that set it, for each category of our data.",
                f.rule.value,
                f.subject,
            )
        elif f.rule is Rule.UNNAMED_RECIPIENTS:
            ask(
                "Provide your full sub-processor list: names, purposes, and storage and access countries.",
                f.rule.value,
                f.subject,
            )
    first = candidate.engagements[0]
    if first.categories == [DEFAULT_CATEGORY]:
        ask(
            "List the categories of personal data you would process for us.", "NO_CATEGORIES", f"engagement:{first.key}"
        )
    if not first.mechanisms and not candidate.vendor.country:
        ask(
            "State where you are established and where you store our data.",
            "NO_LOCATION",
            f"organization:{candidate.vendor.id}",
        )
    return list(asked.values())
