"""The map as a fideslang manifest, and what fideslang cannot say (see flowmap.interop.fides)."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import yaml
from fideslang.models import DataFlow, PrivacyDeclaration, System, Taxonomy
from fideslang.models import Organization as FidesOrganization

from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import Engagement, LocationScope, Organization, Role
from flowmap.domain.tables import MapTables
from flowmap.interop.fides_common import (
    ATTR,
    DATA_USES,
    DEFAULT_ORGANIZATION,
    DEFAULT_USE,
    EGRESS,
    INGRESS,
    NOTE,
    ORG_KIND,
    fides_key,
)


def _note(e: Engagement) -> dict[str, Any]:
    for ev in e.evidence:
        if ev.note and ev.note.startswith(NOTE):
            try:
                found = json.loads(ev.note[len(NOTE) :])
            except ValueError:
                continue
            if isinstance(found, dict):
                return found
    return {}


def _attrs(org: Organization) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for r in org.registrations:
        if r.scheme.startswith(ATTR):
            out[r.scheme[len(ATTR) :]].append(r.value)
    return out


def _lossy_export(tables: MapTables, engagements: list[Engagement]) -> list[str]:
    counts: dict[str, int] = defaultdict(int)
    for e in engagements:
        for name, present in (
            ("engagement.countries (destination countries)", bool(e.countries)),
            (
                "engagement.mechanisms other than SCCs and BCRs (DPF, Privacy Shield, IDTA, derogations...)",
                any(m.code not in (MechanismCode.SCC_2021, MechanismCode.BCR) for m in e.mechanisms),
            ),
            (
                "engagement.mechanisms detail (SCC version, module, signing date)",
                any(
                    m.module or m.signed_on or (m.code.startswith("SCC_20") and m.code is not MechanismCode.SCC_2021)
                    for m in e.mechanisms
                ),
            ),
            (
                "engagement.location_scope",
                e.location_scope not in (LocationScope.UNKNOWN, LocationScope.THIRD_COUNTRY_POSSIBLE),
            ),
            ("engagement.valid_from / valid_to (dates)", bool(e.valid_from or e.valid_to)),
            ("engagement.tia_ref", bool(e.tia_ref)),
            ("engagement.regime", bool(e.regime)),
            (
                "engagement.purpose (free text; data_use set to essential.service)",
                e.purpose not in DATA_USES and not e.key.endswith((EGRESS, INGRESS)),
            ),
            (
                "engagement.role P2P/P2C (chain depth: kept only as system egress/ingress)",
                e.role in (Role.P2P, Role.P2C) and not e.key.endswith((EGRESS, INGRESS)),
            ),
            ("evidence (documents, sections, quotes)", True),
        ):
            counts[name] += present
    for org in tables.organizations.values():
        for name, present in (
            ("organization.certifications (DPF status)", bool(org.certifications)),
            ("organization.retention", bool(org.retention)),
            ("organization.country", bool(org.country)),
            ("organization.parent", bool(org.parent)),
            ("organization.transfer_statements", bool(org.transfer_statements)),
        ):
            counts[name] += present
    counts["documents and legal references"] = len(tables.documents)
    return [f"{name}: {n}" for name, n in sorted(counts.items()) if n]


def _named(declarations: list[PrivacyDeclaration]) -> list[PrivacyDeclaration]:
    """fideslang sorts declarations by name, so either all have one or none has: fill the gaps with the data use."""
    if all(d.name is None for d in declarations):
        return declarations
    return [d if d.name is not None else d.model_copy(update={"name": d.data_use}) for d in declarations]


def _bases(engagements: list[Engagement]) -> list[str]:
    """fides' legal_basis_for_transfers from the mechanisms declared (SCCs of any version, BCRs, else Other)."""
    codes = {m.code for e in engagements for m in e.mechanisms}
    bases = {"SCCs" if c.startswith("SCC_") else "BCRs" if c is MechanismCode.BCR else "Other" for c in codes}
    return sorted(bases)


def _abroad(engagements: list[Engagement]) -> str:
    return str(
        any(
            e.countries or e.mechanisms or e.location_scope is LocationScope.THIRD_COUNTRY_POSSIBLE for e in engagements
        )
    )


def map_to_manifest(tables: MapTables) -> tuple[Taxonomy, list[str]]:
    """The map as a fideslang taxonomy (validated by fideslang), and the lossy field list with counts."""
    engagements = [tables.model(e) for e in tables.edges]
    orgs = tables.organizations
    importers = {e.importer for e in engagements}
    owners: dict[str, set[str]] = defaultdict(set)
    declarations: dict[str, list[PrivacyDeclaration]] = defaultdict(list)
    egress: dict[str, list[DataFlow]] = defaultdict(list)
    ingress: dict[str, list[DataFlow]] = defaultdict(list)
    for e in engagements:
        if e.key.endswith((EGRESS, INGRESS)):
            cats = e.categories if _note(e).get("declared_categories", True) else None
            if e.key.endswith(EGRESS):
                egress[e.exporter].append(
                    DataFlow(fides_key=fides_key(orgs[e.importer]), type="system", data_categories=cats)
                )
            else:
                ingress[e.importer].append(
                    DataFlow(fides_key=fides_key(orgs[e.exporter]), type="system", data_categories=cats)
                )
            continue
        note = _note(e)
        if e.role in (Role.C2P, Role.C2C) or e.exporter not in importers:
            owners[e.importer].add(e.exporter)
        elif e.exporter in importers:  # processor to sub-processor: a flow between their systems
            egress[e.exporter].append(
                DataFlow(fides_key=fides_key(orgs[e.importer]), type="system", data_categories=e.categories)
            )
        declarations[e.importer].append(
            PrivacyDeclaration(
                name=note.get("name", e.service) if note else e.service,
                data_use=e.purpose if e.purpose in DATA_USES else DEFAULT_USE,
                data_categories=list(e.categories),
                data_subjects=note.get("data_subjects", []),
                egress=note.get("egress"),
                ingress=note.get("ingress"),
            )
        )
    incoming: dict[str, list[Engagement]] = defaultdict(list)
    for e in engagements:
        incoming[e.importer].append(e)
    fides_orgs = {o.id for o in orgs.values() if any(r.scheme == ORG_KIND for r in o.registrations)}
    fides_orgs |= {x for xs in owners.values() for x in xs if x in orgs and x not in importers}
    systems = []
    for org_id in sorted(importers | set(egress) | set(ingress)):
        org, attrs = orgs[org_id], _attrs(orgs[org_id])
        owner = sorted(owners.get(org_id, ()))
        systems.append(
            System(
                fides_key=fides_key(org),
                organization_fides_key=fides_key(orgs[owner[0]]) if len(owner) == 1 else DEFAULT_ORGANIZATION,
                name=org.name,
                description=org.description,
                system_type=(attrs.get("system_type") or ["Third Party"])[0],
                responsibility=attrs.get("responsibility") or [],
                legal_basis_for_transfers=attrs.get("legal_basis_for_transfers") or _bases(incoming[org_id]),
                does_international_transfers=(attrs.get("does_international_transfers") or [_abroad(incoming[org_id])])[
                    0
                ]
                == "True",
                legal_name=org.legal_name,
                legal_address=org.address,
                privacy_declarations=_named(declarations.get(org_id, [])),
                egress=egress.get(org_id) or None,
                ingress=ingress.get(org_id) or None,
            )
        )
    organizations = [
        FidesOrganization(fides_key=fides_key(o), name=o.name, description=o.description)
        for o in (orgs[x] for x in sorted(fides_orgs))
    ]
    lossy = _lossy_export(tables, engagements)
    shared = sum(len(v) > 1 for v in owners.values())
    if shared:
        lossy.append(f"system.organization_fides_key: {shared} systems serve several clients (default_organization)")
    return Taxonomy(organization=organizations, system=systems), lossy


def manifest_yaml(taxonomy: Taxonomy) -> str:
    """YAML as fides writes manifests: one list per resource type, keys in model order, None left out."""
    body = {
        name: [r.model_dump(mode="json", exclude_none=True) for r in getattr(taxonomy, name)]
        for name in ("organization", "system")
        if getattr(taxonomy, name)
    }
    return yaml.safe_dump(body, sort_keys=False, indent=2, allow_unicode=True)
