"""Evidence refresh: recording a vendor's DPF listing as checked, and finding the evidence that has grown old.

Why: a DPF listing can lapse any day and a sub-processor list is rewritten without notice, so a map is only as
good as the date its facts were last checked. `flowmap dpf-status` records a check (status, frameworks, date and
the list entry's URL, kept as a document the certification cites) through the same audited edit as the
``recordDpfStatus`` mutation; `flowmap stale-evidence` lists what was last checked more than N days ago.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import Certification, CertificationStatus, Document, DocumentKind, Evidence, Organization
from flowmap.domain.tables import MapTables
from flowmap.errors import Issue, NotFound, ValidationFailed, shown
from flowmap.service.editing import Actor, MapEditor

# The lists an organisation self-certifies to under the Data Privacy Framework (what `dpf-status` records).
DPF_FRAMEWORKS = (MechanismCode.DPF_EU_US, MechanismCode.DPF_UK_EXT, MechanismCode.DPF_SWISS_US)


def parse_frameworks(text: str, argument: str = "--frameworks") -> list[MechanismCode]:
    """Comma-separated DPF framework codes; an unknown one is named with the allowed values."""
    codes = [part.strip() for part in text.split(",") if part.strip()]
    allowed = ", ".join(DPF_FRAMEWORKS)
    if not codes:
        raise ValidationFailed([Issue(argument, "", f"give at least one framework ({allowed})")])
    bad = [c for c in codes if c not in {f.value for f in DPF_FRAMEWORKS}]
    if bad:
        raise ValidationFailed([Issue(argument, "", f"{shown(c)} is not a DPF framework ({allowed})") for c in bad])
    return list(dict.fromkeys(MechanismCode(c) for c in codes))


def check_source_url(url: str, argument: str = "--source") -> str:
    """An http(s) URL with a host: the list entry someone can open again to re-check."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or any(ch.isspace() for ch in url.strip()):
        raise ValidationFailed([Issue(argument, "", f"{shown(url)} is not an http(s) URL")])
    return url.strip()


def listing_document(org: Organization, url: str, checked_on: date) -> Document:
    """The DPF list entry as a document, one per URL: checking it again moves its retrieval date."""
    return Document(
        id="dpf-listing." + hashlib.sha256(url.encode()).hexdigest()[:16],
        title=f"Data Privacy Framework list entry: {org.name}"[:2000],
        url=url,
        kind=DocumentKind.DPF_LISTING,
        language="en",
        retrieved_on=checked_on,
    )


async def record_dpf_status(
    editor: MapEditor,
    actor: Actor,
    org_id: str,
    status: CertificationStatus,
    frameworks: list[MechanismCode],
    checked_on: date,
    source: str,
) -> Organization:
    """Record the check for each framework (one audited change each, as the mutation does)."""
    snapshot = await editor.snapshots.current()
    org = snapshot.organizations.get(org_id)
    if org is None:
        raise NotFound("ORG", f"ORG: no organisation {shown(org_id)} in the map")
    doc = listing_document(org, source, checked_on)
    quote = "Active" if status is CertificationStatus.ACTIVE else "Inactive"
    for framework in frameworks:
        previous = next((c for c in org.certifications if c.framework is framework), None)
        certification = Certification(
            framework=framework,
            status=status,
            since=previous.since if previous and previous.status is status else None,
            until=None if status is CertificationStatus.ACTIVE else (previous.until if previous else None),
            checked_on=checked_on,
            evidence=[Evidence(document=doc.id, section=framework.value, quote=quote, note="flowmap dpf-status")],
        )
        org = await editor.record_certification(actor, org_id, certification, [doc])
    return org


@dataclass(frozen=True)
class StaleEvidence:
    vendor: str
    kind: str  # "dpf" or "document"
    subject: str  # the framework, or the document id
    checked_on: date | None  # None: never checked, or undated
    age_days: int | None
    source: str | None  # where to check again

    def to_json(self) -> dict[str, object]:
        return {
            "vendor": self.vendor,
            "kind": self.kind,
            "subject": self.subject,
            "checkedOn": self.checked_on.isoformat() if self.checked_on else None,
            "ageDays": self.age_days,
            "source": self.source,
        }


def stale_evidence(tables: MapTables, as_of: date, days: int) -> list[StaleEvidence]:
    """Vendors' (importers') DPF checks and documents dated more than ``days`` before ``as_of``, or never dated.

    A document's date is when it was retrieved, else its effective date. Oldest first; undated ones lead.
    """
    vendors = sorted({e.importer for e in tables.edges})
    cited: dict[str, set[str]] = {v: set() for v in vendors}
    for e in tables.edges:
        cited[e.importer].update(e.documents)
    rows: list[StaleEvidence] = []

    def add(vendor: str, kind: str, subject: str, checked: date | None, source: str | None) -> None:
        if checked is not None and checked > as_of:
            return
        age = (as_of - checked).days if checked else None
        if age is None or age > days:
            rows.append(StaleEvidence(vendor, kind, subject, checked, age, source))

    docs = tables.documents
    for vendor in vendors:
        org = tables.organizations.get(vendor)
        if org is None:
            continue
        for c in org.certifications:
            if c.framework in DPF_FRAMEWORKS:
                url = next((docs[ev.document].url for ev in c.evidence if ev.document in docs), None)
                add(vendor, "dpf", c.framework.value, c.checked_on, url)
        cited[vendor].update(ev.document for ev in org.evidence)
        for doc_id in sorted(cited[vendor]):
            doc = docs.get(doc_id)
            if doc is not None and doc.kind is not DocumentKind.DPF_LISTING:
                add(vendor, "document", doc_id, doc.retrieved_on or doc.effective_date, doc.url)
    return sorted(rows, key=lambda r: (r.age_days is not None, -(r.age_days or 0), r.vendor, r.kind, r.subject))
