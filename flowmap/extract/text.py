"""Text plumbing shared by the extractors: a folded copy, sentence and line segments, spans, negation.

The extractors match on a *folded* copy of the text in which typographic variants (curly quotes, dashes,
no-break spaces) are replaced one character for one. Offsets into the fold are offsets into the original,
so every span quotes the original text exactly.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from flowmap.domain.models import MAX_QUOTE_WORDS as MODEL_QUOTE_WORDS
from flowmap.extract.facts import Span

# Evidence quotes stay as short as the map's own (flowmap.domain.models); clipping keeps the value-bearing phrase.
MAX_QUOTE_WORDS = MODEL_QUOTE_WORDS

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\t": " ",
    }
)


def fold(text: str) -> str:
    """Typographic variants to ASCII, one character for one, so offsets stay valid."""
    return text.translate(_FOLD)


# Words before a full stop that do not end a sentence (lower case, without the final dot).
_ABBREVIATIONS = frozenset(
    """inc ltd llc co corp e.g i.e etc no nr nrs art arts abs lit bzw z.b u.a ca resp vs st dr mr mrs ms
    prof cf incl excl approx dept ggf evtl o.a m.b.t t.a.v i.v.m bijv d.w.z m.a.w sq vol pp ref al mme
    mlle s.a s.à r.l s.c.a sarl b.v n.v b.v.b.a c.v.b.a u.s u.k e.u u.s.a plc gmbh jr sr""".split()  # noqa: SIM905
)
_MONTHS = re.compile(
    r"\s+(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember)\b"
)
_SENTENCE_END = re.compile(r"[.!?](?=[\"')\]]*\s+[\"'(\[]*[A-Z0-9ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ•*-])")
_LAST_TOKEN = re.compile(r"[\w.&'-]+$")
_INITIALS = re.compile(r"(?:[A-Za-z]\.)*[A-Za-z]")


@dataclass(frozen=True)
class Segment:
    """A sentence, or a line when lines are not sentences (list items, table rows, headings)."""

    start: int
    end: int
    line_start: int  # the line this segment is on
    line_end: int


def _ends_sentence(folded: str, line_start: int, dot: int) -> bool:
    if folded[dot] != ".":
        return True
    found = _LAST_TOKEN.search(folded, max(line_start, dot - 24), dot)
    if not found:
        return True
    token = found.group().lstrip("'-")
    last = token.rsplit("-", 1)[-1]  # "EU-U.S." ends in "U.S."
    if any(t.lower() in _ABBREVIATIONS or _INITIALS.fullmatch(t) for t in (token, last)):
        return False
    # "1." numbering a list item, or "4. Juni" a German date
    return not (token.isdigit() and (found.start() == line_start or _MONTHS.match(folded, dot + 1)))


def segments(folded: str) -> list[Segment]:
    """Split into sentences within lines; a line break always ends a segment."""
    out: list[Segment] = []
    for line in re.finditer(r"[^\n]+", folded):
        ls, le = line.span()
        start = ls
        for m in _SENTENCE_END.finditer(folded, ls, le):
            if _ends_sentence(folded, ls, m.start()):
                _append(out, folded, start, m.end(), ls, le)
                start = m.end()
        _append(out, folded, start, le, ls, le)
    return out


def _append(out: list[Segment], folded: str, start: int, end: int, ls: int, le: int) -> None:
    while start < end and folded[start].isspace():
        start += 1
    while end > start and folded[end - 1].isspace():
        end -= 1
    if start < end:
        out.append(Segment(start, end, ls, le))


@dataclass
class Doc:
    """What every extractor reads: the original text, its fold, the language and the segments."""

    text: str
    folded: str
    language: str
    segments: list[Segment]
    masked: list[tuple[int, int]] = field(default_factory=list)  # names of mechanisms: not places
    _starts: list[int] = field(default_factory=list)
    _buckets: dict[re.Pattern[str], dict[int, list[re.Match[str]]]] = field(default_factory=dict)
    _lower: str | None = None

    @property
    def lower(self) -> str:
        """The fold in lower case, same length (for patterns written in lower case, matched without IGNORECASE)."""
        if self._lower is None:
            low = self.folded.lower()
            if len(low) != len(self.folded):  # a few characters lower-case to two ("İ"): keep those as they are
                low = "".join(c.lower() if len(c.lower()) == 1 else c for c in self.folded)
            self._lower = low
        return self._lower

    @classmethod
    def of(cls, text: str, language: str) -> Doc:
        folded = fold(text)
        segs = segments(folded)
        return cls(text, folded, language, segs, [], [s.start for s in segs])

    @property
    def languages(self) -> tuple[str, ...]:
        """The document's language first, then English, whose terms other-language documents borrow."""
        if self.language in ("nl", "de", "fr"):
            return (self.language, "en")
        return ("en",)

    def segment_at(self, pos: int) -> Segment | None:
        i = bisect_right(self._starts, pos) - 1
        if i >= 0 and self.segments[i].start <= pos < self.segments[i].end:
            return self.segments[i]
        return None

    def index_at(self, pos: int) -> int:
        """Index of the segment holding ``pos``, or -1 (between segments)."""
        i = bisect_right(self._starts, pos) - 1
        return i if i >= 0 and pos < self.segments[i].end else -1

    def bucket(self, pattern: re.Pattern[str]) -> dict[int, list[re.Match[str]]]:
        """All matches of ``pattern`` in the fold, by segment index: one pass over the text, cached."""
        found = self._buckets.get(pattern)
        if found is None:
            found = {}
            for m in pattern.finditer(self.folded):
                i = self.index_at(m.start())
                if i >= 0:
                    found.setdefault(i, []).append(m)
            self._buckets[pattern] = found
        return found

    def seg(self, s: Segment) -> str:
        return self.folded[s.start : s.end]

    def is_masked(self, start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in self.masked)


def make_span(text: str, start: int, end: int) -> Span:
    """A span trimmed of surrounding blanks and dangling separators; its quote is the text itself."""
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return Span(start, end, text[start:end])


def clipped_span(text: str, start: int, end: int, core_start: int, core_end: int) -> Span:
    """The window [start, end) cut to at most MAX_QUOTE_WORDS words, always keeping [core_start, core_end)."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[start:end])]
    words = [(a + start, b + start) for a, b in words]
    if len(words) <= MAX_QUOTE_WORDS:
        return make_span(text, start, end)
    core = [i for i, (a, b) in enumerate(words) if b > core_start and a < core_end] or [0]
    lo, hi = core[0], core[-1]
    while hi - lo + 1 < MAX_QUOTE_WORDS and (lo > 0 or hi < len(words) - 1):
        if hi < len(words) - 1:
            hi += 1
        if lo > 0 and hi - lo + 1 < MAX_QUOTE_WORDS:
            lo -= 1
    if hi - lo + 1 > MAX_QUOTE_WORDS:  # the core itself is too long: keep its start
        hi = lo + MAX_QUOTE_WORDS - 1
    return make_span(text, words[lo][0], words[hi][1])


# Negation in the four languages. "noch" is left out: in German it means "still".
NEGATION = re.compile(
    r"(?<![\w-])(?:not|no|never|neither|nor|none|without|cannot|niet|geen|nooit|geenszins|zonder|nicht|kein|keine"
    r"|keinen|keinem|keiner|keines|nie|niemals|weder|ohne|ne|pas|jamais|aucun|aucune|sans|ni)(?![\w-])|n't\b|\bn'",
    re.IGNORECASE,
)
INSTEAD = re.compile(r"instead of|rather than|in plaats van|anstelle von|\bstatt\b|au lieu de|plutôt que", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|\s-\s|\b(?:but|however|maar|aber|jedoch|mais|cependant)\b")


def clause_start(folded: str, seg: Segment, pos: int) -> int:
    """Where the clause holding ``pos`` starts: after the last ';', ':', dash or 'but' before it."""
    start = seg.start
    for m in _CLAUSE_BREAK.finditer(folded, seg.start, pos):
        start = m.end()
    return start


def clause_end(folded: str, seg: Segment, pos: int) -> int:
    m = _CLAUSE_BREAK.search(folded, pos, seg.end)
    return m.start() if m else seg.end


# Phrases with a negation word that negate nothing.
NOT_A_NEGATION = re.compile(
    r"(?:but )?not limited to|(?:maar )?niet beperkt tot|nicht (?:darauf )?beschr[äa]nkt auf|sans (?:s'y )?limit\w*|"
    r"non limitativ\w*|not only|niet alleen|nicht nur|non seulement|ne \w+ que\b",
    re.IGNORECASE,
)


def negated_before(folded: str, seg: Segment, pos: int, words: int = 6) -> bool:
    """A negation (or 'instead of') among the last few words of the clause before ``pos``."""
    before = NOT_A_NEGATION.sub(" ", folded[clause_start(folded, seg, pos) : pos])
    tail = " ".join(before.split()[-words:])
    return bool(NEGATION.search(tail) or INSTEAD.search(tail))


def in_url_or_email(folded: str, start: int, end: int) -> bool:
    """True for a match inside a web address or an e-mail address (e.g. legal.hubspot.com)."""
    lo = start
    while lo > 0 and not folded[lo - 1].isspace():
        lo -= 1
    hi = end
    while hi < len(folded) and not folded[hi].isspace():
        hi += 1
    token = folded[lo:hi]
    return "@" in token or "://" in token or token.lower().startswith("www.")


# A sentence that says what it names no longer applies: "was invalidated", "replaced", "nicht mehr".
NO_LONGER = re.compile(
    r"no longer|invalidat\w*|not (?:be )?valid|ceased|repealed|replaced|superseded|niet langer|niet meer|ongeldig|"
    r"ingetrokken|vervangen|nicht mehr|ung[üu]ltig|aufgehoben|ersetzt|n'est plus|ne \w+ plus|invalid[ée]\w*|"
    r"annul[ée]\w*|abrog[ée]\w*|remplac[ée]\w*",
    re.I,
)
# "Before 2016 we relied on Safe Harbor", "bis 2020 auf den Privacy Shield": a past basis, not a current one.
_PAST = re.compile(
    r"\b(?:until|till|before|up to|prior to|bis|vor|tot|voor|jusqu'en|avant)\s+(?:\d{1,2}\.?\s+\w+\s+)?"
    r"(?:19|20)\d{2}\b|\b(?:formerly|previously|früher|vormals|vroeger|voorheen|auparavant|autrefois)\b",
    re.I,
)
# The next sentence retires what this one named: "... Privacy Shield. It is no longer used."
_RETIRED_NEXT = re.compile(r"^(?:This|That|It|These|Dieser|Diese|Dies|Das|Er|Deze|Dit|Die|Het|Celui-ci|Ce|Il|Elle)\b")


def no_longer_applies(doc: Doc, i: int) -> bool:
    """Segment ``i`` names something as past: retired in the sentence itself, dated before now, or in the next."""
    s = doc.seg(doc.segments[i])
    nxt = doc.seg(doc.segments[i + 1]) if i + 1 < len(doc.segments) else ""
    return bool(NO_LONGER.search(s) or _PAST.search(s) or (_RETIRED_NEXT.match(nxt) and NO_LONGER.search(nxt)))
