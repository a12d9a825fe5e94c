"""MECHANISM facts: the transfer tools a document relies on, as MechanismCode values or ADEQUACY.

Choices, so that a value never claims more than the words do:
- Standard contractual clauses with a version (2021/914, "of June 2021", "new", a Module) are SCC_2021;
  2010/87 is SCC_2010 (2002/16 too: the processor set it replaced), 2004/915 SCC_2004, 2001/497 SCC_2001.
  Without a version they are UNSPECIFIED with detail ``named: SCC, version: unstated``; SCC_2021 would
  not be evidenced.
- "Appropriate safeguards" with nothing named, in a sentence about transfers, is UNSPECIFIED.
- Consent counts (ART49_CONSENT) only in a sentence about a transfer to a third country.
- A mechanism the sentence says is no longer used or was invalidated is skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flowmap.domain.mechanisms import MechanismCode
from flowmap.extract.facts import DraftFact, FactKind
from flowmap.extract.text import Doc, Segment, clipped_span, negated_before, no_longer_applies

ADEQUACY = "ADEQUACY"

_PRIVACY_SHIELD = re.compile(
    r"Privacy[\s-]?Shield|Privacyschild|Datenschutzschild|bouclier de protection des donn[ée]es", re.I
)
_DPF = re.compile(r"Data[\s-]Privacy[\s-]Framework|\bDPF\b|(?:EU-US-)?Datenschutzrahmen|"
                  r"cadre de protection des donn[ée]es"
                  r"|gegevensbeschermingskader|kader voor gegevensbescherming", re.I)  # fmt: skip
_UK_EXTENSION = re.compile(r"\bU\.?K\.?[\s-]Extension|UK-Erweiterung|britische[n]? Erweiterung|extension britannique"
                           r"|Britse uitbreiding|UK-uitbreiding")  # fmt: skip
_SAFE_HARBOR = re.compile(r"Safe[\s-]?Harbou?r|sph[èe]re de s[ée]curit[ée]|sicherer[\s-]Hafen", re.I)
_SAFE_HARBOR_ELSEWHERE = re.compile(r"HIPAA|DMCA|de-?identif|Section 230|copyright|Urheberrecht", re.I)
_SAFE_HARBOR_CONTEXT = re.compile(
    r"\b(?:EU|E\.U\.|US|U\.S\.|USA|VS)\b|Europ|transf|[Üü]bermitt|doorgifte|2000/520|principles|Grunds[äa]tze|"
    r"beginselen|"
    r"principes|framework|Abkommen|akkoord|accord|certif|zertifiz|regeling|Regelung",
    re.I,
)
_SWISS = r"(?:Swiss|Schweiz\w*|Zwitser\w*|[Ss]uisse)"
_USA = r"(?:U\.?S\.?A?|VS|Amerikaans\w*|[EÉ]tats-Unis)"
_EU = r"(?:EU|E\.U\.|UE|European)"
_SWISS_QUALIFIER = re.compile(rf"{_SWISS}[\s/-]*{_USA}[\s-]*$")
_BOTH_QUALIFIER = re.compile(rf"{_EU}[\s/-]*{_USA}\.?\s+(?:and|und|en|et|&)\s+{_SWISS}[\s/-]*{_USA}[\s-]*$")
_EU_QUALIFIER = re.compile(rf"{_EU}[\s/-]*{_USA}[\s-]*$")
_EU_OR_SWISS = re.compile(rf"{_EU}\s+(?:or|and|und|oder|en|of|et|ou)\s+{_SWISS}\s*$")

_SCC = re.compile(
    r"standard (?:data protection |contractual )?(?:contractual )?clauses|standard contract(?:ual)? clauses|"
    r"model (?:contract(?:ual)? )?clauses|\bSCCs?\b|standaard ?contract(?:uele)? ?(?:bepalingen|clausules)|"
    r"model ?contract(?:uele)? ?(?:bepalingen|clausules)|modelcontracten|\bSCC's\b|"
    r"(?:EU-)?Standard(?:vertrags|datenschutz|schutz)klauseln|Standardvertragsbedingungen|Musterklauseln|"
    r"Mustervertragsklauseln|clauses contractuelles (?:types?|standards?)|clauses types|\bCCT\b",
    re.I,
)
_SCC_VERSIONS: list[tuple[re.Pattern[str], MechanismCode, str]] = [
    (re.compile(r"\b2021/914\b"), MechanismCode.SCC_2021, "2021"),
    (re.compile(r"\b2010/87\b"), MechanismCode.SCC_2010, "2010"),
    (re.compile(r"\b2002/16\b"), MechanismCode.SCC_2010, "2002"),
    (re.compile(r"\b2004/915\b"), MechanismCode.SCC_2004, "2004"),
    (re.compile(r"\b2001/497\b"), MechanismCode.SCC_2001, "2001"),
]
_YEAR = re.compile(r"(?<![\d/])(2001|2004|2010|2021)(?![\d/])")
_YEAR_CODES = {"2001": MechanismCode.SCC_2001, "2004": MechanismCode.SCC_2004, "2010": MechanismCode.SCC_2010,
               "2021": MechanismCode.SCC_2021}  # fmt: skip
_NEW = re.compile(
    r"\b(?:new|updated|revised|modernised|modernized|nieuwe|neuen?|aktualisierten|nouvelles?)\s+\S*\s*$", re.I
)
_MODULE = re.compile(r"\bModul(?:e)?\s+(?:One|Two|Three|Four|[1-4]|I{1,3}|IV|een|twee|drie|vier|eins|zwei|drei|vier|"
                     r"un|deux|trois|quatre)\b", re.I)  # fmt: skip

_BCR = re.compile(
    r"binding corporate rules|\bBCRs?\b|bindende bedrijfs(?:voorschriften|regels)|"
    r"verbindliche[n]? (?:interne[n]? )?(?:Datenschutzvorschriften|Unternehmensregeln)|"
    r"r[èe]gles (?:internes )?d'entreprise contraignantes",
    re.I,
)
_IDTA = re.compile(r"International Data Transfer Agreement|\bIDTA\b")
_UK_ADDENDUM = re.compile(
    r"International Data Transfer Addendum|\bUK[\s-]Addendum|UK-Zusatz|addendum britannique", re.I
)
_ADEQUACY = re.compile(
    r"adequacy (?:decisions?|findings?|regulations?)|adequate level of (?:data )?protection|"
    r"(?:deemed|recogni[sz]ed|considered) (?:as )?(?:providing |to provide |having )?(?:an )?adequate|"
    r"adequaatheids(?:besluit|beslissing)\w*|passend beschermingsniveau|Angemessenheitsbeschl[uü]ss\w*|"
    r"angemessenes? (?:Datenschutz|Schutz)niveau\w*|d[ée]cisions? d'ad[ée]quation|"
    r"niveau de protection (?:ad[ée]quat|suffisant)",
    re.I,
)
_CODE_OF_CONDUCT = re.compile(r"approved codes? of conduct|goedgekeurde gedragscode|genehmigte[n]? Verhaltensregeln|"
                              r"codes? de conduite approuv[ée]", re.I)  # fmt: skip
_CERTIFICATION = re.compile(r"approved certification mechanisms?|goedgekeurde? certificeringsmechanisme|"
                            r"genehmigte[n]? Zertifizierungsmechanism\w*|"
                            r"m[ée]canismes? de certification approuv", re.I)  # fmt: skip
_SAFEGUARDS = re.compile(
    r"(?:appropriate|suitable|adequate|necessary) (?:safeguards|measures|guarantees|protections?)|"
    r"passende (?:waarborgen|maatregelen|garanties)|(?:adequate|voldoende) waarborgen|"
    r"(?:geeignete|angemessene)[n]? (?:Garantien|Ma[ßs]nahmen|Schutzma[ßs]nahmen)|"
    r"(?:garanties|mesures) (?:appropri[ée]es|ad[ée]quates|suffisantes)",
    re.I,
)
_TECHNICAL_BEFORE = re.compile(r"(?:technical|technische|technischen|techniques)\W+(?:\w+\W+){0,3}$", re.I)
_CONSENT = re.compile(
    r"(?:explicit|express|your) consent|(?:uitdrukkelijke|uw|jouw) toestemming|"
    r"(?:ausdrückliche[n]?|Ihre[r]?) Einwilligung|consentement (?:explicite|expr[èe]s)|votre consentement",
    re.I,
)
_ART49 = re.compile(r"Art(?:icle|ikel|\.)?\s*49\b", re.I)
_ART49_CONTRACT = re.compile(
    r"Art(?:icle|ikel|\.)?\s*49\s*(?:\(1\)\s*\(b\)|Abs\.\s*1\s*(?:S\.\s*1\s*)?lit\.\s*b)", re.I
)
_DEROGATIONS = re.compile(r"derogations? for specific situations|uitzonderingen voor specifieke situaties|"
                          r"Ausnahmen f[üu]r bestimmte F[äa]lle|"
                          r"d[ée]rogations pour des situations particuli", re.I)  # fmt: skip
_TRANSFER = re.compile(
    r"transfer\w*|third countr\w*|outside (?:of )?(?:the )?(?:EU|EEA|European)|abroad|cross-border|"
    r"doorgifte|doorgeven|doorgegeven|buiten de (?:EU|EER|Europese)|derde land\w*|buitenland|"
    r"[Üü]bermitt\w*|Drittl[äa]nd\w*|Drittstaat\w*|au[ßs]erhalb (?:der|des) (?:EU|EWR|Europ)|Ausland|"
    r"transf[eé]r\w*|pays tiers|hors (?:de l')?(?:UE|Union|EEE|Espace)|en dehors de|[àa] l'[ée]tranger",
    re.I,
)
_THIRD_COUNTRY = re.compile(
    r"third countr\w*|outside (?:of )?(?:the )?(?:EU|EEA|European)|derde land\w*|buiten de (?:EU|EER|Europese)|"
    r"Drittl[äa]nd\w*|Drittstaat\w*|au[ßs]erhalb (?:der|des) (?:EU|EWR|Europ)|pays tiers|hors (?:de l')?(?:UE|"
    r"Union|EEE)|"
    r"\b(?:USA?|U\.S\.|VS|United States|Verenigde Staten|Vereinigten Staaten|[EÉ]tats-Unis)\b",
    re.I,
)
_HISTORICAL = {MechanismCode.SAFE_HARBOR, MechanismCode.PRIVACY_SHIELD_EU_US, MechanismCode.PRIVACY_SHIELD_SWISS_US,
               MechanismCode.SCC_2001, MechanismCode.SCC_2004, MechanismCode.SCC_2010}  # fmt: skip


@dataclass(frozen=True)
class Mention:
    value: str
    start: int  # the name, qualifiers included (masked for country matching)
    end: int
    evidence_end: int  # the version evidence may follow the name
    detail: tuple[tuple[str, str], ...] = ()
    rank: int = 0  # higher wins when one value has several mentions


def _qualified(doc: Doc, seg: Segment, m: re.Match[str], eu: MechanismCode, swiss: MechanismCode) -> list[Mention]:
    """Privacy Shield and DPF: 'Swiss-U.S.' makes it the Swiss framework; 'EU-U.S. and Swiss-U.S.' both."""
    pre_start = max(seg.start, m.start() - 50)
    pre = doc.folded[pre_start : m.start()]
    both = _BOTH_QUALIFIER.search(pre) or _EU_OR_SWISS.search(pre)
    if both:
        start = pre_start + both.start()
        return [Mention(eu.value, start, m.end(), m.end()), Mention(swiss.value, start, m.end(), m.end())]
    swiss_q = _SWISS_QUALIFIER.search(pre)
    if swiss_q:
        return [Mention(swiss.value, pre_start + swiss_q.start(), m.end(), m.end(), rank=1)]
    eu_q = _EU_QUALIFIER.search(pre)
    start = pre_start + eu_q.start() if eu_q else m.start()
    return [Mention(eu.value, start, m.end(), m.end(), rank=1 if eu_q else 0)]


def _scc_version(doc: Doc, seg: Segment, m: re.Match[str]) -> tuple[MechanismCode | None, str, int]:
    """The SCC set a mention names: decision number or year near it, 'new', or a Module (2021 only)."""
    f = doc.folded
    after_end = min(seg.end, m.end() + 160)
    for pattern, code, version in _SCC_VERSIONS:
        found = pattern.search(f, max(seg.start, m.start() - 60), after_end)
        if found:
            return code, version, max(found.end(), m.end())
    year = _YEAR.search(f, m.end(), min(seg.end, m.end() + 80))
    if year:
        return _YEAR_CODES[year.group(1)], year.group(1), year.end()
    year_before = [y for y in _YEAR.finditer(f, max(seg.start, m.start() - 20), m.start())]
    if year_before:
        return _YEAR_CODES[year_before[-1].group(1)], year_before[-1].group(1), m.end()
    if _NEW.search(f, max(seg.start, m.start() - 30), m.start()):
        return MechanismCode.SCC_2021, "2021", m.end()
    module = _MODULE.search(f, max(seg.start, m.start() - 60), min(seg.end, m.end() + 60))
    if module:
        return MechanismCode.SCC_2021, "2021", max(module.end(), m.end())
    return None, "unstated", m.end()


# A word every mechanism pattern needs, in lower case: one fast pass finds the sentences worth a closer look.
_TRIGGER = re.compile(
    r"privacy|shield|schild|bouclier|dpf|rahmen|cadre de protection|kader|extension|erweiterung|uitbreiding|harbo|"
    r"sph[èe]re|hafen|claus|bepaling|scc|modelcontract|klausel|vertragsbedingung|cct|binding|bcr|bindende|"
    r"verbindlich|contraignant|idta|transfer agreement|addendum|zusatz|ad[ée]qua|adequa|beschermingsniveau|"
    r"angemessen|niveau de protection|conduct|gedragscode|verhaltensregel|conduite|certif|zertif|consent|"
    r"toestemming|einwilligung|49|derogation|d[ée]rogation|uitzondering|ausnahme|safeguard|measure|guarantee|"
    r"protection|waarborg|maatregel|garanti|ma[ßs]nahme|mesure"
)
_NAMED = (_PRIVACY_SHIELD, _DPF, _UK_EXTENSION, _SAFE_HARBOR, _SCC, _BCR, _IDTA, _UK_ADDENDUM, _ADEQUACY,
          _CODE_OF_CONDUCT, _CERTIFICATION, _CONSENT, _ART49, _DEROGATIONS)  # fmt: skip


def _mentions(doc: Doc, i: int) -> list[Mention]:
    seg = doc.segments[i]
    s = doc.seg(seg)
    found: list[Mention] = []

    def each(pattern: re.Pattern[str]) -> list[re.Match[str]]:
        return list(pattern.finditer(doc.folded, seg.start, seg.end))

    for m in each(_PRIVACY_SHIELD):
        found += _qualified(doc, seg, m, MechanismCode.PRIVACY_SHIELD_EU_US, MechanismCode.PRIVACY_SHIELD_SWISS_US)
    for m in each(_DPF):
        found += _qualified(doc, seg, m, MechanismCode.DPF_EU_US, MechanismCode.DPF_SWISS_US)
    for m in each(_UK_EXTENSION):
        found.append(Mention(MechanismCode.DPF_UK_EXT.value, m.start(), m.end(), m.end(), rank=1))
    if not _SAFE_HARBOR_ELSEWHERE.search(s) and _SAFE_HARBOR_CONTEXT.search(s):
        found += [Mention(MechanismCode.SAFE_HARBOR.value, m.start(), m.end(), m.end()) for m in each(_SAFE_HARBOR)]
    for m in each(_SCC):
        code, version, evidence_end = _scc_version(doc, seg, m)
        if code is None:
            detail = (("named", "SCC"), ("version", "unstated"))
            found.append(Mention(MechanismCode.UNSPECIFIED.value, m.start(), m.end(), evidence_end, detail, rank=1))
        else:
            found.append(Mention(code.value, m.start(), m.end(), evidence_end, (("version", version),), rank=1))
    for pattern, code in (
        (_BCR, MechanismCode.BCR),
        (_IDTA, MechanismCode.UK_IDTA),
        (_UK_ADDENDUM, MechanismCode.UK_ADDENDUM),
    ):
        found += [Mention(code.value, m.start(), m.end(), m.end()) for m in each(pattern)]
    found += [Mention(ADEQUACY, m.start(), m.end(), m.end()) for m in each(_ADEQUACY)]
    transfer = bool(_TRANSFER.search(s))
    third_country = bool(_THIRD_COUNTRY.search(s))
    if transfer:
        found += [
            Mention(MechanismCode.CODE_OF_CONDUCT.value, m.start(), m.end(), m.end()) for m in each(_CODE_OF_CONDUCT)
        ]
        found += [Mention(MechanismCode.CERTIFICATION.value, m.start(), m.end(), m.end()) for m in each(_CERTIFICATION)]
    if (transfer and third_country) or _ART49.search(s):  # citing Art. 49 is itself about a transfer
        for m in each(_CONSENT):
            found.append(Mention(MechanismCode.ART49_CONSENT.value, m.start(), m.end(), m.end()))
        for m in each(_ART49_CONTRACT):
            found.append(Mention(MechanismCode.ART49_CONTRACT.value, m.start(), m.end(), m.end()))
    if not any(x.value.startswith("ART49") for x in found):
        for m in [*each(_DEROGATIONS), *(x for x in each(_ART49) if transfer)]:
            found.append(Mention(MechanismCode.ART49_OTHER.value, m.start(), m.end(), m.end()))
    return found


def _safeguards(doc: Doc, i: int) -> list[Mention]:
    """'Appropriate safeguards' in a sentence about transfers (or right after one), nothing named."""
    f, seg = doc.folded, doc.segments[i]
    matches = list(_SAFEGUARDS.finditer(f, seg.start, seg.end))
    if not matches:
        return []
    context = doc.seg(seg) + (" " + doc.seg(doc.segments[i - 1]) if i > 0 else "")
    if not _TRANSFER.search(context):
        return []
    out = []
    for m in matches:
        if _TECHNICAL_BEFORE.search(f, max(seg.start, m.start() - 40), m.start()):
            continue
        out.append(Mention(MechanismCode.UNSPECIFIED.value, m.start(), m.end(), m.end()))
    return out


def mechanism_facts(doc: Doc) -> list[DraftFact]:
    """One MECHANISM fact per value; names of frameworks are recorded in ``doc.masked`` (not places)."""
    best: dict[str, tuple[Mention, Segment]] = {}
    candidates = sorted({doc.index_at(m.start()) for m in _TRIGGER.finditer(doc.lower)} - {-1})
    for i in candidates:
        seg = doc.segments[i]
        named = _mentions(doc, i)
        doc.masked.extend((x.start, x.end) for x in named)
        no_longer = no_longer_applies(doc, i)
        kept = []
        for x in named:
            if negated_before(doc.folded, seg, x.start) or (no_longer and x.value in _HISTORICAL):
                continue
            kept.append(x)
        if not any(x.value != ADEQUACY for x in kept):
            kept += [x for x in _safeguards(doc, i) if not negated_before(doc.folded, seg, x.start)]
        for x in kept:
            held = best.get(x.value)
            if held is None or x.rank > held[0].rank:
                best[x.value] = (x, seg)
    facts = []
    for value, (x, _seg) in best.items():
        span = clipped_span(doc.text, x.start, x.evidence_end, x.start, x.end)
        facts.append(DraftFact(FactKind.MECHANISM, value, span, dict(x.detail)))
    return facts
