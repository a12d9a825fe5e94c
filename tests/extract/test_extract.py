"""The public entry point: one Extraction with every kind, deterministic, spans exact, any input safe."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from flowmap.extract import Extraction, FactKind, extract

POLICY = (
    "Privacy notice of Kettle & Crumb Ltd, registered in Ireland.\n"
    "We collect your name and email address. Our hosting provider is Hetzner in Germany. Payments are handled "
    "by Mollie. We do not transfer personal data outside the European Economic Area. Transfers to our support "
    "partner rely on the standard contractual clauses of 2021. We keep invoices for seven years and comply "
    "with Directive 95/46/EC.\n"
)


def test_extract_returns_every_kind_with_exact_spans() -> None:
    result = extract(POLICY, source="kettle.txt")
    assert isinstance(result, Extraction)
    assert (result.source, result.language, result.text) == ("kettle.txt", "en", POLICY)
    kinds = {f.kind for f in result.facts}
    assert kinds == set(FactKind)
    for fact in result.facts:
        assert POLICY[fact.span.start : fact.span.end] == fact.span.quote
        assert len(fact.span.quote.split()) <= 20
        assert all(isinstance(v, str) for v in fact.detail.values())
    org = result.of(FactKind.ORGANIZATION)[0]
    assert (org.value, org.detail["country"]) == ("Kettle & Crumb Ltd", "IE")


def test_language_is_detected_or_taken_as_given() -> None:
    assert extract("Wij verwerken uw gegevens niet buiten de Europese Unie.").language == "nl"
    assert extract("Wir verarbeiten Ihre Daten nicht außerhalb der EU.").language == "de"
    assert extract("Nous ne transférons pas vos données en dehors de l'UE.").language == "fr"
    assert extract("hello", language="EN").language == "en"


def test_deterministic() -> None:
    assert extract(POLICY) == extract(POLICY)


def test_empty_and_unknown_languages() -> None:
    assert extract("").facts == ()
    result = extract("Los datos se almacenan en los Estados Unidos con Amazon Web Services.", language="es")
    assert result.language == "es"  # read with the English lexicons
    assert {f.value for f in result.of(FactKind.RECIPIENT)} == {"Amazon Web Services"}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=400))
def test_any_text_is_safe_and_every_span_exact(text: str) -> None:
    for fact in extract(text).facts:
        assert text[fact.span.start : fact.span.end] == fact.span.quote


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([*POLICY.split(" "), "İstanbul", "’", "ǅ", "\n\n", "U.S.", "–"]), max_size=80))
def test_policy_like_noise_keeps_spans_exact(words: list[str]) -> None:
    text = " ".join(words)
    for fact in extract(text).facts:
        assert text[fact.span.start : fact.span.end] == fact.span.quote
