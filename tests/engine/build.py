"""Builders for small in-memory maps: a client, an importer, and the engagement between them."""

from __future__ import annotations

from datetime import date
from typing import Any

from flowmap.domain.assess import assess
from flowmap.domain.models import Document, Engagement, FlowMap, Organization
from flowmap.domain.results import Assessment, Rule, Transfer
from flowmap.law import load_knowledge_base

EVIDENCE = [{"document": "doc.test", "quote": "test fixture"}]
DOC = Document.model_validate({"id": "doc.test", "title": "Test document", "kind": "contract", "language": "en"})


def org(org_id: str, country: str | None = None, **extra: Any) -> Organization:
    return Organization.model_validate({"id": org_id, "name": org_id.title(), "country": country,
                                        "evidence": EVIDENCE, **extra})  # fmt: skip


def certified(org_id: str, country: str, framework: str, since: str = "2000-01-01") -> Organization:
    cert = {"framework": framework, "status": "active", "since": since, "evidence": EVIDENCE}
    return org(org_id, country, certifications=[cert])


def engagement(exporter: str, importer: str, **extra: Any) -> Engagement:
    data: dict[str, Any] = {
        "id": f"{exporter}>{importer}",
        "exporter": exporter,
        "importer": importer,
        "role": "C2P",
        "service": "service",
        "purpose": "purpose",
        "categories": ["user.name", "user.contact.email"],
        "evidence": EVIDENCE,
    }
    data.update(extra)
    return Engagement.model_validate(data)


def mech(code: str, **extra: Any) -> dict[str, Any]:
    return {"code": code, **extra}


def run(orgs: list[Organization], engagements: list[Engagement], day: str, **extra: Any) -> Assessment:
    extra.setdefault("documents", [DOC])
    flow_map = FlowMap(organizations=orgs, engagements=engagements, **extra)
    return assess(flow_map, date.fromisoformat(day), load_knowledge_base())


def only_transfer(result: Assessment) -> Transfer:
    assert len(result.transfers) == 1, [t.to_json() for t in result.transfers]
    return result.transfers[0]


def rules(transfer_or_result: Transfer | Assessment) -> set[Rule]:
    return {f.rule for f in transfer_or_result.findings}


def one_hop(
    day: str,
    *,
    client_country: str = "DE",
    importer: Organization | None = None,
    **engagement_fields: Any,
) -> Assessment:
    """Client ``client`` (in ``client_country``) engages ``importer`` (default: a US company)."""
    imp = importer or org("importer", "US")
    fields: dict[str, Any] = {"countries": [imp.country] if imp.country else []}
    fields.update(engagement_fields)
    return run([org("client", client_country), imp], [engagement("client", imp.id, **fields)], day)
