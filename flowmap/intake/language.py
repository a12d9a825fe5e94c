"""Language of a vendor document by stop-word counts: deterministic, no models, no downloads.

Legal texts are long and full of function words, so counting the commonest words of each language
is enough to tell English, Dutch, German and French apart (Spanish and Italian are scored too, so a
Spanish policy is not mislabelled French). A word shared by several languages counts for each of
them in equal parts, so "de" or "in" barely moves the result.
"""

from __future__ import annotations

import re
from collections import Counter

UNDETERMINED = "und"
_MAX_TOKENS = 20_000
_MAX_CHARS = 200_000  # enough words for any verdict; a 20 MB text need not be scanned whole
_MIN_HITS = 2
_MIN_SHARE = 0.1  # below this share of stop words the text is likely not prose (a code listing, a list of names)

_WORDS: dict[str, str] = {
    "en": """the of and to in is are that for it with as on be by this we you your our or not from at an will may
        have has which can if such any these those their they us its other when where who been were was would should
        about also all more only into under than there what how do does shall must including within without through""",
    "nl": """de het een en van in is dat die op te voor met zijn wij we u uw onze ons niet aan door worden wordt of als
        bij naar om ook deze dit kan kunnen heeft hebben zal zullen uit over tot wanneer waar welke hun er nog maar dan
        geen onder tussen zoals indien moet mogen wie wat hoe ze zij je jouw jij meer alle andere hierbij daarbij""",
    "de": """der die das und in zu den von ist mit dem des sie für auf nicht ein eine einer eines einem einen als auch
        es an werden wird aus bei oder wir ihre ihr ihnen uns unsere unser sind nach zur zum im durch über wenn sowie
        dass diese dieser dieses kann können haben hat nur noch wie was wer sofern soweit gemäß um sich
        zwischen unter""",
    "fr": """le la les de des du un une et en à au aux est sont que qui dans pour par sur avec ne pas nous vous votre
        vos notre nos ce cette ces il elle ils leur leurs sera peut peuvent être ont ou où si lorsque selon afin dont
        entre sans sous aussi plus tout tous toute toutes se sa son ses y d qu l""",
    "es": """el la los las de del y en a que es son un una por para con no su sus se lo al como más o este esta estos
        nosotros usted nuestro nuestra puede pueden será ser cuando donde también entre sin sobre hasta""",
    "it": """il lo la i gli le di del della dei delle e è in a che per con un una non si da al alla sono come più o
        questo questa nostro nostra suoi sua suo può possono essere quando dove anche tra fra senza sul sulla nel
        nella l""",
}
_LANGS = tuple(_WORDS)
_SETS = {lang: frozenset(words.split()) for lang, words in _WORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+")


def _weights() -> dict[str, dict[str, float]]:
    """Per word, the share of a hit each language gets (1/k for a word in k lists)."""
    out: dict[str, dict[str, float]] = {}
    for lang, words in _SETS.items():
        for word in words:
            out.setdefault(word, {})[lang] = 1.0
    for shares in out.values():
        for lang in shares:
            shares[lang] = 1.0 / len(shares)
    return out


_WEIGHTS = _weights()


def language_scores(text: str) -> dict[str, float]:
    """Weighted stop-word hits per language, as a share of all words (for diagnostics and tests)."""
    tokens = _TOKEN.findall(text[:_MAX_CHARS].lower())[:_MAX_TOKENS]
    if not tokens:
        return dict.fromkeys(_LANGS, 0.0)
    scores = dict.fromkeys(_LANGS, 0.0)
    for word, count in Counter(tokens).items():
        for lang, share in _WEIGHTS.get(word, {}).items():
            scores[lang] += share * count
    return {lang: score / len(tokens) for lang, score in scores.items()}


def detect_language(text: str) -> str:
    """ISO 639-1 code of the text's language, or "und" when the evidence is too thin or tied."""
    tokens = _TOKEN.findall(text[:_MAX_CHARS].lower())[:_MAX_TOKENS]
    scores = language_scores(text)
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, runner_up) = ranked[0], ranked[1]
    hits = sum(1 for token in tokens if token in _SETS[best])
    if hits < _MIN_HITS or top < _MIN_SHARE or top <= runner_up:
        return UNDETERMINED
    return best
