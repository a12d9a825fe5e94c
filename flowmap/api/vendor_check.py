"""The vendorCheck resolver's work: inputs to extractions, the check off the event loop, the overlay for the types."""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Callable
from typing import Any

from flowmap.api.context import Context
from flowmap.api.inputs import to_text
from flowmap.api.types.law import today
from flowmap.api.types.vendor import DraftFactInput, VendorCheck, VendorCheckInput, VendorDocumentInput
from flowmap.domain import models
from flowmap.domain.categories import check_category_key
from flowmap.domain.countries import check_country_code
from flowmap.errors import Issue, NotFound, ValidationFailed
from flowmap.extract import extract
from flowmap.extract.facts import DraftFact, Extraction, FactKind, Span
from flowmap.intake import IntakeDocument, read_bytes
from flowmap.vendor.check import check_vendor
from flowmap.vendor.tables import table_extraction


def _checked(check: Callable[[str], str], value: str, field: str) -> None:
    try:
        check(value)
    except ValueError as exc:
        raise ValidationFailed([Issue(field, "", str(exc))]) from None


# What each kind's value and detail become in the candidate, so a fact the map would refuse is refused by its field.
_VALUE_RULES: dict[FactKind, Callable[[str], str]] = {FactKind.CATEGORY: check_category_key}
_DETAIL_RULES: dict[tuple[FactKind, str], Callable[[str], str]] = {
    (FactKind.ORGANIZATION, "country"): check_country_code,
    (FactKind.RECIPIENT, "country"): lambda v: ",".join(check_country_code(c) for c in v.split(",") if c),
    (FactKind.RETENTION, "period"): models.check_duration,
}


def _document(i: int, doc: VendorDocumentInput) -> Extraction:
    field = f"input.documents[{i}]"
    to_text(doc.name, f"{field}.name")
    if (doc.text is None) == (doc.base64 is None):
        raise ValidationFailed([Issue(field, "", "give either text or base64")])
    if doc.text is not None:
        data = doc.text.encode("utf-8")
    else:
        try:
            data = base64.b64decode(doc.base64 or "", validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed([Issue(f"{field}.base64", "", "is not valid base64")]) from None
    item = read_bytes(doc.name, data)
    if isinstance(item, IntakeDocument):
        return extract(item.text, source=item.name, language=item.language)
    return table_extraction(item)


def _facts(facts: list[DraftFactInput]) -> Extraction:
    """Structured facts: their quotes, one per line, become the text the spans index."""
    drafts, offset, lines = [], 0, []
    for i, f in enumerate(facts):
        detail: Any = f.detail or {}
        if not isinstance(detail, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in detail.items()
        ):
            raise ValidationFailed([Issue(f"input.facts[{i}].detail", "", "must be an object of strings")])
        quote = f.quote.strip()
        if not quote:
            raise ValidationFailed([Issue(f"input.facts[{i}].quote", "", "a fact needs its evidence quote")])
        to_text(quote, f"input.facts[{i}].quote")
        to_text(f.value, f"input.facts[{i}].value")
        if f.kind in _VALUE_RULES:
            _checked(_VALUE_RULES[f.kind], f.value, f"input.facts[{i}].value")
        for key, text in detail.items():
            to_text(text, f"input.facts[{i}].detail.{key}")
            if (f.kind, key) in _DETAIL_RULES:
                _checked(_DETAIL_RULES[f.kind, key], text, f"input.facts[{i}].detail.{key}")
        drafts.append(DraftFact(f.kind, f.value, Span(offset, offset + len(quote), quote), dict(detail)))
        lines.append(quote)
        offset += len(quote) + 1
    return Extraction(source="structured facts", language="und", text="\n".join(lines), facts=tuple(drafts))


async def run_vendor_check(context: Context, data: VendorCheckInput) -> VendorCheck:
    if not data.documents and not data.facts:
        raise ValidationFailed([Issue("input", "documents", "give at least one document or fact")])
    try:
        check_country_code(data.client_country)
    except ValueError as exc:
        raise ValidationFailed([Issue("input", "clientCountry", str(exc))]) from None
    snapshot = await context.snapshot()
    client = str(data.client_id) if data.client_id is not None else None
    if client is not None and client not in snapshot.organizations:
        raise NotFound("input.clientId", f"input.clientId: no organisation {client[:200]!r} in the map")
    extractions = [_document(i, d) for i, d in enumerate(data.documents)]
    if data.facts:
        extractions.append(_facts(data.facts))
    report = await asyncio.to_thread(
        check_vendor,
        snapshot.tables,
        extractions,
        context.kb,
        today(data.as_of),
        client_id=client,
        client_country=data.client_country,
        max_depth=context.settings.max_depth,
        source="input",
    )
    candidate = report.candidate
    context.overlay(candidate.organizations, candidate.engagements)
    return VendorCheck.of(report)
