"""ORGANIZATION fact: the document's own organisation and, when the text states it, its country.

The name is a company name with a legal form (Interactions, LLC; VoiceKing CVBA; Muster Versand GmbH) that
the document uses about itself: "Welcome to X", "X ("we", "us")", "X is the controller", "Verantwortlich:
X", "X verwerkt ...", or simply the company it names most. Names of vendors in the lexicon are not it.
Without a legal form, only the strongest self-references count ("X ("we", ...)", "Welcome to X").
The country comes from a registration (a Belgian enterprise number, KvK, HRB, RCS, a US state and ZIP, a
Dutch postcode), or a place named with "registered in", "office in", "Sitz in", "siège" in the same
sentence, or "X in the U.S." (X being the organisation).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from flowmap.extract.countries import Place
from flowmap.extract.facts import DraftFact, FactKind
from flowmap.extract.text import Doc, make_span
from flowmap.extract.vendors import VENDORS

_LEGAL_FORMS = (
    r"L\.L\.C\.|LLC|Inc\.|Inc|Incorporated|Ltd\.|Ltd|Limited|plc|PLC|GmbH & Co\. KG|GmbH|AG|KG|SE|B\.V\.B\.A\.|BVBA|"
    r"C\.V\.B\.A\.|CVBA|CV|B\.V\.|BV|N\.V\.|NV|SAS|SARL|SRL|SPRL|S\.A\.|SA|Sàrl|Corp\.|Corporation|LLP|Pty Ltd|A/S|AB|"
    r"Oy|S\.p\.A\.|UG|e\.V\.|eG|VZW|ASBL|V\.O\.F\.|VOF|Comm\.V\.|CommV|SNC|SCS|GbR|OHG|e\.K\."
)
# Word lengths are bounded: "X'X'X'..." (1 MB) made every capital start a scan to the end of the text.
_WORD = r"(?:[A-Z][\w&|'’.-]{0,80}[\w|]|[A-Z]|&|de|van|der|den|du|des|la|le)"
_ORG = re.compile(
    rf"(?<![\w])(?P<name>(?:[A-Z][\w&|'’.-]{{0,80}}[\w|])(?:[ ]{_WORD}){{0,4}}?)(?:,)?[ ]"
    rf"(?P<form>{_LEGAL_FORMS})(?![\w])"
)
# Words before a company name that are not part of it: articles, greetings, document titles ("Datenschutzhinweise der").
_LEADING = re.compile(
    r"(?:(?:The|De|Het|Die|Der|Das|Le|La|Les|Welcome to|About Us|Verantwortlich:?|"
    r"(?:Datenschutz\w*|Privacy\w*|Cookie\w*|Politique|Notice|Statement|Policy|Privacyverklaring|Privacybeleid)"
    r"(?: \w+)? (?:der|des|von|van|of|de|du|d'))\s+|L['’]\s*)",  # a whole word: "Le" is not the start of "Lernwerk"
    re.I,
)
_SELF = [
    re.compile(r"Welcome to\s+$", re.I),
    re.compile(
        r"(?:About Us|Verantwortlich:?|Verantwortliche[r]?:?|[ée]dit[ée] par|la soci[ée]t[ée]|bij|bei der|"
        r"Als je solliciteert bij|"
        r"Anbieter (?:der \w+ |des \w+ |dieser \w+ )?ist(?: die| der)?)\s+$",
        re.I,
    ),
]
_SELF_AFTER = re.compile(
    r"\s*(?:"
    r"\((?:\"|')[^()\"']{1,40}(?:\"|')"  # X ("X"): the short name the document then uses for itself
    r"|(?:\([^()]{0,80}\)\s*)?,?\s*(?:"  # an optional (KvK 123) or ", " before the verb
    r"\((?:\"|')?(?:we|wij|wir|nous|hereinafter)\b|is (?:the )?(?:data )?controller|is verantwortlich|"
    r"(?:is |est )?(?:registered|gevestigd|met zetel|mit Sitz|immatricul[ée]e|dont le si[èe]ge)|"
    r"(?:verwerkt|verzamelt|processes|collects|verarbeitet|traite|collecte|schakelt|setzt|engages|maakt gebruik|"
    r"is an?|is een|ist eine?|est une?|betreibt|provides|offers|biedt|bietet|propose)\b))",
    re.I,
)
_STRONG_NO_FORM = re.compile(
    r"(?:Welcome to\s+(?P<a>[A-Z][\w&|]*(?: [A-Z][\w&|]*){0,3}))|(?:the\s+)?(?P<b>[A-Z][\w&|]*(?: [A-Z][\w&|"
    r"]*){0,3})\s+"
    r"\((?:\"|')?(?:we|wij|wir|nous)\b|^(?:(?:The|De|Het|Die|Der|Le|La|L')\s+)?(?P<c>[A-Z][\w&|]*(?: [A-Z][\w&|"
    r"]*){1,3})\s+(?:is run by|verwerkt|"
    r"processes|verarbeitet|traite|fait appel)\b",
    re.M,
)
_REGISTRATION: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bBE\s?0?\d{3}[.\s]?\d{3}[.\s]?\d{3}\b|ondernemingsn(?:umme)?r|num[ée]ro d'entreprise|\bKBO\b|"
                r"\bBCE\b", re.I), "BE"),
    (re.compile(r"\bKvK\b|Kamer van Koophandel|\bNL\d{9}B\d{2}\b"), "NL"),
    (re.compile(r"\bHR[AB]\s?\d+|Amtsgericht|\bDE\d{9}\b"), "DE"),
    (re.compile(r"\bRCS\b|\bSIRE[NT]\b|\bFR\d{11}\b"), "FR"),
    (re.compile(r"\bCHE-\d{3}\.\d{3}\.\d{3}\b"), "CH"),
    (re.compile(r"Companies House|registered in England|\bCRO\b"), "GB"),
    (re.compile(r"\b[A-Z][a-z]+,? (?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|"
                r"PA|RI|"
                r"S[CD]|T[NX]|UT|V[AT]|W[AIVY]) \d{5}(?:-\d{4})?\b"), "US"),
    (re.compile(r"\b\d{4} ?[A-Z]{2} [A-Z][a-z]+"), "NL"),
)  # fmt: skip
_SEAT = re.compile(
    r"registered in|incorporated in|(?:registered |principal |head )?office (?:is )?in|headquartered in|based in|"
    r"gevestigd (?:in|te|aan)|met zetel|mit Sitz in|Sitz in|si[èe]ge (?:social )?(?:est )?(?:situ[ée] )?|"
    r"immatricul[ée]e? en|Registered in",
    re.I,
)
_VENDOR_NAMES = {a.casefold() for v in VENDORS for a in v.aliases}


@dataclass(frozen=True)
class Organization:
    name: str
    short_name: str
    start: int
    end: int


def _short(name: str) -> str:
    return re.sub(rf"[, ]+(?:{_LEGAL_FORMS})$", "", name).strip(" ,")


def _sub_phrases(name: str) -> list[str]:
    words = name.split()
    return [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)]


def _candidates(doc: Doc) -> list[tuple[str, int, int]]:
    out = []
    for m in _ORG.finditer(doc.folded):
        name_start = m.start("name")
        lead = _LEADING.match(doc.folded, name_start, m.end("name"))
        while lead and lead.end() > name_start:
            name_start = lead.end()
            lead = _LEADING.match(doc.folded, name_start, m.end("name"))
        name = doc.text[name_start : m.end()].strip()
        short = _short(name)
        if not short or any(w in _VENDOR_NAMES for w in _sub_phrases(short.casefold())):
            continue  # a vendor's own company ("Google Ireland Limited"), not the document's
        out.append((name, name_start, m.end()))
    return out


# A contract party, after its address: 'X Ltd, 5 Harcourt Road, Dublin 2, Ireland ("Processor")', 'X SRL, ...,
# sous-traitant'. A DPA is the vendor's document, so the processor party is the document's organisation.
_PARTY_AFTER = re.compile(
    r"(?:,[^.;:()\n]{0,100}?)?\s*(?:\((?:the |de |le |la |der |die )?[\"“'„«]?\s*|,\s*)(?:Processor|Verwerker|"
    r"Auftragsverarbeiter|Auftragnehmer|sous-traitant|Supplier|Service Provider|Leverancier|Dienstleister|"
    r"Prestataire)\b",
    re.I,
)
# An address right after the name ends in the country: 'X SAS, 18 rue Mercière, 69002 Lyon, France', 'X (Nantes,
# France)'. The gap holds a street number or postcode, or opens a parenthesis, and names no other party.
_ADDRESS_GAP = re.compile(r"\s*(?:\([^()]{0,60}|,[^.;:()]{0,100}\d[^.;:()]{0,60}),\s*(?:the |de |het |la |le |l')?$")


def self_reference(doc: Doc, start: int, end: int) -> bool:
    """The company at ``start:end`` is how the document names itself ("X GmbH verarbeitet", "Anbieter ist X")."""
    before = doc.folded[max(0, start - 60) : start]
    return (
        any(p.search(before) for p in _SELF)
        or bool(_SELF_AFTER.match(doc.folded, end))
        or bool(_PARTY_AFTER.match(doc.folded, end))
    )


def find_organization(doc: Doc) -> Organization | None:
    """The organisation the document speaks for, or None when no name is evidenced."""
    cands = _candidates(doc)
    scores: Counter[str] = Counter()
    first: dict[str, tuple[str, int, int]] = {}
    self_ref: dict[str, tuple[str, int, int]] = {}
    for name, start, end in cands:
        key = _short(name).lower()
        first.setdefault(key, (name, start, end))
        scores[key] += 1
        if self_reference(doc, start, end):
            scores[key] += 3
            self_ref.setdefault(key, (name, start, end))
        if start < 600:
            scores[key] += 1
        if "\n" not in doc.folded[:start].strip():  # named in the document's title
            scores[key] += 2
    for key in scores:  # the company the document names most, also without its legal form
        scores[key] += min(5, doc.lower.count(key))
    ranked = [k for k, s in scores.most_common() if k in self_ref or s >= 4]
    if ranked:
        name, start, end = self_ref.get(ranked[0]) or first[ranked[0]]
        return Organization(name, _short(name), start, end)
    m = _STRONG_NO_FORM.search(doc.folded[:3000])
    if m:
        group = next(g for g in ("a", "b", "c") if m.group(g))
        start, end = m.span(group)
        name = doc.text[start:end]
        lead = _LEADING.match(name)
        if lead:
            start += lead.end()
            name = doc.text[start:end]
        if name.casefold() not in _VENDOR_NAMES and len(name) > 2:
            return Organization(name, name, start, end)
    return None


def _country(doc: Doc, org: Organization, places: list[Place]) -> tuple[str, int, int] | None:
    """Registration near a mention of the organisation, else a seat phrase, else 'X in <country>'."""
    f = doc.folded
    short = re.escape(org.short_name)
    windows = [(max(0, m.start() - 200), m.end() + 400) for m in re.finditer(short, f, re.IGNORECASE)]
    for pattern, code in _REGISTRATION:
        for lo, hi in windows:
            m = pattern.search(f, lo, hi)
            if m:
                return code, m.start(), m.end()
    for seg in doc.segments:
        seat = _SEAT.search(f, seg.start, seg.end)
        if seat and re.search(short, f[seg.start : seg.end], re.IGNORECASE):  # the seat of this organisation
            after = [p for p in places if seat.end() <= p.start < seg.end and p.code not in ("EU", "EEA", "WORLDWIDE")]
            if after:
                return after[0].code, after[0].start, after[0].end
    for p in places:
        if re.search(
            rf"{short}\s+(?:in|im|en|au|aux)\s+(?:the\s+|den\s+|de\s+|les?\s+)?$", f[max(0, p.start - 60) : p.start]
        ):
            return p.code, p.start, p.end
    for p in places:  # the address that follows the name
        if org.end <= p.start <= org.end + 160 and len(p.code) == 2 and _ADDRESS_GAP.match(f, org.end, p.start):
            return p.code, p.start, p.end
    return None


def organization_fact(doc: Doc, places: list[Place]) -> tuple[DraftFact | None, Organization | None]:
    org = find_organization(doc)
    if org is None:
        return None, None
    detail = {"short_name": org.short_name}
    country = _country(doc, org, places)
    if country:
        code, start, end = country
        detail["country"] = code
        detail["country_span"] = f"{start}:{end}"
        detail["country_quote"] = doc.text[start:end]
    return DraftFact(FactKind.ORGANIZATION, org.name, make_span(doc.text, org.start, org.end), detail), org
