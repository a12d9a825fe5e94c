"""What the ROPA and the annexes share: how a party, a category list and a safeguard read on a date."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from flowmap.domain.categories import taxonomy
from flowmap.domain.countries import all_countries
from flowmap.domain.law import KnowledgeBase, MechanismKind
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import DeclaredMechanism, LocationScope, Organization, Retention
from flowmap.domain.results import ADEQUACY, Transfer

NOT_RECORDED = "not recorded in the map"


def country_name(code: str | None) -> str:
    """``US`` -> ``United States (US)``; a document for people, not a join key."""
    if code is None:
        return NOT_RECORDED
    found = all_countries().get(code)
    return f"{found.name} ({code})" if found else code


_SCOPES = {
    LocationScope.WITHIN_EU: "within the EU (countries not named)",
    LocationScope.WITHIN_EEA: "within the EEA (countries not named)",
    LocationScope.THIRD_COUNTRY_POSSIBLE: f"location {NOT_RECORDED}; may leave the EEA",
    LocationScope.UNKNOWN: f"location {NOT_RECORDED}",
    LocationScope.STATED: f"location {NOT_RECORDED}",
}


def location_text(scope: LocationScope) -> str:
    """Where an importer holds data when the map names no country: what the source says, no more."""
    return _SCOPES[scope]


def org_name(org: Organization | None, fallback: str) -> str:
    if org is None:
        return fallback
    if org.unnamed:
        return f"{org.name} [unnamed {org.recipient_class}]"
    return org.legal_name or org.name


def org_contact(org: Organization | None) -> str:
    """Address, country and website as the map holds them; a DPO or e-mail is never recorded."""
    if org is None:
        return NOT_RECORDED
    parts = [p for p in (org.address, org.website) if p]
    if org.country and not (org.address and country_name(org.country).split(" (")[0] in org.address):
        parts.append(country_name(org.country))
    return "; ".join(parts) or NOT_RECORDED


def categories_text(keys: Iterable[str]) -> str:
    """Fideslang keys with their names, so a reader without the taxonomy can read them."""
    names = taxonomy()
    out = [f"{names[k].name} ({k})" if k in names else k for k in sorted(set(keys))]
    return "; ".join(out) or NOT_RECORDED


def special_categories(keys: Iterable[str]) -> list[str]:
    """The Art. 9 / Art. 10 keys among ``keys``."""
    names = taxonomy()
    return sorted(k for k in set(keys) if k in names and names[k].special)


def retention_text(entries: Sequence[Retention], categories: Iterable[str] | None = None) -> str:
    """Retention rules that concern ``categories`` (a rule without categories concerns all)."""
    wanted = set(categories) if categories is not None else None
    lines = []
    for r in entries:
        if wanted is not None and r.categories and not any(_related(c, wanted) for c in r.categories):
            continue
        period = f" {r.period}" if r.period else ""
        trigger = f" after {r.trigger}" if r.trigger else ""
        lines.append(f"{r.scope}: {r.basis.value.replace('_', ' ')}{period}{trigger}")
    return "; ".join(lines) or NOT_RECORDED


def _related(key: str, wanted: set[str]) -> bool:
    return any(key == w or key.startswith(w + ".") or w.startswith(key + ".") for w in wanted)


def mechanism_state(kb: KnowledgeBase, code: MechanismCode, regime: RegimeCode, day: date) -> str:
    """A declared mechanism as legal reads it on ``day``: "EU-US Privacy Shield — INVALID since 2020-07-16".

    Only the mechanism's own validity window; whether the importer is certified, or the module fits, is in
    the transfer's status and findings.
    """
    mech = kb.mechanism(code)
    if mech is None:
        return code.value
    if mech.kind is MechanismKind.UNSPECIFIED:
        return f"{mech.name} — no transfer tool named"
    window = mech.window_on(regime, day)
    if window is None:
        return f"{mech.name} — NOT A TRANSFER TOOL under {regime.value}"
    if window.holds_on(day):
        return f"{mech.name} — valid on {day.isoformat()}"
    if window.valid_from and day < window.valid_from:
        return f"{mech.name} — NOT YET IN FORCE (from {window.valid_from.isoformat()})"
    ended = (window.valid_until or day) + timedelta(days=1)
    word = "EXPIRED" if mech.kind is MechanismKind.SCC else "INVALID"
    return f"{mech.name} — {word} since {ended.isoformat()}"


def declared_text(kb: KnowledgeBase, declared: Sequence[DeclaredMechanism], regime: RegimeCode, day: date) -> str:
    if not declared:
        return "none"
    out = []
    for m in declared:
        module = f" Module {m.module}" if m.module else ""
        signed = f", signed {m.signed_on.isoformat()}" if m.signed_on else ""
        name, _, state = mechanism_state(kb, m.code, regime, day).partition(" — ")
        out.append(f"{name}{module}{signed} — {state}" if state else f"{name}{module}{signed}")
    return "; ".join(out)


def relied_on(kb: KnowledgeBase, transfer: Transfer) -> str:
    """The basis the engine found valid, or a plain statement that there is none."""
    if transfer.basis is None:
        return "NONE valid on this date"
    if transfer.basis == ADEQUACY:
        return f"adequacy decision ({transfer.basis_reference})"
    mech = kb.mechanism(MechanismCode(transfer.basis))
    name = mech.name if mech else transfer.basis
    return f"{name} ({transfer.basis_reference})" if transfer.basis_reference else name
