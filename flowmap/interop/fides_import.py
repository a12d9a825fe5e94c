"""A fideslang manifest as organisations and engagements to add to the map (see flowmap.interop.fides)."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from fideslang.models import Organization as FidesOrganization
from fideslang.models import System, Taxonomy
from pydantic import ValidationError

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
from flowmap.interop.fides_common import (
    ATTR,
    BASIS_MECHANISMS,
    DECLARATION_KEPT,
    EGRESS,
    INGRESS,
    KEY,
    NOTE,
    ORG_KIND,
    ORGANIZATION_KEPT,
    SYSTEM_ATTRS,
    SYSTEM_KEPT,
    FidesImport,
    fides_key,
    flowmap_id,
    read_manifest,
)


def _set_fields(model: Any, kept: set[str], where: str) -> list[str]:
    """The fields a manifest set, to something other than their default, that flowmap does not keep."""
    out = []
    for name in sorted(model.model_fields_set - kept):
        default = type(model).model_fields[name].get_default(call_default_factory=True)
        value = getattr(model, name)
        if value != default and value not in (None, [], {}):
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
        text = " ".join(words[:20])[:400] or section[:400]
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

    def guarded(self, path: str, step: Callable[[], None]) -> None:
        """A value fideslang accepts but the map refuses (a control character, 2000+ characters) is an issue
        naming the resource, not a crash."""
        try:
            step()
        except ValidationError as exc:
            self.issues += [
                Issue(self.source, f"{path}{format_path(p)}", m) for p, m in pydantic_messages(exc.errors())
            ]

    def run(self) -> FidesImport:
        t = self.taxonomy
        for i, org in enumerate(t.organization):
            self.guarded(f"organization[{i}]", partial(self.organization, i, org))
        systems = {s.fides_key for s in t.system}
        for i, system in enumerate(t.system):
            self.guarded(f"system[{i}]", partial(self.system, i, system))
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
