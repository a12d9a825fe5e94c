"""NO_TRANSFER_OUTSIDE facts: statements that personal data does not leave the EU or the EEA.

Three forms, each needing its own evidence in one clause:
- negated "outside": "we do not transfer ... outside the EEA", "niet ... buiten de EU", "ne ... pas ... en
  dehors de l'UE" (value: the area named);
- negated third countries: "no transfers to third countries", "keine Übermittlung in Drittländer" (EEA);
- exclusive location: "stored exclusively in the EU", "uitsluitend ... in Nederland" (an EU member: EU).
A conditional ("unless ...") is not a statement. The exclusive form is weaker evidence: it is dropped
when the same document names a transfer mechanism or a destination outside the area.
"""

from __future__ import annotations

import re

from flowmap.extract.countries import EEA_EFTA, Place, gdpr_area
from flowmap.extract.facts import DraftFact, FactKind
from flowmap.extract.text import NEGATION, Doc, Segment, clause_end, clause_start, clipped_span

_EU = (r"(?:the\s+|de\s+|der\s+|l'|la\s+)?(?:EU|E\.U\.|UE|European Union|Europese Unie|Europ[äa]ischen? Union"
       r"|Union europ[ée]enne)")  # fmt: skip
_EEA = (r"(?:the\s+|de\s+|der\s+|des\s+|l'|la\s+)?(?:EEA|EER|EWR|EEE|European Economic Area|Europese Economische Ruimte"
        r"|Europ[äa]ischen? Wirtschaftsraum\w*|Espace [ée]conomique europ[ée]en)")  # fmt: skip
_AREA = rf"(?P<area>{_EEA}(?:\s*/\s*{_EU})?|{_EU}(?:\s*(?:/|or|of|oder|ou)\s*{_EEA})?)"
_OUTSIDE = re.compile(
    rf"(?:outside(?:\s+of)?|beyond|buiten|au[ßs]erhalb|(?:en\s+)?dehors\s+de|hors\s+de|hors|leaves?|leaving|"
    rf"verlaten|verlaat|verlassen|verl[äa]sst|quittent|quitte)\s+{_AREA}(?![\w-])",
    re.I,
)
_OUTSIDE_BEFORE_PLACE = re.compile(
    r"(?:outside(?:\s+of)?|beyond|buiten|au[ßs]erhalb(?:\s+von)?|(?:en\s+)?dehors\s+d[eu]|hors\s+d[eu]|leaves?|"
    r"verlaten|"
    r"verlaat|verlassen|verl[äa]sst|quittent|quitte)\s+(?:the\s+|de\s+|der\s+|l'|la\s+|le\s+)?$",
    re.I,
)
# Any word that can put a place outside: segments without one need no closer look.
_OUTSIDE_WORD = re.compile(
    r"\b(?:outside|beyond|buiten|au[ßs]erhalb|dehors|hors|leaves?|leaving|verlaten|verlaat|verlassen|verl[äa]sst|"
    r"quittent|quitte)\b",
    re.I,
)
_NEGATED_LATER = re.compile(r"^\s*(?:\w+\s+){0,3}?(?:nicht|niet|nie|nooit)\b", re.I)  # "verlassen Deutschland nicht"
_THIRD = re.compile(r"third countr(?:y|ies)|derde land(?:en)?|Drittl[äa]nder\w*|Drittstaat\w*|pays tiers", re.I)
_DE_NOT_TAKING_PLACE = re.compile(r"(?:findet|erfolgt)\b[^.;]{0,40}\bnicht\s+statt|(?:findet|erfolgt)\s+keine\b", re.I)
_CONDITIONAL = re.compile(
    r"\b(?:unless|except|save where|tenzij|behalve|es sei denn|außer|sauf|à moins|sofern nicht)\b", re.I
)
# An exception stated before the claim: "apart from the cases above, data is not processed outside the EEA".
_EXCEPTION_BEFORE = re.compile(
    r"\b(?:apart from|other than|except(?: for| in)?|buiten de (?:hierboven |eerder )?genoemde|behalve|abgesehen von|"
    r"au[ßs]er in|mit Ausnahme|en dehors des cas|sauf (?:dans )?les cas|hormis)\b",
    re.I,
)
_EXCLUSIVE = re.compile(r"\b(?:only|exclusively|solely|uitsluitend|alleen|enkel|ausschlie[ßs]lich|nur|exclusivement"
                        r"|uniquement|seulement)\b", re.I)  # fmt: skip
_LOCATED = re.compile(r"\b(?:stor\w*|host\w*|process\w*|kept|held|located|opgeslagen|bewaard|gehost|verwerk\w*|"
                      r"gespeichert|gehostet|verarbeite\w*|Verarbeitung|Speicherung|h[ée]berg\w*|stock[ée]\w*|"
                      r"trait[ée]\w*|traitement|conserv[ée]\w*)", re.I)  # fmt: skip
_NEVER_LEAVE = re.compile(r"never leaves?|do(?:es)? not leave|verlaten (?:nooit|niet)|"
                          r"verlassen (?:nie|nicht|niemals|zu keinem Zeitpunkt)|ne quittent jamais|ne quitte jamais|"
                          r"(?:remains?|stays?) (?:\w+ ){0,2}(?:with)?in|blij(?:ven|ft) (?:\w+ ){0,2}binnen|"
                          r"bleib(?:en|t) (?:\w+ ){0,2}(?:in|innerhalb)|"
                          r"rest(?:ent|e) (?:\w+ ){0,2}(?:dans|au sein|en)\b",
                          re.I)  # fmt: skip
_LEFT_AREA = re.compile(rf"\s+(?:die\s+|the\s+)?{_AREA}(?![\w-])", re.I)  # "verlassen zu keinem Zeitpunkt | die EU"
_MEMBER_STATE = (
    r"(?:(?:a|one|an?y|een|einem|un)\s+)?(?:member state|lidstaat|Mitgliedstaat|[ée]tat membre)\s+"
    r"(?:of|van|der|des|de)\s+"
)  # "in einem Mitgliedstaat der Europäischen Union"
_IN_AREA = re.compile(rf"\b(?:in|within|binnen|innerhalb|dans|au sein de)\s+(?:{_MEMBER_STATE})?{_AREA}(?![\w-])", re.I)


def _area(match_text: str) -> str:
    return (
        "EEA" if re.search(r"EEA|EER|EWR|EEE|Economic|Economische|Wirtschaftsraum|[ée]conomique", match_text) else "EU"
    )


def _fact(doc: Doc, seg: Segment, start: int, end: int, value: str, **detail: str) -> DraftFact:
    """Evidence from up to three words before the negation (the subject and verb) to the area named."""
    lo = clause_start(doc.folded, seg, start)
    lead = [m.start() for m in re.finditer(r"\S+", doc.folded[lo:start])]
    lo = lo + lead[-3] if len(lead) > 3 else lo
    return DraftFact(FactKind.NO_TRANSFER_OUTSIDE, value, clipped_span(doc.text, lo, end, start, end), dict(detail))


def _negated_outside(doc: Doc, seg: Segment, places: list[Place]) -> list[DraftFact]:
    out = []
    f = doc.folded
    for p in places:  # "niet buiten Nederland opgeslagen": a member state, so the EU (or the EEA)
        if not (seg.start <= p.start < seg.end) or p.code not in gdpr_area():
            continue
        before = _OUTSIDE_BEFORE_PLACE.search(f, max(seg.start, p.start - 40), p.start)
        if not before:
            continue
        lo, hi = clause_start(f, seg, before.start()), clause_end(f, seg, p.end)
        neg = [n for n in NEGATION.finditer(f, lo, before.start()) if len(f[n.end() : before.start()].split()) <= 12]
        after = _DE_NOT_TAKING_PLACE.search(f, p.end, hi) or _NEGATED_LATER.match(f[p.end : hi])
        if (
            (neg or after)
            and not _CONDITIONAL.search(f, p.end, hi)
            and not _EXCEPTION_BEFORE.search(f, seg.start, p.start)
        ):
            value = "EEA" if p.code in EEA_EFTA else "EU"
            start = neg[0].start() if neg else before.start()
            out.append(_fact(doc, seg, start, p.end, value, form="negated_outside", countries=p.code))
    for m in _OUTSIDE.finditer(f, seg.start, seg.end):
        lo, hi = clause_start(f, seg, m.start()), clause_end(f, seg, m.end())
        neg = [n for n in NEGATION.finditer(f, lo, m.start()) if len(f[n.end() : m.start()].split()) <= 15]
        if not neg and not _DE_NOT_TAKING_PLACE.search(f, m.end(), hi):
            continue
        if _CONDITIONAL.search(f, m.end(), hi) or _EXCEPTION_BEFORE.search(f, seg.start, m.start()):
            continue
        start = neg[0].start() if neg else m.start()
        out.append(_fact(doc, seg, start, m.end(), _area(m.group("area")), form="negated_outside"))
    for m in _THIRD.finditer(f, seg.start, seg.end):
        lo, hi = clause_start(f, seg, m.start()), clause_end(f, seg, m.end())
        neg = [n for n in NEGATION.finditer(f, lo, m.start()) if len(f[n.end() : m.start()].split()) <= 12]
        after = _DE_NOT_TAKING_PLACE.search(f, m.end(), hi)
        if (neg or after) and not _CONDITIONAL.search(f, m.end(), hi):
            end = after.end() if after else m.end()
            out.append(_fact(doc, seg, neg[0].start() if neg else m.start(), end, "EEA", form="no_third_country"))
    return out


def _exclusive(doc: Doc, seg: Segment, places: list[Place]) -> list[DraftFact]:
    """'only in the EU', 'uitsluitend ... in Nederland', 'ne quittent jamais le territoire': area or member."""
    f = doc.folded
    out: list[DraftFact] = []
    excl = _EXCLUSIVE.search(f, seg.start, seg.end) or _NEVER_LEAVE.search(f, seg.start, seg.end)
    if not excl or (not _LOCATED.search(f, seg.start, seg.end) and not _NEVER_LEAVE.search(f, seg.start, seg.end)):
        return out
    if _CONDITIONAL.search(f, seg.start, seg.end):
        return out
    area = _IN_AREA.search(f, excl.start(), seg.end) or _LEFT_AREA.match(f, excl.end(), seg.end)
    if area:
        return [_fact(doc, seg, excl.start(), area.end(), _area(area.group("area")), form="exclusive")]
    inside = [p for p in places if seg.start <= p.start and p.end <= seg.end and p.start > excl.start()]
    if inside and all(p.code in gdpr_area() for p in inside):
        value = "EEA" if any(p.code in EEA_EFTA for p in inside) else "EU"
        last = inside[-1]
        codes = ",".join(dict.fromkeys(p.code for p in inside))
        out.append(_fact(doc, seg, excl.start(), last.end, value, form="exclusive", countries=codes))
    return out


def no_transfer_facts(doc: Doc, places: list[Place], mechanisms: list[DraftFact]) -> list[DraftFact]:
    """One fact per area (EU, EEA), preferring the explicit negated forms."""
    explicit, exclusive = [], []
    by_segment: dict[int, list[Place]] = {}
    for p in places:
        by_segment.setdefault(doc.index_at(p.start), []).append(p)
    candidates = {*doc.bucket(_OUTSIDE), *doc.bucket(_THIRD), *doc.bucket(_OUTSIDE_WORD)}
    for i in sorted(candidates):
        explicit += _negated_outside(doc, doc.segments[i], by_segment.get(i, []))
    for i in sorted({*doc.bucket(_EXCLUSIVE), *doc.bucket(_NEVER_LEAVE)}):
        exclusive += _exclusive(doc, doc.segments[i], by_segment.get(i, []))
    outside_area = any(p.code not in gdpr_area() and p.code not in ("EU", "EEA") for p in places)
    if mechanisms or outside_area:
        exclusive = []
    facts: dict[str, DraftFact] = {}
    for fact in explicit + exclusive:
        facts.setdefault(fact.value, fact)
    return list(facts.values())
