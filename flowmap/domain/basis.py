"""The legal basis of one transfer on one date, and the findings that explain it.

Order, as Chapter V has it: an adequacy decision covering the destination within its scope;
else the first declared mechanism valid on that date (primary, then fallbacks); else none.
Whether an invalid mechanism is critical depends on whether something else saved the transfer,
so invalidity is collected first and given its severity at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Protocol

from flowmap.domain.categories import taxonomy
from flowmap.domain.law import Adequacy, AdequacyScope, CountryRisk, KnowledgeBase, MechanismKind, MechanismWindow
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import CertificationStatus, DeclaredMechanism, LocationScope, Organization, Role
from flowmap.domain.results import ADEQUACY, Finding, Rule, Severity, Status, status_of

# 2021 SCC modules by exporter -> importer role.
SCC_2021_MODULE = {Role.C2C: 1, Role.C2P: 2, Role.P2P: 3, Role.P2C: 4}
_TIA_TOOLS = frozenset(
    {
        MechanismKind.SCC,
        MechanismKind.CONTRACT,
        MechanismKind.BCR,
        MechanismKind.CODE_OF_CONDUCT,
        MechanismKind.CERTIFICATION,
    }
)


class HopFacts(Protocol):
    """What judging a hop reads: an ``Engagement`` model or the engine's compact ``Edge``."""

    @property
    def key(self) -> str: ...
    @property
    def role(self) -> Role: ...
    @property
    def mechanisms(self) -> Sequence[DeclaredMechanism]: ...
    @property
    def location_scope(self) -> LocationScope: ...
    @property
    def tia_ref(self) -> str | None: ...


def certified(org: Organization, framework: MechanismCode, day: date) -> bool:
    """Listed (or claiming to be) under a framework on ``day``; an inactive record never counts."""
    return any(
        c.framework is framework
        and c.status is not CertificationStatus.INACTIVE
        and (c.since is None or c.since <= day)
        and (c.until is None or day <= c.until)
        for c in org.certifications
    )


@dataclass
class Judgement:
    basis: str | None = None
    basis_reference: str | None = None
    basis_kind: MechanismKind | None = None
    findings: list[Finding] = field(default_factory=list)
    # findings about declared mechanisms that did not work: critical only if nothing else did
    invalid: list[Finding] = field(default_factory=list)

    def reject(self, rule: Rule, message: str, citation: str, remediation: str, subject: str) -> None:
        """A declared mechanism that does not work; ``settle`` decides how severe that is."""
        self.invalid.append(Finding(rule, Severity.CRITICAL, message, citation, remediation, subject))

    def settle(self) -> Verdict:
        severity = Severity.LOW if self.basis else Severity.CRITICAL
        relics = [
            Finding(
                f.rule,
                severity,
                f.message,
                f.citation,
                f.remediation
                if not self.basis
                else f"Remove it from the contract records; the transfer relies on {self.basis}.",
                f.subject,
            )
            for f in self.invalid
        ]
        return Verdict(self.basis, self.basis_reference, tuple(relics + self.findings))


@dataclass(frozen=True)
class Verdict:
    basis: str | None
    basis_reference: str | None
    findings: tuple[Finding, ...]


def _cite(window: MechanismWindow, citation: str) -> str:
    return "; ".join(x for x in (window.ended_by, citation, window.source[0]) if x)


def _shape(
    regime: RegimeCode,
    destination: str | None,
    engagement: HopFacts,
    importer: object,
    categories: frozenset[str],
    onward: bool,
) -> tuple[object, ...]:
    """All the rules read of a hop, but its key: equal shapes get equal verdicts but for the subject."""
    return (
        regime,
        destination,
        engagement.role,
        tuple((m.code, m.module, m.signed_on) for m in engagement.mechanisms),
        engagement.location_scope,
        bool(engagement.tia_ref),
        importer,
        categories,
        onward,
    )


class BasisJudge:
    """Judges one hop's transfer to one destination under one regime, on one date."""

    def __init__(self, kb: KnowledgeBase, day: date) -> None:
        self.kb = kb
        self.day = day
        self._listed: dict[tuple[str, MechanismCode], bool] = {}
        # what every hop looks up, indexed once: a what-if judges hundreds of thousands of hops
        self._mechanisms = {m.code: m for m in kb.mechanisms}
        self._windows: dict[tuple[MechanismCode, RegimeCode], MechanismWindow | None] = {}
        self._risks: dict[str | None, list[CountryRisk]] = {}
        self._shapes: dict[tuple[object, ...], tuple[Verdict, Status]] = {}
        self._decisions: dict[tuple[object, ...], tuple[str | None, Status]] = {}
        self._frameworks = sorted(
            {m.code for m in kb.mechanisms if m.kind is MechanismKind.FRAMEWORK}
            | {a.framework for a in kb.adequacy if a.framework is not None},
            key=lambda c: c.value,
        )
        self._listings: dict[str, tuple[bool, ...]] = {}
        self._in_force: dict[tuple[RegimeCode, str], list[Adequacy]] = defaultdict(list)
        for a in kb.adequacy:
            if a.holds_on(day):
                self._in_force[(a.regime, a.country)].append(a)

    def _certified(self, org: Organization, framework: MechanismCode) -> bool:
        """``certified`` on the judge's day, once per organisation: hubs are judged for thousands of clients."""
        key = (org.id, framework)
        found = self._listed.get(key)
        if found is None:
            found = self._listed[key] = certified(org, framework, self.day)
        return found

    def _adequacy(self, regime: RegimeCode, country: str) -> list[Adequacy]:
        return self._in_force.get((regime, country), [])

    def judge(
        self,
        regime: RegimeCode,
        destination: str | None,
        engagement: HopFacts,
        importer: Organization,
        categories: frozenset[str],
        onward: bool,
    ) -> tuple[Verdict, Status]:
        """The verdict and its status, for this engagement. Judged once per shape, what the rules read: hops
        into the same importer on the same terms share one (as do a hub's thousands of incoming engagements)
        and differ only in the findings' subject, which is swapped in."""
        shape = _shape(regime, destination, engagement, importer.id, categories, onward)
        found = self._shapes.get(shape)
        if found is None:
            found = self._shapes[shape] = self._judge(regime, destination, engagement, importer, categories, onward)
        verdict, status = found
        subject = f"engagement:{engagement.key}"
        if verdict.findings and verdict.findings[0].subject != subject:
            mine = tuple(
                Finding(f.rule, f.severity, f.message, f.citation, f.remediation, subject) for f in verdict.findings
            )
            verdict = Verdict(verdict.basis, verdict.basis_reference, mine)
        return verdict, status

    def decide(
        self,
        regime: RegimeCode,
        destination: str | None,
        engagement: HopFacts,
        importer: Organization,
        categories: frozenset[str],
        onward: bool,
    ) -> tuple[str | None, Status]:
        """The basis and the status alone. They read of the importer only whether it is listed under each
        framework (its name is in the findings' text), so hops into any importer on the same terms share
        one: a what-if decides millions of transfers with a few thousand judgements."""
        listing = self._listings.get(importer.id)
        if listing is None:
            listing = self._listings[importer.id] = tuple(self._certified(importer, f) for f in self._frameworks)
        shape = _shape(regime, destination, engagement, listing, categories, onward)
        found = self._decisions.get(shape)
        if found is None:
            verdict, status = self._judge(regime, destination, engagement, importer, categories, onward)
            found = self._decisions[shape] = (verdict.basis, status)
        return found

    def _judge(
        self,
        regime: RegimeCode,
        destination: str | None,
        engagement: HopFacts,
        importer: Organization,
        categories: frozenset[str],
        onward: bool,
    ) -> tuple[Verdict, Status]:
        subject = f"engagement:{engagement.key}"
        j = Judgement()
        if destination is not None:
            self._by_adequacy(j, regime, destination, importer, subject)
        for declared in engagement.mechanisms:
            self._by_mechanism(j, declared, regime, destination, engagement, importer, subject)
        self._without_basis(j, engagement, destination, subject)
        self._context(j, engagement, destination, categories, onward, subject)
        verdict = j.settle()
        return verdict, status_of([f.severity for f in verdict.findings])

    def _by_adequacy(
        self, j: Judgement, regime: RegimeCode, country: str, importer: Organization, subject: str
    ) -> None:
        for a in self._adequacy(regime, country):
            if a.scope is AdequacyScope.CERTIFIED:
                assert a.framework is not None
                if self._certified(importer, a.framework):
                    j.basis, j.basis_reference, j.basis_kind = a.framework.value, a.reference, MechanismKind.FRAMEWORK
                    return
                continue
            j.basis, j.basis_reference = ADEQUACY, a.reference
            if a.scope is not AdequacyScope.WHOLE:
                j.findings.append(
                    Finding(
                        Rule.ADEQUACY_SCOPE,
                        Severity.LOW,
                        f"The adequacy decision for {country} is limited ({a.scope.value}). " + (a.scope_note or ""),
                        f"{a.reference}; {a.source[0]}",
                        f"Confirm that {importer.name} falls within the decision's scope; otherwise sign SCC 2021.",
                        subject,
                    )
                )
            return

    def _by_mechanism(
        self,
        j: Judgement,
        declared: DeclaredMechanism,
        regime: RegimeCode,
        destination: str | None,
        engagement: HopFacts,
        importer: Organization,
        subject: str,
    ) -> None:
        mech = self._mechanisms.get(declared.code)
        if mech is None or mech.kind is MechanismKind.UNSPECIFIED:
            return
        code = declared.code.value
        if (declared.code, regime) not in self._windows:
            self._windows[(declared.code, regime)] = mech.window_on(regime, self.day)
        window = self._windows[(declared.code, regime)]
        if window is None:
            j.reject(
                Rule.INVALIDATED_MECHANISM,
                f"{code} is not a transfer tool under {regime.value}.",
                mech.citation,
                "Sign the instrument that this regime recognises (e.g. SCC 2021, or the UK IDTA/Addendum).",
                subject,
            )
            return
        if not window.holds_on(self.day):
            if window.valid_from and self.day < window.valid_from:
                j.reject(
                    Rule.MISSING_MECHANISM,
                    f"{code} was not yet in force on {self.day} (it applies from {window.valid_from}).",
                    _cite(window, mech.citation),
                    self._replacement(destination, engagement),
                    subject,
                )
                return
            ended = (window.valid_until or self.day) + timedelta(days=1)
            if mech.kind is MechanismKind.SCC:
                j.reject(
                    Rule.EXPIRED_SCC,
                    f"{code} stopped providing appropriate safeguards on {ended.isoformat()}.",
                    _cite(window, mech.citation),
                    f"Replace with SCC 2021 Module {SCC_2021_MODULE[engagement.role]} and run a TIA.",
                    subject,
                )
            else:
                j.reject(
                    Rule.INVALIDATED_MECHANISM,
                    f"{code} is no longer valid since {ended.isoformat()}.",
                    _cite(window, mech.citation),
                    self._replacement(destination, engagement),
                    subject,
                )
            return
        if mech.kind is MechanismKind.SCC and declared.signed_on and not window.signable_on(declared.signed_on):
            j.reject(
                Rule.EXPIRED_SCC,
                f"{code} was signed on {declared.signed_on.isoformat()}, after new contracts on it were no longer "
                f"allowed (last day {window.signable_until}).",
                _cite(window, mech.citation),
                f"Sign SCC 2021 Module {SCC_2021_MODULE[engagement.role]} instead.",
                subject,
            )
            return
        if mech.kind is MechanismKind.FRAMEWORK:
            if destination is not None and mech.destinations and destination not in mech.destinations:
                j.reject(
                    Rule.INVALIDATED_MECHANISM,
                    f"{code} only covers importers in {', '.join(mech.destinations)}, not {destination}.",
                    mech.citation,
                    self._replacement(destination, engagement),
                    subject,
                )
                return
            if not self._certified(importer, declared.code):
                j.reject(
                    Rule.DPF_NOT_CERTIFIED,
                    f"{importer.name} is not certified under {code} on {self.day.isoformat()}.",
                    _cite(window, mech.citation),
                    f"Check the official list; if {importer.name} is not on it, sign SCC 2021 Module "
                    f"{SCC_2021_MODULE[engagement.role]} and run a TIA.",
                    subject,
                )
                return
        self._module_check(j, declared, engagement, mech.roles, subject)
        if j.basis is None:
            j.basis, j.basis_reference, j.basis_kind = code, mech.citation, mech.kind

    def _module_check(
        self, j: Judgement, declared: DeclaredMechanism, engagement: HopFacts, roles: list[Role], subject: str
    ) -> None:
        expected = SCC_2021_MODULE[engagement.role]
        problem = None
        if declared.code is MechanismCode.SCC_2021 and declared.module is None:
            problem = f"SCC 2021 is recorded without a module; a {engagement.role.value} hop needs Module {expected}."
        elif declared.code is MechanismCode.SCC_2021 and declared.module != expected:
            problem = (
                f"SCC 2021 Module {declared.module} is recorded, "
                f"but a {engagement.role.value} hop needs Module {expected}."
            )
        elif roles and engagement.role not in roles:
            written = ", ".join(r.value for r in roles)
            problem = f"{declared.code.value} was written for {written} transfers, not {engagement.role.value}."
        if problem:
            j.findings.append(
                Finding(
                    Rule.SCC_MODULE_MISMATCH,
                    Severity.MEDIUM,
                    problem,
                    "Commission Implementing Decision (EU) 2021/914, Annex, Section I",
                    f"Sign SCC 2021 Module {expected} for this hop.",
                    subject,
                )
            )

    def _replacement(self, destination: str | None, engagement: HopFacts) -> str:
        module = SCC_2021_MODULE[engagement.role]
        if destination == "US":
            return (
                "Check whether the importer is on the Data Privacy Framework list; "
                f"else sign SCC 2021 Module {module} and run a TIA."
            )
        return f"Sign SCC 2021 Module {module} and run a TIA."

    def _without_basis(self, j: Judgement, engagement: HopFacts, destination: str | None, subject: str) -> None:
        if j.basis is not None:
            return
        codes = {m.code for m in engagement.mechanisms}
        expected = SCC_2021_MODULE[engagement.role]
        if MechanismCode.UNSPECIFIED in codes and not j.invalid:
            j.findings.append(
                Finding(
                    Rule.UNSPECIFIED_MECHANISM,
                    Severity.HIGH,
                    "The transfer rests on unnamed 'appropriate safeguards'; no transfer tool is identified.",
                    "GDPR Art. 46(1)-(2); Art. 13(1)(f) (the safeguards and how to obtain a copy)",
                    f"Ask for the named instrument (e.g. SCC 2021 Module {expected}) and a copy.",
                    subject,
                )
            )
        elif not engagement.mechanisms:
            if engagement.location_scope is LocationScope.UNKNOWN:
                return  # not known to be a transfer at all: UNKNOWN_LOCATION says so
            severity = Severity.CRITICAL if destination else Severity.HIGH
            j.findings.append(
                Finding(
                    Rule.MISSING_MECHANISM,
                    severity,
                    "No adequacy decision covers this transfer and no transfer mechanism is declared.",
                    "GDPR Art. 44 and Art. 46(1)",
                    self._replacement(destination, engagement),
                    subject,
                )
            )

    def _context(
        self,
        j: Judgement,
        engagement: HopFacts,
        destination: str | None,
        categories: frozenset[str],
        onward: bool,
        subject: str,
    ) -> None:
        if destination is None:
            j.findings.append(
                Finding(
                    Rule.UNKNOWN_LOCATION,
                    Severity.MEDIUM,
                    f"Where the importer stores or accesses the data is not known ({engagement.location_scope.value}).",
                    "GDPR Art. 44; Art. 30(1)(e) (record of transfers)",
                    "Ask the importer for its storage and access locations, including support and sub-processors.",
                    subject,
                )
            )
        if j.basis_kind in _TIA_TOOLS and not engagement.tia_ref:
            risks = self._risks.get(destination)
            if risks is None:
                risks = self._risks[destination] = [
                    r for r in self.kb.country_risks if r.country == destination and r.holds_on(self.day)
                ]
            noted = "; ".join(r.title for r in risks)
            j.findings.append(
                Finding(
                    Rule.TIA_MISSING,
                    Severity.MEDIUM,
                    f"{j.basis} needs a transfer impact assessment, and none is recorded."
                    + (f" Laws to assess in {destination}: {noted}." if noted else ""),
                    "CJEU C-311/18 (Schrems II); EDPB Recommendations 01/2020 v2.0"
                    + (f"; {risks[0].source[0]}" if risks else ""),
                    "Run and record a TIA (EDPB Recommendations 01/2020, six steps), with supplementary measures.",
                    subject,
                )
            )
        if j.basis_kind is MechanismKind.DEROGATION:
            j.findings.append(
                Finding(
                    Rule.ART49_RELIANCE,
                    Severity.MEDIUM,
                    f"The transfer relies on a derogation ({j.basis}), meant for occasional transfers only.",
                    "GDPR Art. 49; EDPB Guidelines 2/2018",
                    "Put an Art. 46 instrument (SCC 2021) in place for repeated transfers.",
                    subject,
                )
            )
        special = sorted(c for c in categories if (cat := taxonomy().get(c)) and cat.special)
        if special:
            j.findings.append(
                Finding(
                    Rule.SPECIAL_CATEGORY_THIRD_COUNTRY,
                    Severity.HIGH,
                    f"Special-category data ({', '.join(special)}) leaves the regime's area.",
                    "GDPR Arts. 9-10 and 44",
                    "Confirm the Art. 9(2) condition and strengthen supplementary measures.",
                    subject,
                )
            )
        if onward:
            j.findings.append(
                Finding(
                    Rule.ONWARD_TRANSFER,
                    Severity.INFO,
                    "Onward transfer: the importer receives the data from a processor, not from the client.",
                    "GDPR Art. 44; SCC 2021 Clause 8.7 / 8.8 (onward transfers)",
                    "Check that the safeguards are flowed down to this sub-processor in writing.",
                    subject,
                )
            )
