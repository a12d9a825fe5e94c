"""The text plumbing: folding keeps offsets, segments respect abbreviations, spans stay short and exact."""

from __future__ import annotations

from flowmap.extract.text import MAX_QUOTE_WORDS, Doc, clipped_span, fold, make_span, negated_before


def test_fold_keeps_length_and_maps_typography() -> None:
    text = "“Quoted” – it’s\u00a0here"
    assert len(fold(text)) == len(text)
    assert fold(text) == '"Quoted" - it\'s here'


def test_segments_do_not_split_on_abbreviations_or_german_dates() -> None:
    doc = Doc.of(
        "We rely on the EU-U.S. Privacy Shield. Acme Inc. is in the U.S. Data goes on.\nvom 4. Juni 2021 an.", "en"
    )
    texts = [doc.seg(s) for s in doc.segments]
    assert texts[0] == "We rely on the EU-U.S. Privacy Shield."
    assert "vom 4. Juni 2021 an." in texts


def test_lines_are_segments() -> None:
    doc = Doc.of("Name;\nAddress;\n\nPhone number", "en")
    assert [doc.seg(s) for s in doc.segments] == ["Name;", "Address;", "Phone number"]


def test_make_span_trims_and_quotes_exactly() -> None:
    text = "  hello, world;  "
    span = make_span(text, 0, len(text))
    assert span.quote == "hello, world" and text[span.start : span.end] == span.quote


def test_clipped_span_keeps_the_core_within_the_word_limit() -> None:
    text = " ".join(f"w{i}" for i in range(60)) + " CORE " + " ".join(f"v{i}" for i in range(60))
    core = text.index("CORE")
    span = clipped_span(text, 0, len(text), core, core + 4)
    assert "CORE" in span.quote and len(span.quote.split()) <= MAX_QUOTE_WORDS


def test_negation_window_ignores_not_limited_to() -> None:
    doc = Doc.of("including but not limited to location data", "en")
    seg = doc.segments[0]
    assert not negated_before(doc.folded, seg, doc.text.index("location"))
    doc = Doc.of("We do not use Hotjar", "en")
    assert negated_before(doc.folded, doc.segments[0], doc.text.index("Hotjar"))
