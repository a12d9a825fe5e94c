"""HTML to text and to tables with the standard library's parser, which never raises on bad markup."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "object", "canvas"})
_BREAK = frozenset({"br", "tr", "li", "dt", "dd", "hr", "option", "caption", "figcaption", "address"})
_PARAGRAPH = frozenset(
    {"p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "table", "ul", "ol", "dl",
     "blockquote", "pre", "form", "fieldset", "figure", "title", "h1", "h2", "h3", "h4", "h5", "h6", "body"}
)  # fmt: skip
_HEADINGS = frozenset({"title", "h1", "h2", "h3", "h4", "h5", "h6", "caption"})
_LINE, _PARA = "\x00L", "\x00P"  # break markers, resolved once the whole page is read
_MARKS = re.compile("(?:[ \t]*\x00[LP][ \t]*)+")
_MAX_SPAN = 100  # a colspan/rowspan beyond this is a typo or an attack, not a layout
_MAX_COLUMNS = 200


class _TextParser(HTMLParser):
    """Collects visible text; block elements become line breaks, table cells tabs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag == "pre":
            self.pre += 1
        self._structure(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._structure(tag)  # <br/>, <hr/>: no content to skip

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in ("td", "th"):
            self.parts.append("\t")
        elif tag != "br":
            self._structure(tag)

    def _structure(self, tag: str) -> None:
        if tag in _PARAGRAPH:
            self.parts.append(_PARA)
        elif tag in _BREAK:
            self.parts.append(_LINE)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        data = data.replace("\x00", "").replace("\xa0", " ")
        if not self.pre:
            data = re.sub(r"[ \t\n\r\f\v]+", " ", data)
            if data.startswith(" ") and (not self.parts or self.parts[-1].endswith((" ", "\t", _LINE, _PARA))):
                data = data[1:]
        self.parts.append(data)

    def text(self) -> str:
        """Runs of break markers become one line break, or a blank line if any of them ends a paragraph."""
        joined = _MARKS.sub(lambda m: "\n\n" if _PARA in m.group() else "\n", "".join(self.parts))
        lines = [line.rstrip(" \t") for line in joined.split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def html_text(source: str) -> str:
    """The visible text of an HTML page: no scripts or styles, entities decoded, one block per line."""
    parser = _TextParser()
    parser.feed(source)
    parser.close()
    return parser.text()


@dataclass
class RawTable:
    """A table's cells as text, each row with the source line it starts on."""

    line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


@dataclass
class _OpenTable:
    table: RawTable
    row: list[str] | None = None
    row_line: int = 0
    cell: list[str] | None = None
    cell_span: tuple[int, int] = (1, 1)
    pending: dict[int, tuple[int, str]] = field(default_factory=dict)  # column → (rows left, text) from rowspan


def _span(attrs: list[tuple[str, str | None]], name: str) -> int:
    value = (dict(attrs).get(name) or "1").strip()
    return min(int(value), _MAX_SPAN) if value.isascii() and value.isdigit() and int(value) > 0 else 1


class _TableParser(HTMLParser):
    """Collects every table (nested ones too) and notes whether any prose lies outside them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[_OpenTable] = []
        self.done: list[RawTable] = []
        self.skipping = 0
        self.headings = 0
        self.prose_outside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _HEADINGS:
            self.headings += 1
        elif tag == "table":
            self.open.append(_OpenTable(RawTable(line)))
        elif self.open and tag == "tr":
            self._end_row(self.open[-1])
            self.open[-1].row, self.open[-1].row_line = [], line
        elif self.open and tag in ("td", "th"):
            top = self.open[-1]
            self._end_cell(top)
            if top.row is None:
                top.row, top.row_line = [], line
            top.cell, top.cell_span = [], (_span(attrs, "colspan"), _span(attrs, "rowspan"))
        elif self.open and tag == "br" and self.open[-1].cell is not None:
            self.open[-1].cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _HEADINGS:
            self.headings = max(0, self.headings - 1)
        elif self.open and tag in ("td", "th"):
            self._end_cell(self.open[-1])
        elif self.open and tag == "tr":
            self._end_row(self.open[-1])
        elif self.open and tag == "table":
            top = self.open.pop()
            self._end_row(top)
            self.done.append(top.table)

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.open and self.open[-1].cell is not None:
            self.open[-1].cell.append(data)
        elif not self.open and not self.headings and data.strip():
            self.prose_outside = True

    def _place(self, top: _OpenTable, text: str, colspan: int, rowspan: int) -> None:
        assert top.row is not None
        self._fill_pending(top)
        for _ in range(min(colspan, _MAX_COLUMNS - len(top.row))):
            if rowspan > 1:
                top.pending[len(top.row)] = (rowspan - 1, text)
            top.row.append(text)

    def _fill_pending(self, top: _OpenTable) -> None:
        assert top.row is not None
        while len(top.row) in top.pending and len(top.row) < _MAX_COLUMNS:
            left, text = top.pending.pop(len(top.row))
            if left > 1:
                top.pending[len(top.row)] = (left - 1, text)
            top.row.append(text)

    def _end_cell(self, top: _OpenTable) -> None:
        if top.cell is not None:
            text = " ".join("".join(top.cell).replace("\xa0", " ").split())
            self._place(top, text, *top.cell_span)
            top.cell = None

    def _end_row(self, top: _OpenTable) -> None:
        self._end_cell(top)
        if top.row is not None:
            self._fill_pending(top)
            top.table.rows.append((top.row_line, top.row))
            top.row = None


def html_tables(source: str) -> tuple[list[RawTable], bool]:
    """Every table in the page in source order, and whether the page is nothing but tables and headings."""
    parser = _TableParser()
    parser.feed(source)
    parser.close()
    while parser.open:  # unclosed tables at the end of a truncated page
        top = parser.open.pop()
        parser._end_row(top)
        parser.done.append(top.table)
    tables = sorted(parser.done, key=lambda t: t.line)
    return tables, not parser.prose_outside
