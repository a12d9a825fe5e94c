"""COUNTRY facts: countries (ISO 3166-1 alpha-2) and the regions EU, EEA and WORLDWIDE named as places.

Names come from pycountry and its bundled gettext translations (offline), plus common short forms.
False positives are the risk: "US" as the pronoun, "Georgia" or "Chad" as first names, "Ireland" in
"Google Ireland Limited", "EU" in "EU data subjects" or "Regulation (EU) 2016/679". Each of those is
rejected by a rule below rather than by luck.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pycountry

from flowmap.extract.facts import DraftFact, FactKind
from flowmap.extract.text import Doc, make_span

LANGUAGES = ("en", "nl", "de", "fr")
REGIONS = ("EU", "EEA", "WORLDWIDE")

# Names that are usually something else: never read as countries.
_NEVER = {"Georgia", "Jersey", "Chad", "Guernsey", "Man", "Saint Martin", "Syrienne", "Lao", "Congo", "Korea",
          "Virgin Islands", "Maagdeneilanden", "Îles Vierges", "Corée", "Island"}  # fmt: skip
_NEVER_BY_LANG = {"de": {"Georgia", "Jersey", "Chad", "Guernsey", "Man"}}  # German "Island" is Iceland
# Names that are also first names or words: read only after a preposition ("in Jordan").
_NEEDS_PREPOSITION = {"Jordan", "Turkey", "Israel", "Dominica", "Niger", "Maurice", "Panama", "Lebanon", "Mali",
                      "Chili", "Togo", "Cuba", "Oman"}  # fmt: skip
_PREPOSITIONS = {"in", "to", "from", "into", "within", "outside", "throughout", "across", "naar", "uit", "binnen",
                 "buiten", "nach", "aus", "innerhalb", "außerhalb", "en", "au", "aux", "vers", "depuis", "dans",
                 "à", "hors", "de", "du", "van", "der", "the", "den", "l'", "le", "la"}  # fmt: skip

_ALIASES: dict[str, dict[str, str]] = {
    "en": {
        "United States of America": "US", "United States": "US", "USA": "US", "U.S.A.": "US", "U.S.": "US",
        "US": "US", "America": "", "UK": "GB", "U.K.": "GB", "Great Britain": "GB", "Britain": "GB",
        "England": "GB", "Scotland": "GB", "Wales": "GB", "Northern Ireland": "GB", "South Korea": "KR",
        "North Korea": "KP", "Russia": "RU", "Czech Republic": "CZ", "Holland": "NL", "Vietnam": "VN",
        "Ivory Coast": "CI", "Macedonia": "MK", "Vatican": "VA", "Swaziland": "SZ", "Burma": "MM",
        "Cape Verde": "CV", "East Timor": "TL", "UAE": "AE", "Turkey": "TR", "Türkiye": "TR", "Macau": "MO",
        "the Philippines": "PH", "Brunei": "BN", "Laos": "LA", "Syria": "SY", "Palestine": "PS",
        "European Union": "EU", "EU": "EU", "E.U.": "EU", "European Economic Area": "EEA", "EEA": "EEA",
        "worldwide": "WORLDWIDE", "all over the world": "WORLDWIDE", "around the world": "WORLDWIDE",
    },
    "nl": {
        "Verenigde Staten van Amerika": "US", "Verenigde Staten": "US", "VS": "US", "Amerika": "US",
        "VK": "GB", "Groot-Brittannië": "GB", "Engeland": "GB", "Schotland": "GB", "Zuid-Korea": "KR",
        "Holland": "NL", "Tsjechië": "CZ", "Europese Unie": "EU", "EU": "EU", "Europese Economische Ruimte": "EEA",
        "EER": "EEA", "wereldwijd": "WORLDWIDE", "over de hele wereld": "WORLDWIDE",
    },
    "de": {
        "Vereinigte Staaten von Amerika": "US", "Vereinigten Staaten": "US", "Vereinigte Staaten": "US",
        "USA": "US", "Amerika": "US", "Großbritannien": "GB", "England": "GB", "Schottland": "GB",
        "Vereinigten Königreich": "GB", "Niederlanden": "NL",
        "Vereinigten Arabischen Emiraten": "AE",
        "Südkorea": "KR", "Russland": "RU", "Tschechien": "CZ", "Holland": "NL",
        "Europäische Union": "EU", "Europäischen Union": "EU", "EU": "EU",
        "Europäischer Wirtschaftsraum": "EEA", "Europäischen Wirtschaftsraum": "EEA",
        "Europäischen Wirtschaftsraums": "EEA", "Europäischen Wirtschaftsraumes": "EEA", "EWR": "EEA",
        "weltweit": "WORLDWIDE",
    },
    "fr": {
        "États-Unis d'Amérique": "US", "États-Unis": "US", "Etats-Unis": "US", "USA": "US", "Royaume-Uni": "GB",
        "Grande-Bretagne": "GB", "Angleterre": "GB", "Écosse": "GB", "Corée du Sud": "KR", "Russie": "RU",
        "République tchèque": "CZ", "Tchéquie": "CZ", "Vietnam": "VN", "Union européenne": "EU", "UE": "EU",
        "U.E.": "EU", "Espace économique européen": "EEA", "EEE": "EEA", "dans le monde entier": "WORLDWIDE",
        "partout dans le monde": "WORLDWIDE", "à travers le monde": "WORLDWIDE",
    },
}  # fmt: skip
_US_LIKE = {"US", "U.S.", "USA", "U.S.A.", "UK", "U.K.", "VS", "VK"}
_EU_LIKE = {"EU", "E.U.", "EEA", "EER", "EWR", "UE", "U.E.", "EEE"}
# Words that, after a country or region, make it part of a name ("U.S. Department", "EU GDPR").
_NAME_HEADS = re.compile(
    r"\s+(?:Department|Dept|Federal|Government|Customs|Congress|Senate|Court|Supreme|Commerce|Privacy|Data|GDPR|"
    r"DSGVO|AVG|RGPD|Extension|Addendum|IDTA|Information|ICO|Commissioner|Regulation|Directive|Commission|"
    r"Commissie|Kommission|Act|Law|CLOUD|Patriot|Safe|Standard|Treasury|FTC|Census|Army|Navy|Dollars?|DPF|"
    r"Swiss|[Mm]odel|[Mm]ember|[Dd]ata|[Ss]ubjects?|[Cc]itizens?|[Rr]esidents?|[Uu]sers?|[Cc]ustomers?|[Ll]aws?|"
    r"[Ll]egislation|[Rr]egulations?|[Rr]ules|[Rr]epresentative|[Ii]nstitutions?|[Pp]ersonal|[Gg]eneral|"
    r"[Ss]tandard|[Ll]idstaten|Mitgliedstaaten|[Pp]rivacy|[Dd]atenschutz\w*|[Gg]rundverordnung)\b"
)
_DECISION_NUMBER = re.compile(r"\)?\s*(?:No\.?\s*)?\d{2,4}/\d")
_US_PRONOUN_BEFORE = {"contact", "about", "email", "e-mail", "call", "write", "join", "follow", "help", "tell", "let",
                      "reach", "send", "visit", "give", "ask", "with", "for", "to", "of", "from", "by", "allow",
                      "inform", "notify", "among", "like", "lets", "helps", "gives"}  # fmt: skip


@dataclass(frozen=True)
class Place:
    """A country or region mention accepted as a place."""

    start: int
    end: int
    code: str
    surface: str


def _translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


@lru_cache(maxsize=8)
def _lexicon(lang: str) -> tuple[dict[str, str], re.Pattern[str]]:
    """Surface form -> code for one language (English names always included), and one regex over them."""
    names: dict[str, str] = {}

    def add(name: str, code: str, lang_of_name: str) -> None:
        name = name.strip()
        never = _NEVER_BY_LANG.get(lang_of_name, _NEVER)
        if not name or name in never or name.split(",")[0] in never:
            return
        if "," in name:
            name = name.split(",")[0].strip()
            if name in never:
                return
        names.setdefault(name, code)

    for source_lang in dict.fromkeys(("en", lang)):
        tr = _translations(source_lang)
        for c in pycountry.countries:
            for attr in ("common_name", "name", "official_name"):
                value = getattr(c, attr, None)
                if value:
                    add(tr.gettext(value), c.alpha_2, source_lang)
        for alias, code in _ALIASES[source_lang].items():
            if code:
                names[alias] = code
    folded = {k.replace("\u2019", "'"): v for k, v in names.items()}
    return folded, first_char_regex(folded, "s?" if lang == "de" else "")  # German genitive: Deutschlands


def first_char_regex(words: Iterable[str], suffix: str = "") -> re.Pattern[str]:
    """Whole-word alternation of literal words, longest first. The look-ahead on their first characters comes
    first so that most positions are rejected at once (4x faster than the bare alternation)."""
    ordered = sorted(set(words), key=len, reverse=True)
    firsts = "".join(sorted({re.escape(w[0]) for w in ordered}))
    alternation = "|".join(re.escape(w) for w in ordered)
    return re.compile(rf"(?=[{firsts}])(?<![\w@./-])(?:{alternation}){suffix}(?![\w])")


def _previous_word(folded: str, pos: int) -> str:
    m = re.search(r"(\S+)\s*$", folded[max(0, pos - 30) : pos])
    return m.group(1) if m else ""


def _accept(doc: Doc, start: int, end: int, surface: str, code: str) -> bool:
    f = doc.folded
    before, after = f[max(0, start - 2) : start], f[end : end + 40]
    if doc.is_masked(start, end):
        return False
    # Compounds: EU-US, EU-Kommission, Swiss-U.S., non-EU; but "U.S.-based" names a place.
    if re.match(r"-[A-Za-zÀ-ÿ]", after) and not re.match(r"-(?:based|gebaseerd|basiert)", after, re.I):
        return False
    if re.search(r"[A-Za-zÀ-ÿ.]-$", before):
        return False
    prev = _previous_word(f, start)
    prev_l = prev.lower().strip("(\"'")
    if surface in _NEEDS_PREPOSITION and prev_l not in _PREPOSITIONS:
        return False
    if surface in _US_LIKE or surface in _EU_LIKE:
        if _NAME_HEADS.match(after) or _DECISION_NUMBER.match(after):
            return False
        if surface == "US" and ((prev.isupper() and prev.isalpha()) or prev_l in _US_PRONOUN_BEFORE):
            return False
    elif code not in REGIONS:
        # Inside a proper-name chain: "Google Ireland Limited", "Microsoft Ireland Operations Ltd".
        prev_adjacent = re.search(r"(?<![\w.])([A-Z][\w&]*) $", f[max(0, start - 40) : start])
        next_adjacent = re.match(r" (?:[A-Z][\w&]*|Ltd|Limited|Inc)", after)
        if prev_adjacent and next_adjacent and prev_adjacent.group(1).lower() not in _PREPOSITIONS:
            return False
    return not (code == "WORLDWIDE" and re.match(r"\s+(?:web|brand|bekend|known)", after, re.I))


def find_places(doc: Doc) -> list[Place]:
    """Every accepted country or region mention, in text order."""
    found: dict[int, Place] = {}
    for lang in doc.languages if doc.language in LANGUAGES else ("en",):
        names, pattern = _lexicon(lang)
        for m in pattern.finditer(doc.folded):
            surface = m.group()
            code = names.get(surface) or names.get(surface[:-1], "")
            if not code or m.start() in found:
                continue
            if _accept(doc, m.start(), m.end(), surface if surface in names else surface[:-1], code):
                found[m.start()] = Place(m.start(), m.end(), code, doc.text[m.start() : m.end()])
    return [found[k] for k in sorted(found)]


def country_facts(doc: Doc, places: list[Place]) -> list[DraftFact]:
    """One COUNTRY fact per code, with its first mention as evidence."""
    facts: dict[str, DraftFact] = {}
    for p in places:
        if p.code not in facts:
            facts[p.code] = DraftFact(
                FactKind.COUNTRY, p.code, make_span(doc.text, p.start, p.end), {"name": p.surface}
            )
    return list(facts.values())


EEA_EFTA = frozenset({"IS", "LI", "NO"})  # in the GDPR's area through the EEA Agreement, not EU members


@lru_cache(maxsize=1)
def gdpr_area() -> frozenset[str]:
    """Countries in the EU GDPR's area today (open-ended membership in the knowledge base): EU + EEA EFTA."""
    from flowmap.law import load_knowledge_base

    for regime in load_knowledge_base().regimes:
        if regime.code.value == "EU_GDPR":
            return frozenset(m.country for m in regime.area if m.valid_until is None)
    return frozenset()
