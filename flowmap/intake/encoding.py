"""Bytes to text for vendor uploads, whatever their encoding, without ever failing on a bad byte.

Order: a byte-order mark, then strict UTF-8, then the charset the file declares (HTML/XML), then
Windows-1252 when that reading is recognisably prose in a Western language, then charset-normalizer's
guess among common legacy code pages, then Windows-1252, then Latin-1 (which decodes any byte).
charset-normalizer alone misreads short Western texts (it calls Dutch cp1252 "mac_latin2"), hence
the language check before it.
"""

from __future__ import annotations

import codecs
import re

from flowmap.intake.errors import ACCEPTED, IntakeError
from flowmap.intake.language import UNDETERMINED, detect_language

_BOMS = (  # UTF-32 before UTF-16: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
# Encodings worth guessing between; left to itself charset-normalizer picks EBCDIC or Mac code pages for short text.
_CANDIDATES = [
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "iso8859_2", "iso8859_5",
    "iso8859_7", "iso8859_15", "koi8_r", "shift_jis", "euc_jp", "gb18030", "big5", "euc_kr", "latin_1",
]  # fmt: skip
_SAMPLE = 8192
_MAX_CONTROL_SHARE = 0.05


def _bom(data: bytes) -> str | None:
    return next((codec for bom, codec in _BOMS if data.startswith(bom)), None)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a mark has a NUL in every other byte (for Latin script)."""
    sample = data[:_SAMPLE]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) > 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _try(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared(data: bytes) -> str | None:
    """The charset a page declares; "iso-8859-1" and "ascii" mean Windows-1252, as browsers read them."""
    match = _DECLARED.search(data[:2048])
    if match is None:
        return None
    label = match.group(1).decode("ascii")
    try:
        codec = codecs.lookup(label).name
    except LookupError:
        return None
    return _try(data, "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec)


def _guessed(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 1024 * 1024], cp_isolation=_CANDIDATES).best()
    return _try(data, best.encoding) if best is not None else None


def _western(data: bytes) -> str | None:
    text = _try(data, "cp1252")
    return text if text is not None and detect_language(text) != UNDETERMINED else None


def _looks_binary(text: str) -> bool:
    """Many control characters (or U+FFFD) mean the bytes were never text."""
    sample = text[:_SAMPLE]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or ch == "\ufffd")
    return bool(sample) and bad / len(sample) > _MAX_CONTROL_SHARE


def decode(name: str, data: bytes) -> str:
    """The text of ``data`` with newlines normalised to \\n; IntakeError when it is binary, not text."""
    codec = _bom(data) or _utf16_without_bom(data)
    text = _try(data, codec) if codec else None
    if text is None:
        if b"\x00" in data[:_SAMPLE]:
            raise IntakeError(name, f"this is a binary file, not a text document. Accepted: {ACCEPTED}.")
        text = (
            _try(data, "utf-8")
            or _declared(data)
            or _western(data)
            or _guessed(data)
            or _try(data, "cp1252")
            or data.decode("latin-1")
        )
    if _looks_binary(text):
        raise IntakeError(name, f"this is a binary file, not a text document. Accepted: {ACCEPTED}.")
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
