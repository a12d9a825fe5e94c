"""fideslang manifests in and out: systems and their privacy declarations as organisations and engagements.

Why this mapping: a fides ``system`` is something personal data is handed to, so it becomes an organisation (the
importer), its owning fides ``organization`` the exporter, and each privacy declaration one engagement carrying
the declaration's data categories, with its data use as the purpose. System-to-system ``egress``/``ingress`` flows
become processor-to-processor engagements, which is how a chain reaches a sub-processor.

What flowmap has no field for but fides round-trips is kept beside the facts, never guessed: a system's exact
fides_key, type, responsibility and transfer fields as ``fides:*`` registrations of its organisation; a
declaration's data subjects, name and flow references as the JSON note of its evidence, which quotes the manifest
(itself recorded as a document, with its sha256). Everything else is named in a lossy list, both ways: fides fields
flowmap drops on import, and on export what fideslang cannot say (countries, mechanisms, dates, evidence, depth).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import DataFlow, PrivacyDeclaration, System, Taxonomy
from fideslang.models import Organization as FidesOrganization
from pydantic import ValidationError

from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import (
    DeclaredMechanism,
    Document,
    DocumentKind,
    Engagement,
    Evidence,
    FlowMap,
    LocationScope,
    Organization,
    Registration,
    Role,
)
from flowmap.domain.tables import MapTables
from flowmap.errors import Issue, ValidationFailed, format_path, pydantic_messages
from flowmap.store.graph import GraphStore

KEY = "fides"  # registration scheme: the exact fides_key of a system or organisation
ATTR = "fides:"  # registration scheme prefix: a system field flowmap has no column for
ORG_KIND = "fides:resource"  # value "organization" marks a fides organisation (the exporter)
NOTE = "fides "  # evidence note prefix, followed by the declaration's JSON
EGRESS, INGRESS = ":fides-egress", ":fides-ingress"  # engagement id suffixes of system-to-system flows
SYSTEM_ATTRS = ("system_type", "responsibility", "legal_basis_for_transfers", "does_international_transfers")
SYSTEM_KEPT = {
    "fides_key",
    "organization_fides_key",
    "name",
    "description",
    "legal_name",
    "legal_address",
    "privacy_declarations",
    "egress",
    "ingress",
    *SYSTEM_ATTRS,
}
DECLARATION_KEPT = {"name", "data_use", "data_categories", "data_subjects", "egress", "ingress"}
ORGANIZATION_KEPT = {"fides_key", "name", "description"}
# legal_basis_for_transfers values that name a mechanism flowmap judges; the rest are kept only as registrations.
BASIS_MECHANISMS = {"SCCs": MechanismCode.SCC_2021, "BCRs": MechanismCode.BCR}
DEFAULT_USE = "essential.service"
DATA_USES = frozenset(u.fides_key for u in DEFAULT_TAXONOMY.data_use)
DEFAULT_ORGANIZATION = "default_organization"


@dataclass
class FidesImport:
    flow_map: FlowMap
    lossy: list[str] = field(default_factory=list)


def flowmap_id(fides_key: str) -> str:
    """A fides key as a flowmap id (lower case; characters flowmap ids lack become '-'). The exact key is kept."""
    slug = re.sub(r"[^a-z0-9.-]", "-", fides_key.lower()).lstrip(".-")
    return slug or "fides"


def fides_key(org: Organization) -> str:
    """The organisation's fides key: the one it was imported with, else its id with ':' and '~' as '_'."""
    kept = next((r.value for r in org.registrations if r.scheme == KEY), None)
    return kept or re.sub(r"[^a-zA-Z0-9_.<>-]", "_", org.id)


def is_fides_manifest(path: Path) -> bool:
    """A YAML file whose top level is fideslang resource lists with at least a system or an organization."""
    if not path.is_file() or path.suffix.lower() not in (".yml", ".yaml"):
        return False
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return False
    return (
        isinstance(data, dict)
        and bool(set(data) & {"system", "organization"})
        and set(data) <= set(Taxonomy.model_fields)
    )


def read_manifest(path: Path) -> Taxonomy:
    """The manifest validated by fideslang's own models; errors name the resource path."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Taxonomy.model_validate(data)
    except yaml.YAMLError as exc:
        raise ValidationFailed([Issue(str(path), "", f"not YAML: {exc}")]) from None
    except ValidationError as exc:
        raise ValidationFailed(
            [Issue(str(path), format_path(p), m) for p, m in pydantic_messages(exc.errors())]
        ) from None
    except TypeError as exc:  # fideslang sorts declarations by name: some named, some not, fails there
        raise ValidationFailed([Issue(str(path), "system", f"fideslang refused it: {exc}")]) from None


def _set_fields(model: Any, kept: set[str], where: str) -> list[str]:
    """The fields a manifest set, to something other than their default, that flowmap does not keep."""
    out = []
    for name in sorted(model.model_fields_set - kept):
        value = getattr(model, name)
        if value not in (None, [], {}, False) and value != type(model).model_fields[name].default:
            out.append(f"{where}.{name}")
    return out


class _Importer:
    def __init__(self, taxonomy: Taxonomy, existing: MapTables, doc: Document, source: str) -> None:
        self.taxonomy, self.existing, self.doc, self.source = taxonomy, existing, doc, source
        self.orgs: dict[str, Organization] = {}
        self.engagements: dict[str, Engagement] = {}
        self.lossy: list[str] = []
        self.issues: list[Issue] = []
        self.by_key = {
            r.value: o.id for o in existing.organizations.values() for r in o.registrations if r.scheme == KEY
        }

    def evidence(self, section: str, quote: str, note: dict[str, Any] | None = None) -> list[Evidence]:
        words = quote.split()
        text = " ".join(words[:20]) or section
        return [
            Evidence(
                document=self.doc.id,
                section=section,
                quote=text,
                note=NOTE + json.dumps(note, sort_keys=True, ensure_ascii=False) if note is not None else None,
            )
        ]

    def org_id(self, key: str) -> str:
        return self.by_key.get(key) or flowmap_id(key)

    def add_org(self, key: str, make: dict[str, Any], path: str) -> str:
        org_id = self.org_id(key)
        registrations = [Registration(scheme=KEY, value=key), *make.pop("registrations", [])]
        current = self.existing.organizations.get(org_id)
        if current is not None:  # a known organisation keeps its facts; it gains the fides registrations
            kept = [r for r in current.registrations if r.scheme != KEY and not r.scheme.startswith(ATTR)]
            org = current.model_copy(update={"registrations": [*kept, *registrations]})
        else:
            org = Organization(id=org_id, registrations=registrations, evidence=self.evidence(path, key), **make)
        if org_id in self.orgs and fides_key(self.orgs[org_id]) != key:
            self.issues.append(
                Issue(
                    self.source,
                    path,
                    f"fides_key {key!r} and {fides_key(self.orgs[org_id])!r} "
                    f"both become the organisation id {org_id!r}",
                )
            )
        self.orgs[org_id] = org
        return org_id

    def organization(self, i: int, org: FidesOrganization) -> None:
        self.add_org(
            org.fides_key,
            {
                "name": org.name or org.fides_key,
                "description": org.description,
                "registrations": [Registration(scheme=ORG_KIND, value="organization")],
            },
            f"organization[{i}]",
        )
        self.lossy += _set_fields(org, ORGANIZATION_KEPT, f"organization[{i}]")

    def owner(self, key: str) -> str:
        org_id = self.org_id(key)
        if org_id not in self.orgs and org_id not in self.existing.organizations:
            self.add_org(
                key,
                {"name": key, "registrations": [Registration(scheme=ORG_KIND, value="organization")]},
                f"organization {key}",
            )
        return org_id

    def system(self, i: int, system: System) -> None:
        where = f"system[{i}]"
        attrs = [
            Registration(scheme=ATTR + name, value=str(v))
            for name in SYSTEM_ATTRS
            for v in (lambda x: x if isinstance(x, list) else [x])(getattr(system, name))
        ]
        importer = self.add_org(
            system.fides_key,
            {
                "name": system.name or system.fides_key,
                "description": system.description,
                "legal_name": system.legal_name,
                "address": system.legal_address,
                "registrations": attrs,
            },
            where,
        )
        self.lossy += _set_fields(system, SYSTEM_KEPT, where)
        exporter = self.owner(system.organization_fides_key)
        mechanisms = [
            DeclaredMechanism(code=BASIS_MECHANISMS[b])
            for b in system.legal_basis_for_transfers
            if b in BASIS_MECHANISMS
        ]
        if any(b not in BASIS_MECHANISMS for b in system.legal_basis_for_transfers):
            self.lossy.append(f"{where}.legal_basis_for_transfers (kept as text; only SCCs and BCRs are judged)")
        scope = LocationScope.THIRD_COUNTRY_POSSIBLE if system.does_international_transfers else LocationScope.UNKNOWN
        role = Role.C2C if system.responsibility == ["Controller"] else Role.C2P
        for j, decl in enumerate(system.privacy_declarations):
            path = f"{where}.privacy_declarations[{j}]"
            self.lossy += _set_fields(decl, DECLARATION_KEPT, path)
            note = {
                "name": decl.name,
                "data_subjects": decl.data_subjects,
                "egress": decl.egress,
                "ingress": decl.ingress,
            }
            suffix = flowmap_id(decl.data_use) + (f"~{flowmap_id(decl.name)}" if decl.name else "")
            self.engagement(
                path,
                {
                    "id": f"{exporter}>{importer}:{suffix}",
                    "exporter": exporter,
                    "importer": importer,
                    "role": role,
                    "service": decl.name or system.name or system.fides_key,
                    "purpose": decl.data_use,
                    "categories": decl.data_categories,
                    "location_scope": scope,
                    "mechanisms": mechanisms,
                    "evidence": self.evidence(path, decl.name or decl.data_use, note),
                },
            )

    def flows(self, i: int, system: System, declared: dict[str, list[str]]) -> None:
        importer = self.org_id(system.fides_key)
        for direction, flows in (("egress", system.egress or []), ("ingress", system.ingress or [])):
            for k, flow in enumerate(flows):
                path = f"system[{i}].{direction}[{k}]"
                if flow.type != "system":
                    self.lossy.append(f"{path} (a flow to a {flow.type}, not to another system)")
                    continue
                other = self.org_id(flow.fides_key)
                src, dst = (importer, other) if direction == "egress" else (other, importer)
                categories = flow.data_categories or declared.get(src) or declared.get(dst) or []
                note = {"declared_categories": flow.data_categories is not None}
                self.engagement(
                    path,
                    {
                        "id": f"{src}>{dst}{EGRESS if direction == 'egress' else INGRESS}",
                        "exporter": src,
                        "importer": dst,
                        "role": Role.P2P,
                        "service": f"{direction} {system.fides_key}",
                        "purpose": f"fides {direction}",
                        "categories": categories,
                        "evidence": self.evidence(path, flow.fides_key, note),
                    },
                )

    def engagement(self, path: str, data: dict[str, Any]) -> None:
        try:
            e = Engagement.model_validate(data)
        except ValidationError as exc:
            self.issues += [
                Issue(self.source, f"{path}{format_path(p)}", m) for p, m in pydantic_messages(exc.errors())
            ]
            return
        if e.key in self.engagements:
            self.issues.append(Issue(self.source, path, f"declares engagement {e.key!r} twice"))
        self.engagements[e.key] = e

    def run(self) -> FidesImport:
        t = self.taxonomy
        for i, org in enumerate(t.organization):
            self.organization(i, org)
        systems = {s.fides_key for s in t.system}
        for i, system in enumerate(t.system):
            self.system(i, system)
        declared: dict[str, list[str]] = defaultdict(list)
        for system in t.system:
            cats = declared[self.org_id(system.fides_key)]
            cats += [c for d in system.privacy_declarations for c in d.data_categories if c not in cats]
        for i, system in enumerate(t.system):
            for flow in [*(system.egress or []), *(system.ingress or [])]:
                if (
                    flow.type == "system"
                    and flow.fides_key not in systems
                    and self.org_id(flow.fides_key) not in (self.existing.organizations)
                ):
                    self.issues.append(
                        Issue(self.source, f"system[{i}]", f"flows to unknown system {flow.fides_key!r}")
                    )
            self.flows(i, system, declared)
        for name in ("dataset", "policy", "data_category", "data_subject", "data_use"):
            if getattr(t, name):
                self.lossy.append(
                    f"{name}: {len(getattr(t, name))} resources not imported (flowmap uses the default "
                    "fideslang taxonomy; custom keys are refused)"
                )
        if self.issues:
            raise ValidationFailed(self.issues)
        flow_map = FlowMap(
            documents=[self.doc], organizations=list(self.orgs.values()), engagements=list(self.engagements.values())
        )
        return FidesImport(flow_map, sorted(set(self.lossy)))


def manifest_document(path: Path, today: date) -> Document:
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return Document(
        id=f"fides.{flowmap_id(path.stem)}.{digest[:12]}",
        title=f"fides manifest {path.name}",
        kind=DocumentKind.OTHER,
        language="en",
        retrieved_on=today,
        source_file=path.name,
        sha256=digest,
    )


def manifest_to_map(path: Path, existing: MapTables, today: date) -> FidesImport:
    """The manifest at ``path`` as organisations and engagements to upsert into ``existing``, and what was lost."""
    return _Importer(read_manifest(path), existing, manifest_document(path, today), str(path)).run()


# --- export -----------------------------------------------------------------------------------------------------


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


async def import_manifest(
    store: GraphStore, path: Path, today: date, actor: str | None = None
) -> tuple[int, FidesImport]:
    """Upsert the manifest into the map in one audited transaction (the store's write path); the map's other
    organisations and engagements stay. Returns the new revision and what was imported and lost."""
    imported = manifest_to_map(path, await store.read_tables(), today)
    revision = await store.write_map(imported.flow_map, actor=actor, operation="importFides")
    return revision, imported


async def export_manifest(store: GraphStore) -> tuple[str, dict[str, int], list[str]]:
    taxonomy, lossy = map_to_manifest(await store.read_tables())
    counts = {
        "organizations": len(taxonomy.organization),
        "systems": len(taxonomy.system),
        "privacy declarations": sum(len(s.privacy_declarations) for s in taxonomy.system),
    }
    return manifest_yaml(taxonomy), counts, lossy
