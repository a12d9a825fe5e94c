"""RETENTION facts: how long data is kept, as a RetentionBasis, with an ISO 8601 period when one is stated.

A duration only counts next to a retention word (keep, bewaren, speichern, conserver, delete ...): "within
30 days of your request" or "at least 14 days before" are not retention. List items under a heading such
as "retained for the following periods:" inherit its retention word. One sentence gives one basis, a
stated period first: "seven years, as the law requires" is fixed, not statutory.
"""

from __future__ import annotations

import re

from flowmap.domain.models import RetentionBasis
from flowmap.extract.facts import DraftFact, FactKind
from flowmap.extract.text import Doc, Segment, clipped_span, negated_before

_CUE = re.compile(
    r"\b(?:retain\w*|retention|keep|keeps|kept|store[sd]?|storing|held|preserved?|delete[sd]?|deletion|erased?|"
    r"archived?|destroy\w*|destruction|vernicht\w*|d[ée]trui\w*|anonymi[sz]\w*|geanonimiseerd|anonymisiert|"
    r"anonymis[ée]\w*|bewaar\w*|bewaren|bewaard|opgeslagen|verwijder\w*|gewist|vernietig\w*|bijhouden|speicher\w*|"
    r"gespeichert|aufbewahr\w*|bewahren|gel[öo]scht|l[öo]sch\w*|Speicherdauer|conserv\w*|supprim\w*|effac\w*)\b",
    re.I,
)
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-four": 24, "thirty": 30, "sixty": 60,
    "ninety": 90,
    "een": 1, "één": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15, "zestien": 16,
    "zeventien": 17, "achttien": 18, "negentien": 19, "twintig": 20, "dertig": 30, "zestig": 60, "negentig": 90,
    "ein": 1, "eine": 1, "einem": 1, "einen": 1, "zwei": 2, "drei": 3, "fünf": 5, "sechs": 6, "sieben": 7,
    "neun": 9, "zehn": 10, "zwölf": 12, "dreizehn": 13, "vierzehn": 14, "fünfzehn": 15, "sechzehn": 16,
    "siebzehn": 17, "achtzehn": 18, "neunzehn": 19, "zwanzig": 20, "dreißig": 30, "sechzig": 60, "neunzig": 90,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "dix-sept": 17,
    "dix-huit": 18, "dix-neuf": 19, "vingt": 20, "trente": 30, "soixante": 60, "quatre-vingt-dix": 90,
}  # fmt: skip
_UNITS = {
    "D": r"days?|dagen|dag|Tagen?|Tage|jours?",
    "W": r"weeks?|weken|week|Wochen?|semaines?",
    "M": r"months?|maanden|maand|Monaten?|Monate|mois",
    "Y": r"years?|jaren|jaar|Jahren?|Jahre|ans?|ann[ée]es?",
}
_NUMBER = "|".join(sorted((re.escape(w) for w in _NUMBER_WORDS), key=len, reverse=True))
_DURATION = re.compile(
    rf"(?<![\w.,/-])(?P<n>\d{{1,3}}|"
    rf"{_NUMBER})(?:\s*\(\d+\))?\s+(?P<unit>{'|'.join(f'(?P<{k}>{v})' for k, v in _UNITS.items())})(?![\w])",
    re.I,
)
_NOT_RETENTION_BEFORE = re.compile(
    r"(?:age of|aged|under|older than|younger than|jonger dan|ouder dan|at least|minimaal|mindestens|au moins|"
    r"preceding|afgelopen|letzten)\s*$",
    re.I,
)
# "within 30 days" is a deadline to answer unless it is a deadline to delete.
_WITHIN_BEFORE = re.compile(r"(?:within|binnen|innerhalb(?: von)?|dans un d[ée]lai de)\s*(?:less than\s*)?$", re.I)
_DELETE = re.compile(r"\b(?:delete\w*|erase\w*|destroy\w*|verwijder\w*|gewist|wissen|vernietig\w*|l[öo]sch\w*|"
                     r"gel[öo]scht|supprim\w*|effac\w*|d[ée]trui\w*)", re.I)  # fmt: skip
_NOT_RETENTION_AFTER = re.compile(r"\s*(?:old|oud|alt|before|voordat|vor dem|avant)\b", re.I)
_INDEFINITE = re.compile(
    r"indefinitely|indefinite period|without (?:a )?time limit|permanently|onbepaalde (?:tijd|duur)|onbeperkt|"
    r"voor altijd|unbefristet|auf unbestimmte Zeit|zeitlich unbegrenzt|dauerhaft|ind[ée]finiment|"
    r"dur[ée]e ind[ée]termin[ée]e|sans limit(?:e|ation) de dur[ée]e",
    re.I,
)
_CONTRACT = re.compile(
    r"(?:duration|term|length) of (?:the |your |our )?(?:\w+ )?(?:contract|agreement|contractual relationship)|"
    r"duurtijd van (?:de|deze) "
    r"overeenkomst|looptijd van (?:de|deze) overeenkomst|Vertragslaufzeit|Dauer des Vertrag\w*|"
    r"dur[ée]e (?:du contrat|de la relation contractuelle)",
    re.I,
)
_STATUTORY = re.compile(
    r"(?:statutory|legal) retention (?:periods?|obligations?|requirements?)|retention periods? (?:required|prescribed)"
    r" by law|wettelijke bewaar(?:termijn|plicht)\w*|fiscale bewaarplicht|gesetzliche[n]? Aufbewahrungs\w*|"
    r"dur[ée]es? l[ée]gales? de conservation|obligations? l[ée]gales? de conservation|(?:period|duration|time) "
    r"(?:required|prescribed) by (?:\w+ )?law|limitation periods?|verjaringstermijn\w*|Verj[äa]hrungsfrist\w*|"
    r"(?:dur[ée]e|d[ée]lai)s? de prescription|prescription l[ée]gale",
    re.I,
)
_AS_LONG_AS_NECESSARY = re.compile(
    r"as long as (?:is )?(?:reasonably |strictly )?(?:necessary|needed|required)|(?:no )?longer than (?:is )?"
    r"(?:strictly )?(?:necessary|needed)|langer dan (?:strikt )?(?:noodzakelijk|nodig)|zolang (?:als )?(?:dat )?"
    r"(?:noodzakelijk|nodig)|(?:so lange?,? (?:wie|als)|solange) [^.;]{0,60}?(?:erforderlich|notwendig|n[öo]tig)|"
    r"nicht (?:mehr|länger) (?:als )?(?:erforderlich|notwendig|n[öo]tig)|l[äa]nger als (?:erforderlich|notwendig|"
    r"n[öo]tig)|"
    r"aussi longtemps que (?:n[ée]cessaire|requis)|(?:pendant )?la dur[ée]e (?:strictement )?n[ée]cessaire|"
    r"au-del[àa] de la dur[ée]e n[ée]cessaire",
    re.I,
)
_SHORT = re.compile(r"(?:for )?a short (?:period|time)|korte (?:periode|tijd)|kurze[n]? (?:Zeit|Zeitraum)|"
                    r"courte dur[ée]e|p[ée]riode courte", re.I)  # fmt: skip
_LIST_ITEM = re.compile(r"^\s*(?:[-•*]|\d+[.)])?\s*[^.:]{0,80}:\s*")


def _iso(n: int, unit: str) -> str:
    return f"P{n}{unit}"


def _durations(doc: Doc, i: int, cue_inherited: bool) -> list[DraftFact]:
    f, seg, facts = doc.folded, doc.segments[i], []
    cues = [m.start() for m in doc.bucket(_CUE).get(i, [])]
    for m in doc.bucket(_DURATION).get(i, []):
        if m.end() > seg.end:
            continue
        if _NOT_RETENTION_BEFORE.search(f, max(seg.start, m.start() - 25), m.start()):
            continue
        if _WITHIN_BEFORE.search(f, max(seg.start, m.start() - 30), m.start()) and not _DELETE.search(
            f, max(seg.start, m.start() - 80), min(seg.end, m.end() + 40)
        ):
            continue
        if _NOT_RETENTION_AFTER.match(f, m.end(), seg.end):
            continue
        near = [c for c in cues if abs(c - m.start()) <= 120]
        if not near and not cue_inherited:
            continue
        raw = m.group("n").lower()
        n = int(raw) if raw.isdigit() else _NUMBER_WORDS.get(raw, 0)
        unit = next(k for k in _UNITS if m.group(k))
        if n <= 0:
            continue
        start = min([m.start(), *near]) if near else seg.start  # a list item: its label says what is kept
        end = max([m.end(), *(c for c in near if c > m.end())]) if near else m.end()
        if near and max(near) > m.end():  # "14 Monaten ... gelöscht": take the cue word in
            end = max(end, _CUE.search(f, max(near)).end())  # type: ignore[union-attr]
        span = clipped_span(doc.text, start, end, m.start(), m.end())
        facts.append(DraftFact(FactKind.RETENTION, RetentionBasis.FIXED.value, span, {"period": _iso(n, unit)}))
    return facts


def _basis(doc: Doc, seg: Segment) -> DraftFact | None:
    f = doc.folded
    cue = _CUE.search(f, seg.start, seg.end)
    if not cue:
        return None
    for pattern, basis in (
        (_INDEFINITE, RetentionBasis.INDEFINITE),
        (_CONTRACT, RetentionBasis.CONTRACT_PLUS_STATUTORY),
        (_AS_LONG_AS_NECESSARY, RetentionBasis.AS_LONG_AS_NECESSARY),
        (_STATUTORY, RetentionBasis.STATUTORY),
        (_SHORT, RetentionBasis.SHORT_UNSPECIFIED),
    ):
        m = pattern.search(f, seg.start, seg.end)
        if not m:
            continue
        if basis is RetentionBasis.CONTRACT_PLUS_STATUTORY and not _STATUTORY.search(f, seg.start, seg.end):
            continue
        if basis is RetentionBasis.INDEFINITE and negated_before(f, seg, m.start(), words=8):
            continue
        if basis is RetentionBasis.CONTRACT_PLUS_STATUTORY:
            statutory = _STATUTORY.search(f, seg.start, seg.end)
            end = max(m.end(), statutory.end()) if statutory else m.end()
            span = clipped_span(doc.text, min(cue.start(), m.start()), end, m.start(), m.end())
        else:
            start, end = min(cue.start(), m.start()), max(cue.end(), m.end())
            span = clipped_span(doc.text, start, end, m.start(), m.end())
        return DraftFact(FactKind.RETENTION, basis.value, span)
    return None


def retention_facts(doc: Doc) -> list[DraftFact]:
    """Every retention statement: each stated period, otherwise one basis per sentence (repeats dropped)."""
    facts: list[DraftFact] = []
    inherited_until = -1  # a heading ending in ':' with a retention word lends it to the list below
    cues, durations = doc.bucket(_CUE), doc.bucket(_DURATION)
    for i, seg in enumerate(doc.segments):
        if i not in cues and i not in durations:
            continue
        text = doc.seg(seg)
        inherited = seg.start <= inherited_until and bool(_LIST_ITEM.match(text))
        fixed = _durations(doc, i, inherited) if i in durations else []
        facts += fixed
        if not fixed and i in cues:
            basis = _basis(doc, seg)
            if basis:
                facts.append(basis)
        if i in cues and text.rstrip().endswith(":"):
            first = seg.end
            while first < len(doc.folded) and doc.folded[first].isspace():
                first += 1
            blank = doc.folded.find("\n\n", first)
            inherited_until = blank if blank >= 0 else len(doc.folded)
    if any(f.value == RetentionBasis.CONTRACT_PLUS_STATUTORY for f in facts):  # it already holds the statute
        facts = [f for f in facts if f.value != RetentionBasis.STATUTORY]
    seen: set[tuple[str, str]] = set()
    unique = []
    for fact in facts:
        key = (fact.value, f"{fact.span.start}" if fact.value == RetentionBasis.FIXED else "")
        if key not in seen:
            seen.add(key)
            unique.append(fact)
    return unique
