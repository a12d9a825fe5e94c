"""The pre-onboarding check: the candidate judged on an overlay of the real map, and what it adds to the exposure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import ValidationError

from flowmap import NOT_LEGAL_ADVICE
from flowmap.domain.assess import assess
from flowmap.domain.law import KnowledgeBase
from flowmap.domain.models import FlowMap
from flowmap.domain.results import Finding, Transfer
from flowmap.domain.tables import MapTables
from flowmap.errors import Issue, NotFound, ValidationFailed, format_path, pydantic_messages
from flowmap.extract.facts import Extraction
from flowmap.vendor.candidate import Candidate, build_candidate
from flowmap.vendor.questionnaire import Question, questionnaire


@dataclass(frozen=True)
class VendorReport:
    as_of: date
    candidate: Candidate
    extractions: tuple[Extraction, ...]
    transfers: tuple[Transfer, ...]  # the client's transfers through the candidate
    findings: tuple[Finding, ...]  # on the candidate's transfers, organisations and documents
    new_destinations: tuple[str | None, ...]  # destinations the client did not reach before (None: unnamed)
    questions: tuple[Question, ...]
    disclaimer: str = NOT_LEGAL_ADVICE


def check_vendor(
    flow_map: MapTables | FlowMap,
    extractions: list[Extraction],
    kb: KnowledgeBase,
    day: date,
    *,
    client_id: str | None = None,
    client_country: str = "BE",
    max_depth: int = 8,
    source: str = "documents",
) -> VendorReport:
    """``flow_map`` is read, never changed; the candidate only exists in the overlay.

    Facts the map's rules refuse raise ValidationFailed, its issues filed under ``source`` (what the caller gave).
    """
    tables = flow_map if isinstance(flow_map, MapTables) else MapTables.from_map(flow_map)
    client = None
    if client_id is not None:
        client = tables.organizations.get(client_id)
        if client is None:
            raise NotFound("client", f"--client {client_id!r} is not an organisation in the map")
    try:
        candidate = build_candidate(extractions, client, client_country, kb, day)
    except ValidationError as exc:  # a value the map's rules refuse (a control character in a table row's name...)
        raise ValidationFailed(
            [
                Issue(source, "", f"the candidate {exc.title} cannot be built: {format_path(p)}: {m}")
                for p, m in pydantic_messages(exc.errors())
            ]
        ) from None
    through = {e.key for e in candidate.engagements}
    result = assess(candidate.overlay(tables), day, kb, clients=[candidate.client.id], max_depth=max_depth)
    mine = [t for t in result.transfers if any(h.engagement in through for h in t.path)]
    before = set()
    if client is not None:
        before = {t.destination for t in assess(tables, day, kb, clients=[client.id], max_depth=max_depth).transfers}
    subjects = candidate.subjects
    findings = [f for f in result.findings if f.subject in subjects]
    new = sorted({t.destination for t in mine} - before, key=lambda d: (d is None, d or ""))
    return VendorReport(
        as_of=day,
        candidate=candidate,
        extractions=tuple(extractions),
        transfers=tuple(mine),
        findings=tuple(findings),
        new_destinations=tuple(new),
        questions=tuple(questionnaire(candidate, mine, findings, kb)),
    )
