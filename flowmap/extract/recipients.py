"""RECIPIENT facts: named recipients (a vendor lexicon plus phrasing patterns) and unnamed classes.

Precision first. A name counts when a sentence says data goes to it ("we use X", "provided by X", "X, our
cloud provider", a row of a sub-processor list) and not when the sentence only links to it, lists browsers,
says it is not used, says it is self-hosted, or shares anonymised data. The company behind a product named
in the same document ("Google Analytics ... provided by Google Inc.") is folded into the product as its
``provider``. Country, role and purpose are read from the same sentence or table row only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from flowmap.extract.countries import Place, first_char_regex
from flowmap.extract.facts import DraftFact, FactKind
from flowmap.extract.organization import self_reference
from flowmap.extract.recipient_classes import CLASS_LABELS, CLASS_PATTERN, CLASS_PURPOSES, CLASS_UPPER_IT
from flowmap.extract.text import (
    NO_LONGER,
    Doc,
    Segment,
    clipped_span,
    in_url_or_email,
    make_span,
    negated_before,
)
from flowmap.extract.vendors import NOT_RECIPIENTS, VENDORS, Vendor

_VENDOR_BY_ALIAS = {alias: v for v in VENDORS for alias in v.aliases}
_VENDOR_BY_NAME = {v.name: v for v in VENDORS}

_NOT_RECIPIENT_CONTEXT = re.compile(
    r"\blinks?\b|\bhyperlinks?\b|\bliens?\b|verlinkt|Verlinkung|\bbrowsers?\b|navigateur|follow us|volg ons|"
    r"folgen Sie uns|suivez-nous|\bboutons?\b|"
    r"anonymi[sz]ed|aggregated|geanonimiseerd|anonymisiert|anonymis[ée]es|agr[ée]g[ée]es",
    re.I,
)
_SELF_HOSTED = re.compile(
    r"\blokal\b|\blocally\b|self-hosted|selbst gehostet|\blokaal\b|en local|(?:our|onze|unseren?|nos) own servers?|"
    r"eigen servers?|eigenen Servern?|nos propres serveurs|notre propre serveur|auto-h[ée]berg",
    re.I,
)
_NO_SEGMENT = Segment(0, 0, 0, 0)
_NEGATED_AFTER = re.compile(r"(?:findet|erfolgt)\b[^.;]{0,40}\bnicht\b|(?:findet|erfolgt)\s+keine\b", re.I)
_SOURCE = re.compile(
    r"obtained from|received from|collected from|comes? from|we receive\b[^.]{0,40}\bfrom|verkregen (?:van|via)|"
    r"ontvangen (?:van|via)|afkomstig van|erhalten (?:von|über)|stammen (?:von|aus)|obtenues? (?:auprès|de)|"
    r"proviennent de|re[çc]ues? de",
    re.I,
)
_CUE = re.compile(
    r"\b(?:use[sd]?|using|rel(?:y|ies)|shar\w*|disclos\w*|transfer\w*|provid\w*|process\w*|sub-?processors?|vendors?|"
    r"suppliers?|partners?|host\w*|stor\w*|servers?|cloud|analytics|cookies?|pixels?|plugins?|tags?|sdks?|services?|"
    r"platform|tools?|integrat\w*|embed\w*|powered|via|through|handled|performed|delivered|sent|send|engage[sd]?|"
    r"behalf|payments?|newsletter|e-?mails?|support|CRM|recipients?|third part\w*|dispute|certified|adhere\w*|"
    r"compl(?:y|ies)|gebruik\w*|delen|gedeeld|doorge\w*|verwerk\w*|subverwerk\w*|leverancier\w*|dienst\w*|"
    r"opgeslagen|slaat|gehost|verlopen|bezorgd|versturen|verstuurd|betaling\w*|nieuwsbrief|plaatsen|systeem|"
    r"applicatie\w*|nutzen|nutzt|verwende\w*|einsetz\w*|setzen|eingesetzt|Dienst\w*|Anbieter\w*|"
    r"Auftragsverarbeit\w*|Unterauftragsverarbeit\w*|[üu]bermitt\w*|weiter\w*|gespeichert|gehostet|Rechenzentrum|"
    r"Zahlung\w*|Versand|eingebunden|l[äa]uft|betrieben|erstellen|[üu]ber|utilis\w*|recour\w*|appel|"
    r"sous-traitants?|prestataires?|fournisseurs?|partag\w*|transmi\w*|h[ée]berg\w*|serveurs?|trait[ée]\w*|"
    r"livr[ée]\w*|paiements?|outil|plateforme|lettre d'information|envoi|adh[èe]rent|runs?|running|data cent(?:er|"
    r"re)s?|"
    r"application|apps?|draait|centres? de donn[ée]es|go(?:es)? to|sent to|entrust\w*|outsourc\w*|uitbested\w*|"
    r"toevertrouwd|beauftrag\w*|ausgelagert|[üu]bernimmt|[üu]bernommen|confi[ée]\w*|externalis\w*)\b",
    re.I,
)
_PROCESSOR = re.compile(
    r"\b(?:sub-?processors?|processors?|on (?:our|its) behalf|on behalf of us|(?:sub-?)?verwerkers?(?:overeenkomst)?|"
    r"in opdracht van|Auftragsverarbeit\w*|Unterauftragsverarbeit\w*|in unserem Auftrag|sous-traitants?|"
    r"pour (?:notre|le) compte)\b",
    re.I,
)
_CONTROLLER = re.compile(
    r"(?:independent|separate|own) (?:data )?controllers?|joint controllers?|"
    r"zelfstandig(?:e)? verwerkingsverantwoordelijke|"
    r"eigenverantwortlich|gemeinsam Verantwortliche\w*|responsables? (?:de traitement )?(?:distincts?|"
    r"ind[ée]pendants?|conjoints?)",
    re.I,
)
_PURPOSES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.I))
    for label, pattern in (
        (
            "hosting",
            r"\bhost\w*|Hosting|gehost\w*|h[ée]berg\w*|Rechenzentrum|data ?cent(?:er|re)|datacenter|\bservers?\b",
        ),
        ("analytics", r"analy\w*|statisti\w*|mesure d'audience|\bmeten\b|\bmeasure\b"),
        ("email", r"newsletter|nieuwsbrief|lettre d'information|e-?mail\w*|mailing|messagerie"),
        ("payments", r"payment\w*|betaling\w*|Zahlung\w*|paiement\w*|billing|facturatie"),
        (
            "customer support",
            r"\bsupport\b|helpdesk|tickets?|klantenservice|Kundenservice|customer service|Ticketsystem",
        ),
        ("CRM", r"\bCRM\b|klantrelaties|relation client|customer relationship"),
        ("advertising", r"advert\w*|Werbung|publicit\w*|\bads\b"),
        ("delivery", r"deliver\w*|bezorg\w*|Versand|livr\w*|colis|pakket|shipping|parcel"),
        ("telephony", r"\bSMS\b|\bvoice\b|telefon\w*|telephon\w*|Telefonanlage|\bcalls?\b|Anrufe"),
        ("recruitment", r"recruit\w*|sollicit\w*|Bewerb\w*|recrutement|ressources humaines|human resources"),
        ("payroll", r"payroll|Lohn\w*|salaris\w*|\bpaie\b"),
        ("monitoring", r"monitoring|\berrors?\b"),
        ("transcription", r"transcri\w*|speech-to-text"),
        ("scheduling", r"Terminbuchung|appointment|scheduling|\bagenda\b"),
        ("dispute resolution", r"dispute"),
        ("communication", r"communicat\w*|Kommunikation|\bchat\b"),
    )
)

_UP = "A-ZÀ-ÖØ-Þ"  # capitals with accents: "Österreichische Post", "Électricité"
# A name starts a word, and each part is bounded: unanchored and unbounded, a 64 KB word without spaces cost minutes
# (every position started a match that ran to the word's end), a denial of service through vendorCheck.
_NAME = (rf"(?-i:(?<!\w)(?:[{_UP}][\w&'+]{{0,80}}(?:\.[A-Za-z]{{1,40}}){{0,6}}|[a-z]{{1,40}}[A-Z][\w]{{0,80}})"
         rf"(?:[ ](?:[{_UP}][\w&'+-]{{0,80}}|&|de|van|der|den)){{0,3}})")  # fmt: skip
_LEGAL = re.compile(
    r"(?:,?\s+(?:LLC|L\.L\.C\.|Inc\.?|Incorporated|Ltd\.?|Limited|plc|PLC|GmbH|AG|KG|SE|B\.V\.|BV|N\.V\.|NV|SA|S\.A\.|"
    r"SAS|SARL|SRL|SPRL|Corp\.?|Corporation|LLP|Pty|Pvt|Private Limited|Co\.?|eG|V\.O\.F\.|VOF|OÜ|S\.à r\.l\.|"
    r"Unlimited Company|Company))+\.?$"
)
# (pattern, strict): a strict pattern's name must look like a brand (CamelCase, capitals, digits, legal form).
_GENERIC: dict[str, tuple[tuple[re.Pattern[str], bool], ...]] = {
    "en": (
        (re.compile(rf"\bwe (?:also |only |currently |may )?(?:use|rely on|engage|work with|partner with)\s+(?:the\s+)?"
                    rf"(?P<name>{_NAME})", re.I), False),
        (re.compile(rf"\b(?:provided by|hosted (?:by|with|on)|operated by|powered by|supplied by|performed by|"
                    rf"handled by|"
                    rf"processed by)\s+(?:the\s+)?(?P<name>{_NAME})", re.I), False),
        (re.compile(rf"\b(?-i:provider|partner|processor|supplier|vendor|affiliate|subsidiary)\s+"
                    rf"(?P<name>{_NAME})", re.I), False),
        (re.compile(rf"\b(?:the|our) (?:tool|service|platform|software|app|plugin|solution)\s+"
                    rf"(?P<name>{_NAME})", re.I), False),
        (re.compile(rf"\b(?:via|through)\s+(?P<name>{_NAME})", re.I), True),
        (re.compile(rf"\b(?:the|our) (?:company|firm|contractor|agency|bureau)\s+(?P<name>{_NAME})", re.I), True),
    ),
    "nl": (
        (re.compile(rf"\b(?:maken? (?:wij |we )?(?:ook )?gebruik van|gebruiken (?:wij|we)(?: ook)?(?: hiervoor|"
                    rf" daarvoor)?|"
                    rf"werken (?:wij|we) (?:samen )?met|de dienst|het (?:\w*systeem|platform|pakket) van|"
                    rf"aangeboden door|"
                    rf"geleverd door|gehost (?:bij|door)|verzorgd door|verwerkt door)\s+"
                    rf"(?P<name>{_NAME})", re.I), False),
        (re.compile(rf"\b(?:leverancier|dienstverlener|partner|verwerker)\s+(?P<name>{_NAME})", re.I), False),
        (re.compile(rf"\bvia\s+(?P<name>{_NAME})", re.I), True),
        (re.compile(rf"\b(?:het bedrijf|de firma|de organisatie|het bureau|het kantoor)\s+(?P<name>{_NAME})", re.I),
         True),
    ),
    "de": (
        (re.compile(rf"\b(?:nutzen wir|verwenden wir|setzen wir|den Dienst|der Dienst|des Anbieters|Anbieter ist|"
                    rf"bereitgestellt von|betrieben von|gehostet (?:bei|von)|Plugin von|das Tool|[üu]ber|mit|"
                    rf"Dienstleister|Anbieter|Partner)\s+(?P<name>{_NAME})", re.I), True),
        # "die Abrechnungsstelle DZR", "das Rechenzentrum X", "die Firma X": a compound role noun, then a brand
        (re.compile(rf"\b(?:die|der|das|den|dem|unsere[mnrs]?)\s+(?-i:(?:[A-ZÄÖÜ][a-zäöüß]+)?(?:stelle|dienst|"
                    rf"zentrum|firma|Firma|Unternehmen|Gesellschaft|partner|anbieter|dienstleister|labor|agentur))\s+"
                    rf"(?P<name>{_NAME})", re.I), True),
    ),
    "fr": (
        (re.compile(rf"\b(?:nous utilisons|utilise|utilisons|faisons appel [àa]|fait appel [àa]|fourni par|"
                    rf"trait[ée]e?s? par|g[ée]r[ée]e?s? par|gr[âa]ce [àa]|confi[ée]e?s? [àa]|"
                    rf"h[ée]berg[ée]e?s? (?:par|chez)|exploit[ée] par|la solution|l'outil|la plateforme|le service|"
                    rf"prestataire|fournisseur|partenaire|sous-traitant)\s+(?P<name>{_NAME})", re.I), False),
        (re.compile(rf"\bvia\s+(?P<name>{_NAME})", re.I), True),
        (re.compile(rf"\b(?:la soci[ée]t[ée]|l'entreprise|le cabinet|l'agence|la start-up)\s+"
                    rf"(?P<name>{_NAME})", re.I), False),
    ),
}  # fmt: skip
# "Hetzner Online GmbH", "Acme Hosting B.V.": a name with a legal form is a company whatever the language; it
# counts when its sentence says data goes somewhere (a cue word), and it is not the document's own organisation.
_WITH_LEGAL_FORM = re.compile(
    rf"(?P<name>{_NAME})(?=(?P<form>,?\s+(?-i:LLC|L\.L\.C\.|Inc\.?|Ltd\.?|Limited|plc|PLC|GmbH|AG|SE|B\.V\.|BV|N\.V\.|"
    rf"SAS|SARL|S\.A\.S?|S\.à r\.l\.|SRL|S\.r\.l\.|SPRL|BVBA|Corp\.?|Corporation|LLP|OÜ|ApS|Oy|AB)\b))"
)
_CLASS_NOUN_AFTER = re.compile(
    r"[ -](?:service |support )?(?:providers?|companies|vendors?|partners?|suppliers?|dienstverleners?|leveranciers?|"
    r"Dienstleister\w*|Anbieter\w*|prestataires?|fournisseurs?)\b"
)
# Names that are instruments, laws or documents, not companies ("we use the International Data Transfer Agreement").
_NOT_A_COMPANY = re.compile(
    r"\b(?:Agreement|Clauses|Framework|Regulation|Act|Policy|Addendum|Decision|Rules|Directive|Shield|GDPR|AVG|DSGVO|"
    r"RGPD|Verordnung|Richtlijn|Wet|Gesetz|Loi|R[èe]glement|Statement|Notice|Terms|Conditions|Internet|Site|Website|"
    r"Article|Artikel|Section|Clause|Annex|Annexe|Anlage|Bijlage|Schedule|Chapter|Hoofdstuk|Kapitel|Chapitre)\b"
)
_PROVIDER_OF = re.compile(
    rf"(?:(?:a|an) (?:[\w-]+ ){{0,3}}service (?:provided by|of|from|offered by)|provided by|(?:a|an) product of|"
    rf"een (?:[\w-]+ )?dienst van|(?:aangeboden|geleverd) door|(?:einen?|ein) (?:[\w-]+ )?\w*[Dd]ienst (?:der|des|von)|"
    rf"bereitgestellt von|(?:un )?service d[e']|fourni par|(?:[ée]dit[ée]|propos[ée]) par|"
    rf"\((?:by|von|door|par|de|from|a product of|een product van)?)\s*(?P<name>{_NAME})",
    re.I,
)
_APPOSITIVE = re.compile(
    rf"^[\s\-•*\d.)]*(?P<a>{_NAME})(?:\s+(?:and|en|und|et)\s+(?P<b>{_NAME}))?,\s+(?:our|onze|unser\w*|notre|nos)\s+"
    rf"[^.;]{{0,60}}?\b(?:provider|partner|supplier|vendor|processor|leverancier|dienstverlener|Anbieter|Dienstleister|"
    rf"prestataire|fournisseur)s?\b",
    re.I | re.M,
)
_ROW = re.compile(
    r"^[ \t]*\|?[ \t]*(?P<bullet>[-•*–]|\d+[.)])?[ \t]*(?P<first>[^\n|;:]+?)"
    r"(?:[ \t]+(?:-|–|—|\|)[ \t]+|(?P<colon>:)[ \t]+)(?P<rest>[^\n]+)$",
    re.M,
)
_CELL_SEPARATOR = re.compile(r"[ \t](?:-|–|—|\|)(?:[ \t]|$)|[,;](?=[ \t])")
_HEADER = re.compile(r"^(?:sub-?processors?|name|entity|vendor|provider|company|subverwerker|naam|leverancier|"
                     r"unterauftragsverarbeiter|anbieter|sous-traitants?|nom|prestataire|"
                     r"soci[ée]t[ée])$", re.I)  # fmt: skip
_SUBPROCESSOR_DOC = re.compile(
    r"sub-?processors?|sub-?verwerkers?|Unterauftragsverarbeiter\w*|sous-traitants? ult[ée]rieurs?", re.I
)
_STOP_NAMES = frozenset(
    """The Our This These That Those Your We It Its Cookies Cookie Personal Data Site Website Services
    Service Internet Privacy Policy Terms Uw Onze Deze Dit Die Ihre Unsere Diese Dieser Vos Nos Notre
    Votre Ces Les La Le Des Un Une De Het Een Der Das Ein Eine A An Analytics Information Informationen
    Daten Données Gegevens Persoonsgegevens Sie Wir Nous Vous Wij Zij Hij Client Clients Customer
    Customers Klanten Kunden IT""".split()  # noqa: SIM905
)


@dataclass
class _Recipient:
    name: str
    source: str  # lexicon, pattern, table
    mentions: list[tuple[int, int]] = field(default_factory=list)
    rows: list[tuple[int, int]] = field(default_factory=list)  # table rows the name heads
    vendor: Vendor | None = None
    provider: str | None = None
    country_mentions: list[tuple[int, int]] = field(default_factory=list)  # the provider's mentions too


@lru_cache(maxsize=1)
def _vendor_pattern() -> re.Pattern[str]:
    return first_char_regex({*_VENDOR_BY_ALIAS, *NOT_RECIPIENTS}, r"(?!-\w|\.\w)")


def normalise(name: str) -> str:
    """Comparable form of a name: no legal form, no punctuation, case-folded."""
    name = _LEGAL.sub("", name.strip())
    return " ".join(re.sub(r"[^\w&+]+", " ", name).casefold().split())


def _clean_name(raw: str) -> str:
    name = re.split(r"\s*[(,]", raw.strip(), maxsplit=1)[0]
    name = re.sub(r"^[LlDd]['’]", "", name)  # French elision: "L'Imprimerie Dubois", "d'Axeptio"
    name = _LEGAL.sub("", name).strip(" .")
    return name


def _blocked(doc: Doc, i: int) -> bool:
    """A segment that links to, lists browsers, self-hosts, anonymises, or names data sources (also the list
    items under a 'we obtain data from:' heading)."""
    s = doc.seg(doc.segments[i])
    if _NOT_RECIPIENT_CONTEXT.search(s) or _SELF_HOSTED.search(s) or _SOURCE.search(s):
        return True
    blank_lines = 0
    for j in range(i - 1, -1, -1):  # up through the list items above, to their heading
        blank_lines += "\n\n" in doc.folded[doc.segments[j].end : doc.segments[j + 1].start]
        above = doc.seg(doc.segments[j])
        if blank_lines > 1:
            return False
        if above.rstrip().endswith(":"):
            return bool(_SOURCE.search(above))
        if len(above) > 100:  # a sentence, not a list item
            return False
    return False


# What retires a basis also retires a vendor ("no longer", "replaced", "nicht mehr"), plus a vendor's own words.
_RETIRED = re.compile(
    rf"{NO_LONGER.pattern}|\b(?:(?:was|were|has been|have been|is being) (?:removed|discontinued|terminated|"
    r"offboarded)|decided not to|not (?:yet )?(?:used|in use)|is verwijderd|wurde[n]? (?:entfernt|gekündigt)|"
    r"ausgeschlossen|excluded|uitgesloten|exclu[es]?\b|n'est pas utilis|a été (?:retir|supprim)\w*)",
    re.I,
)


def _retired_after(doc: Doc, seg: Segment, end: int) -> bool:
    """'Mailgun was removed as a sub-processor', 'we evaluated Zendesk but decided not to use it'."""
    stop = doc.folded.find(";", end, seg.end)  # "Mailgun was removed; email moved to Postmark": not Postmark
    return bool(_RETIRED.search(doc.folded, end, seg.end if stop < 0 else stop))


def _negated(doc: Doc, seg: Segment, start: int) -> bool:
    return negated_before(doc.folded, seg, start) or bool(_NEGATED_AFTER.search(doc.seg(seg)))


class _Collector:
    def __init__(self, doc: Doc, own: set[str]) -> None:
        self.doc = doc
        self.own = own
        self.found: dict[str, _Recipient] = {}
        self.blocked: dict[int, bool] = {}
        self.subprocessor_doc = bool(_SUBPROCESSOR_DOC.search(doc.folded))

    def ok_segment(self, seg: Segment | None) -> bool:
        if seg is None:
            return False
        i = self.doc.index_at(seg.start)
        if i not in self.blocked:
            self.blocked[i] = _blocked(self.doc, i)
        return not self.blocked[i]

    def add(self, name: str, start: int, end: int, source: str, vendor: Vendor | None = None,
            row: tuple[int, int] | None = None) -> None:  # fmt: skip
        key = normalise(name)
        if not key or key in self.own or any(key == o.split()[0] for o in self.own if o):
            return
        rec = self.found.setdefault(key, _Recipient(name, source, vendor=vendor))
        rec.mentions.append((start, end))
        if row:
            rec.rows.append(row)


def _lexicon_mentions(c: _Collector) -> list[tuple[int, int]]:
    doc, taken, cued = c.doc, [], dict[int, bool]()
    matches = [(m, _VENDOR_BY_ALIAS.get(m.group())) for m in _vendor_pattern().finditer(doc.folded)]
    self_hosted = {  # "Matomo, dat op onze eigen server draait": then no mention of Matomo is a recipient
        v.name for m, v in matches if v and _SELF_HOSTED.search(doc.seg(doc.segment_at(m.start()) or _NO_SEGMENT))
    }
    for m, vendor in matches:
        if vendor is None or vendor.name in self_hosted or in_url_or_email(doc.folded, m.start(), m.end()):
            continue  # a browser or app store (masked), self-hosted software, or a web address
        seg = doc.segment_at(m.start())
        if seg is None or not c.ok_segment(seg) or _negated(doc, seg, m.start()):
            continue
        row = _row_of(doc, m.start())
        if vendor.kind == "company" and not (row or _cued(doc, m.start(), cued)):
            continue  # "Google", "Microsoft": named for many reasons; a product name is named for its use
        if _retired_after(doc, seg, m.end()):
            continue
        c.add(vendor.name, m.start(), m.end(), "lexicon", vendor, row)
        taken.append((m.start(), m.end()))
    return taken


def _row_of(doc: Doc, pos: int) -> tuple[int, int] | None:
    """The sub-processor-table row holding ``pos`` (a line with ' - ' or '|' separated cells), if any."""
    ls = doc.folded.rfind("\n", 0, pos) + 1
    le = doc.folded.find("\n", pos)
    le = len(doc.folded) if le < 0 else le
    m = _ROW.match(doc.folded, ls, le)
    if m and len(doc.folded[ls:le]) < 300:
        return (ls, le)
    return None


def _table_rows(c: _Collector, taken: list[tuple[int, int]]) -> None:
    """Rows of a sub-processor list whose first cell is a name that is not in the lexicon."""
    doc = c.doc
    for m in _ROW.finditer(doc.folded):
        first_start, first_end = m.span("first")
        if any(first_start <= a < first_end for a, _ in taken):
            continue  # a lexicon name heads the row
        if not (c.subprocessor_doc or _PROCESSOR.search(m.group("rest"))):
            continue
        if len(_CELL_SEPARATOR.findall(m.group("rest"))) < 1:  # name - purpose - location: a title has one dash
            continue
        raw = m.group("first")
        if m.group("colon") and not (m.group("bullet") and _brand_like(raw.strip())):
            continue  # "Hinweis: ...", "Hosting: ...": a label, unless a listed brand ("- Twilio Inc.: sms")
        lead = len(raw) - len(raw.lstrip())
        name = _clean_name(raw)
        if not re.match(rf"[{_UP}0-9]", name) or len(name.split()) > 6 or name.split()[0] in _STOP_NAMES:
            continue
        if _HEADER.match(name) or _NOT_A_COMPANY.search(name) or re.search(r"\b[a-zäöüéè]{2,}\b", name):
            continue  # a header row, a title, or a phrase with lower-case words ("Anlage 3 zum ...")
        seg = doc.segment_at(first_start + lead)
        if seg is None or not c.ok_segment(seg):
            continue
        start = first_start + lead
        c.add(name, start, start + len(name), "table", None, (m.start(), m.end()))


def _brand_like(name: str) -> bool:
    """Looks like a brand rather than a capitalised noun: CamelCase, capitals, digits or a legal form. German
    capitalises every noun, and "via Internet" is no recipient."""
    return bool(re.search(r"[a-z][A-Z]|^[A-Z0-9]{2,}\b|\d", name)) or bool(_LEGAL.search(name))


def _cued(doc: Doc, pos: int, memo: dict[int, bool]) -> bool:
    """Whether the sentence at ``pos`` has a cue word; once per sentence (a 1 MB one may hold 100k names)."""
    seg = doc.segment_at(pos)
    if seg is None:
        return False
    if seg.start not in memo:
        memo[seg.start] = bool(_CUE.search(doc.seg(seg)))
    return memo[seg.start]


def _pattern_mentions(c: _Collector, taken: list[tuple[int, int]]) -> None:
    doc, cued = c.doc, dict[int, bool]()
    patterns = [p for lang in doc.languages for p in _GENERIC.get(lang, ())]
    for pattern, strict in [*patterns, (_APPOSITIVE, False), (_WITH_LEGAL_FORM, False)]:
        for m in pattern.finditer(doc.folded):
            for group in ("name", "a", "b"):
                if group not in pattern.groupindex or m.group(group) is None:
                    continue
                start, end = m.span(group)
                if any(a < end and start < b for a, b in taken):
                    continue
                if pattern is _WITH_LEGAL_FORM and (
                    not _cued(doc, start, cued) or self_reference(doc, start, m.end("form"))
                ):
                    continue
                if pattern is _WITH_LEGAL_FORM:  # "Dienst der InnoCraft Ltd.": the company is after the genitive
                    genitive = re.match(r"(?:\S+ )+?(?:der|des) (?=\S)", doc.folded[start:end])
                    start += genitive.end() if genitive else 0
                name = _clean_name(doc.text[start:end])
                if not name or name.split()[0] in _STOP_NAMES or (strict and not _brand_like(name)):
                    continue
                if _NOT_A_COMPANY.search(name) or doc.is_masked(start, start + len(name)):
                    continue
                if _CLASS_NOUN_AFTER.match(doc.folded, start + len(name)):
                    continue  # "we work with IT service providers": a class, not a name
                seg = doc.segment_at(start)
                if seg is None or not c.ok_segment(seg) or _negated(doc, seg, start):
                    continue
                if _retired_after(doc, seg, start + len(name)):
                    continue
                c.add(name, start, start + len(name), "pattern")
                taken.append((start, start + len(name)))


def _fold_providers(c: _Collector) -> None:
    """'X, a service of Y' and product/company pairs: Y becomes X's provider, not a recipient of its own."""
    doc, found = c.doc, c.found
    for m in _PROVIDER_OF.finditer(doc.folded):
        y_start = m.start("name")
        y_key = normalise(_clean_name(doc.text[y_start : m.end("name")]))
        y_vendor = _VENDOR_BY_ALIAS.get(doc.folded[y_start : m.end("name")].split(",")[0].strip())
        if y_vendor:
            y_key = normalise(y_vendor.name)
        before = [
            (e, k) for k, r in found.items() for _, e in r.mentions if y_start - 100 <= e <= m.start() and k != y_key
        ]
        if not before or y_key not in found:
            continue
        gap = doc.folded[max(before)[0] : m.start()]
        if m.group().startswith("("):  # "Postmark (ActiveCampaign, LLC)", "Auth0 (by Okta)": right after the name
            if gap.strip():
                continue
        elif not re.match(r"\s*[,(]", gap) or re.search(r"\b(?:and|en|und|et|or|of|oder|ou)\b|[.;]", gap):
            continue  # not "X, a service of Y" but "X, and ... is provided by Y": Y is a recipient of its own
        product = found[max(before)[1]]
        product.provider = product.provider or found[y_key].name
        product.country_mentions += found[y_key].mentions
        del found[y_key]
    for rec in list(found.values()):
        if rec.vendor and rec.vendor.provider:
            company = normalise(rec.vendor.provider)
            rec.provider = rec.provider or rec.vendor.provider
            if company in found:
                rec.country_mentions += found[company].mentions
    for rec in list(found.values()):
        if rec.vendor and rec.vendor.provider and normalise(rec.vendor.provider) in found:
            del found[normalise(rec.vendor.provider)]


def _country(doc: Doc, rec: _Recipient, places: list[Place], others: list[tuple[int, int]]) -> Place | None:
    """A place in the recipient's table row, or right after its name in the sentence ('X in the United States')."""
    for lo, hi in rec.rows:
        inside = [p for p in places if lo <= p.start < hi]
        if inside:
            return inside[-1]
    for start, end in [*rec.mentions, *rec.country_mentions]:
        seg = doc.segment_at(start)
        if seg is None:
            continue
        nxt = min([o for o, _ in others if o > end and (o, _) not in rec.mentions] + [seg.end])
        after = [p for p in places if end <= p.start < min(nxt, end + 100)]
        if after:
            return after[0]
        based = [
            p for p in places if start - 80 <= p.start < start and re.match(r"-based|-gebaseerd", doc.folded[p.end :])
        ]
        if based and seg.start <= based[-1].start:
            return based[-1]
    return None


def _role(doc: Doc, rec_segments: list[Segment], subprocessor_doc: bool) -> str:
    texts = " ".join(doc.seg(s) for s in rec_segments)
    if subprocessor_doc or _PROCESSOR.search(texts):
        return "processor"
    if _CONTROLLER.search(texts):
        return "controller"
    return "unknown"


def _purpose(text: str) -> str | None:
    labels = [label for label, p in _PURPOSES if p.search(text)]
    return ", ".join(labels[:2]) if labels else None


def _purpose_near(doc: Doc, start: int, end: int, mentions: list[tuple[int, int]]) -> str | None:
    """Purpose words after the name up to the next name in the sentence, else before it back to the previous."""
    seg = doc.segment_at(start)
    if seg is None:
        return None
    nxt = min([a for a, _ in mentions if a >= end] + [seg.end])
    prv = max([b for _, b in mentions if b <= start] + [seg.start])
    return _purpose(doc.folded[end:nxt]) or _purpose(doc.folded[prv:start])


def _evidence(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """The name plus the nearest word that says it receives data ('use cookies from X', 'X - hosting')."""
    seg = doc.segment_at(start)
    if seg is None:
        return start, end
    cues = [m for m in _CUE.finditer(doc.folded, max(seg.start, start - 60), min(seg.end, end + 60))
            if m.end() <= start or m.start() >= end]  # fmt: skip
    if not cues:
        return start, end
    best = min(cues, key=lambda m: start - m.end() if m.end() <= start else m.start() - end)
    return min(start, best.start()), max(end, best.end())


def _named_facts(c: _Collector, places: list[Place]) -> list[DraftFact]:
    doc, facts = c.doc, []
    all_mentions = [m for r in c.found.values() for m in r.mentions]
    for rec in sorted(c.found.values(), key=lambda r: r.mentions[0][0]):
        start, end = rec.mentions[0]
        lo, hi = _evidence(doc, start, end)
        span = clipped_span(doc.text, lo, hi, start, end)
        segs = [s for s in (doc.segment_at(a) for a, _ in rec.mentions) if s is not None]
        detail = {"role": _role(doc, segs, c.subprocessor_doc), "source": rec.source}
        purpose = _purpose(" ".join(doc.folded[a:b] for a, b in rec.rows)) or _purpose_near(
            doc, start, end, all_mentions
        )
        if purpose:
            detail["purpose"] = purpose
        if rec.provider and normalise(rec.provider) != normalise(rec.name):
            detail["provider"] = rec.provider
        if rec.vendor:
            detail["vendor_kind"] = rec.vendor.kind
        place = _country(doc, rec, places, all_mentions)
        if place:
            detail["country"] = place.code
            detail["country_span"] = f"{place.start}:{place.end}"
        facts.append(DraftFact(FactKind.RECIPIENT, rec.name, span, detail))
    return facts


def _class_facts(c: _Collector, places: list[Place], named_spans: list[tuple[int, int]]) -> list[DraftFact]:
    doc = c.doc
    appositives = [m.span() for m in _APPOSITIVE.finditer(doc.folded)]
    first: dict[str, tuple[int, int, Segment]] = {}
    pos = 0
    while (m := CLASS_PATTERN.search(doc.lower, pos)) is not None:
        pos = m.start() + 1  # overlapping: "providers of CRM, marketing ... providers of background check services"
        if m.lastgroup is None or (
            int(m.lastgroup[1:]) in CLASS_UPPER_IT and doc.folded[m.start() : m.start() + 2] != "IT"
        ):
            continue
        seg = doc.segment_at(m.start())
        if seg is None or not c.ok_segment(seg) or _negated(doc, seg, m.start()):
            continue
        if any(a <= m.start() < b for a, b in appositives) or any(a <= m.start() < b for a, b in named_spans):
            continue
        if any(
            0 <= m.start() - b <= 4 and doc.folded[b : m.start()].strip() in (",", "(", "-") for _, b in named_spans
        ):
            continue  # an apposition describing a named recipient, not an unnamed class
        for label in CLASS_LABELS[int(m.lastgroup[1:])]:
            if label not in first:
                first[label] = (m.start(), m.end(), seg)
    facts = []
    for label, (start, end, seg) in sorted(first.items(), key=lambda kv: kv[1][0]):
        detail = {"unnamed": "true", "role": _role(doc, [seg], False), "purpose": CLASS_PURPOSES[label]}
        after = [p for p in places if end <= p.start < min(seg.end, end + 60)]
        if after:
            detail["country"] = after[0].code
            detail["country_span"] = f"{after[0].start}:{after[0].end}"
        facts.append(DraftFact(FactKind.RECIPIENT, label, make_span(doc.text, start, end), detail))
    return facts


def recipient_facts(doc: Doc, places: list[Place], own_names: list[str]) -> list[DraftFact]:
    """Named recipients first (one fact per name), then unnamed classes (one fact per class)."""
    c = _Collector(doc, {normalise(n) for n in own_names if n})
    taken = _lexicon_mentions(c)
    _table_rows(c, taken)
    _pattern_mentions(c, taken)
    _fold_providers(c)
    named = _named_facts(c, places)
    spans = [m for r in c.found.values() for m in r.mentions]
    return named + _class_facts(c, places, spans)
