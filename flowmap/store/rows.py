"""Conversion between domain models and the flat rows the tables hold, both ways.

Round-tripping a map through the store must give back the same models; the contract suite checks it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, TypeAdapter

from flowmap.domain.audit import AuditEntry, AuditRecord
from flowmap.domain.categories import DataCategory
from flowmap.domain.countries import Country
from flowmap.domain.models import (
    Certification,
    Citation,
    Collection,
    DeclaredMechanism,
    Document,
    Engagement,
    Evidence,
    LegalReference,
    Organization,
    Registration,
    Retention,
    TransferStatement,
)
from flowmap.store.queries import Row

_ORG_JSON: dict[str, TypeAdapter[Any]] = {
    "registrations": TypeAdapter(list[Registration]),
    "certifications": TypeAdapter(list[Certification]),
    "retention": TypeAdapter(list[Retention]),
    "collects": TypeAdapter(list[Collection]),
    "transfer_statements": TypeAdapter(list[TransferStatement]),
    "evidence": TypeAdapter(list[Evidence]),
}
_EVIDENCE = TypeAdapter(list[Evidence])
_MECHANISMS = TypeAdapter(list[DeclaredMechanism])


def _dump(items: Sequence[BaseModel]) -> str:
    return json.dumps([i.model_dump(mode="json", exclude_defaults=True) for i in items], ensure_ascii=False)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def pipe_join(values: Sequence[str]) -> str:
    """``'|a|b|'``: matchable with CONTAINS '|a|' and cheap to checkpoint."""
    return "|" + "|".join(values) + "|" if values else ""


def pipe_split(value: str | None) -> list[str]:
    return [v for v in (value or "").split("|") if v]


def organization_row(org: Organization) -> Row:
    row: Row = {
        "id": org.id,
        "name": org.name,
        "legal_name": org.legal_name,
        "aliases": list(org.aliases),
        "country": org.country,
        "address": org.address,
        "website": org.website,
        "unnamed": org.unnamed,
        "recipient_class": org.recipient_class,
        "description": org.description,
        "fictional": org.fictional,
    }
    for name in _ORG_JSON:
        row[name] = _dump(getattr(org, name))
    return row


def parent_row(org: Organization) -> Row:
    return {"src": org.id, "dst": org.parent, "id": f"{org.id}>{org.parent}"}


def organization_from_row(row: Row) -> Organization:
    data = {k: v for k, v in row.items() if k not in _ORG_JSON}
    for name, adapter in _ORG_JSON.items():
        data[name] = adapter.validate_json(row[name] or "[]")
    return Organization.model_validate(data)


def engagement_row(eng: Engagement) -> Row:
    return {
        "src": eng.exporter,
        "dst": eng.importer,
        "id": eng.key,
        "role": eng.role.value,
        "service": eng.service,
        "purpose": eng.purpose,
        "categories": pipe_join(eng.categories),
        "countries": pipe_join(eng.countries),
        "location_scope": eng.location_scope.value,
        "regime": eng.regime.value if eng.regime else None,
        "mechanisms": _dump(eng.mechanisms),
        "valid_from": _iso(eng.valid_from),
        "valid_to": _iso(eng.valid_to),
        "tia_ref": eng.tia_ref,
        "fictional": eng.fictional,
        "evidence": _dump(eng.evidence),
    }


def engagement_from_row(row: Row) -> Engagement:
    return Engagement.model_validate(
        {
            "id": row["id"],
            "exporter": row["exporter"],
            "importer": row["importer"],
            "role": row["role"],
            "service": row["service"],
            "purpose": row["purpose"],
            "categories": pipe_split(row["categories"]),
            "countries": pipe_split(row["countries"]),
            "location_scope": row["location_scope"],
            "regime": row["regime"],
            "mechanisms": _MECHANISMS.validate_json(row["mechanisms"] or "[]"),
            "valid_from": row["valid_from"],
            "valid_to": row["valid_to"],
            "tia_ref": row["tia_ref"],
            "fictional": row["fictional"],
            "evidence": _EVIDENCE.validate_json(row["evidence"] or "[]"),
        }
    )


def document_row(doc: Document) -> Row:
    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "kind": doc.kind.value,
        "language": doc.language,
        "effective_date": _iso(doc.effective_date),
        "retrieved_on": _iso(doc.retrieved_on),
        "source_file": doc.source_file,
        "sha256": doc.sha256,
        "fictional": doc.fictional,
    }


def publisher_row(doc: Document) -> Row:
    return {"src": doc.publisher, "dst": doc.id, "id": f"{doc.publisher}>{doc.id}"}


def document_from_row(row: Row, citations: list[Citation]) -> Document:
    return Document.model_validate({**row, "citations": citations})


def citation_rows(doc: Document) -> list[Row]:
    return [
        {
            "src": doc.id,
            "dst": c.ref,
            "id": f"{doc.id}>{c.ref}#{i}",
            "ord": i,
            "section": c.section,
            "quote": c.quote,
        }
        for i, c in enumerate(doc.citations)
    ]


def legal_reference_row(ref: LegalReference) -> Row:
    return {
        "id": ref.id,
        "name": ref.name,
        "kind": ref.kind.value,
        "jurisdiction": ref.jurisdiction,
        "reference": ref.reference,
        "aliases": list(ref.aliases),
    }


def legal_reference_from_row(row: Row) -> LegalReference:
    return LegalReference.model_validate(row)


def country_row(country: Country) -> Row:
    return {"code": country.code, "name": country.name, "alpha3": country.alpha3}


def category_row(cat: DataCategory) -> Row:
    return {
        "key": cat.key,
        "name": cat.name,
        "description": cat.description,
        "parent_key": cat.parent_key,
        "special": cat.special,
        "deprecated": cat.deprecated,
    }


def audit_row(entry: AuditEntry) -> Row:
    r = entry.record
    return {
        "id": entry.id,
        "revision": entry.revision,
        "at": r.at.isoformat(),
        "actor": r.actor,
        "role": r.role,
        "operation": r.operation,
        "target": r.target,
        "before": json.dumps(r.before, ensure_ascii=False, sort_keys=True) if r.before is not None else None,
        "after": json.dumps(r.after, ensure_ascii=False, sort_keys=True) if r.after is not None else None,
    }


def audit_from_row(row: Row) -> AuditEntry:
    record = AuditRecord(
        actor=row["actor"],
        role=row["role"],
        operation=row["operation"],
        target=row["target"],
        before=json.loads(row["before"]) if row["before"] else None,
        after=json.loads(row["after"]) if row["after"] else None,
        at=datetime.fromisoformat(row["at"]),
    )
    return AuditEntry(id=row["id"], revision=int(row["revision"]), record=record)
