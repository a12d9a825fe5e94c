"""Bad seed input is rejected with messages that name the file, the line, the path and the value."""

from __future__ import annotations

from pathlib import Path

import pytest

from flowmap.errors import ValidationFailed
from flowmap.ingest.seeds import load_seed_map


def _break(seeds: Path, file: str, old: str, new: str, count: int = 1) -> None:
    path = seeds / file
    text = path.read_text()
    assert old in text, f"fixture no longer contains {old!r}"
    path.write_text(text.replace(old, new, count))


def _messages(seeds: Path) -> list[str]:
    with pytest.raises(ValidationFailed) as info:
        load_seed_map(seeds)
    return [str(i) for i in info.value.issues]


def _line_of(seeds: Path, file: str, needle: str) -> int:
    for n, line in enumerate((seeds / file).read_text().splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_the_fixture_is_valid(mini_seeds_copy: Path) -> None:
    flow_map = load_seed_map(mini_seeds_copy)
    assert {o.id for o in flow_map.organizations} == {"client-nl", "acme", "unnamed.acme.hosting", "norway-co"}


def test_norway_is_a_country_not_a_boolean(mini_seeds_copy: Path) -> None:
    flow_map = load_seed_map(mini_seeds_copy)
    assert next(o for o in flow_map.organizations if o.id == "norway-co").country == "NO"


def test_unknown_country_names_file_line_path_and_value(mini_seeds_copy: Path) -> None:
    _break(mini_seeds_copy, "map.yaml", "country: NL", "country: XX")
    [message] = _messages(mini_seeds_copy)
    line = _line_of(mini_seeds_copy, "map.yaml", "country: XX")
    assert message.startswith(f"seeds/map.yaml:{line}: organizations[0].country: ")
    assert "'XX'" in message


def test_country_in_a_list_and_eu_spelling_hint(mini_seeds_copy: Path) -> None:
    _break(
        mini_seeds_copy,
        "map.yaml",
        "countries: [US]\n    mechanisms:\n      - {code: PRIVACY",
        "countries: [UK]\n    mechanisms:\n      - {code: PRIVACY",
    )
    [message] = _messages(mini_seeds_copy)
    assert "engagements[0].countries[0]" in message and "'UK'" in message and "'GB'" in message


def test_unknown_category_key(mini_seeds_copy: Path) -> None:
    _break(mini_seeds_copy, "map.yaml", "categories: [user.content.private]\n    location_scope",
           "categories: [user.content.secret]\n    location_scope")  # fmt: skip
    [message] = _messages(mini_seeds_copy)
    assert "engagements[1].categories[0]" in message and "'user.content.secret'" in message


def test_valid_to_before_valid_from(mini_seeds_copy: Path) -> None:
    _break(mini_seeds_copy, "map.yaml", "valid_to: 2024-12-31", "valid_to: 2017-12-31")
    [message] = _messages(mini_seeds_copy)
    assert "engagements[1]" in message and "2017-12-31" in message and "before" in message


def test_engagement_to_unknown_organization(mini_seeds_copy: Path) -> None:
    _break(mini_seeds_copy, "map.yaml", "importer: unnamed.acme.hosting", "importer: nobody")
    [message] = _messages(mini_seeds_copy)
    line = _line_of(mini_seeds_copy, "map.yaml", "importer: nobody")
    assert (
        message == f"seeds/map.yaml:{line}: engagements[1].importer: importer 'nobody' is not a known organization id"
    )


def test_cross_file_reference_to_unknown_document(mini_seeds_copy: Path) -> None:
    _break(mini_seeds_copy, "map.yaml", '{document: doc.acme.policy, section: "4"', '{document: doc.nope, section: "4"')
    [message] = _messages(mini_seeds_copy)
    assert "organizations[2].evidence[0].document" in message and "'doc.nope'" in message


def test_duplicate_ids_across_files(mini_seeds_copy: Path) -> None:
    (mini_seeds_copy / "zz_dup.yaml").write_text(
        "organizations:\n  - id: acme\n    name: Again\n    evidence: [{document: doc.acme.policy, quote: q}]\n"
    )
    [message] = _messages(mini_seeds_copy)
    assert message.startswith("seeds/zz_dup.yaml:2: organizations[0].id: duplicate organization id 'acme'")
    assert "seeds/map.yaml:" in message


def test_every_problem_is_reported_at_once(mini_seeds_copy: Path) -> None:
    _break(mini_seeds_copy, "map.yaml", "country: NL", "country: XX")
    _break(mini_seeds_copy, "map.yaml", "role: C2P", "role: BOSS")
    _break(mini_seeds_copy, "catalogue.yaml", "language: en", "language: zz")
    messages = _messages(mini_seeds_copy)
    assert len(messages) == 3
    assert any("'BOSS'" in m for m in messages) and any("'zz'" in m for m in messages)


def test_typo_in_a_key_is_an_error(mini_seeds_copy: Path) -> None:
    _break(mini_seeds_copy, "map.yaml", "legal_name: Acme, LLC", "legal_nmae: Acme, LLC")
    [message] = _messages(mini_seeds_copy)
    assert "organizations[1].legal_nmae" in message and "Extra inputs are not permitted" in message


def test_quotes_are_short(mini_seeds_copy: Path) -> None:
    long_quote = " ".join(["word"] * 21)
    _break(mini_seeds_copy, "map.yaml", 'quote: "our clients"', f'quote: "{long_quote}"')
    [message] = _messages(mini_seeds_copy)
    assert "21 words" in message and "organizations[0].evidence[0].quote" in message


def test_broken_yaml_names_the_line(mini_seeds_copy: Path) -> None:
    (mini_seeds_copy / "map.yaml").write_text("organizations:\n  - id: [unclosed\n")
    [message] = _messages(mini_seeds_copy)
    assert message.startswith("seeds/map.yaml:") and "invalid YAML" in message


def test_empty_directory(tmp_path: Path) -> None:
    [message] = _messages(tmp_path)
    assert "no *.yaml seed files" in message


def test_a_mechanism_declared_twice_is_an_error(mini_seeds_copy: Path) -> None:
    """Even beside an SCC 2021 entry; two SCC 2021 entries with different modules are fine."""
    _break(mini_seeds_copy, "map.yaml", "      - {code: PRIVACY_SHIELD_EU_US, signed_on: 2019-03-01}\n",
           "      - {code: PRIVACY_SHIELD_EU_US, signed_on: 2019-03-01}\n      - {code: PRIVACY_SHIELD_EU_US}\n")  # fmt: skip
    [message] = _messages(mini_seeds_copy)
    assert "engagements[0]" in message and "declared twice: PRIVACY_SHIELD_EU_US" in message


def test_scc_2021_may_be_declared_per_module(mini_seeds_copy: Path) -> None:
    _break(mini_seeds_copy, "map.yaml", "      - {code: SCC_2021, module: 2, signed_on: 2022-01-10}\n",
           "      - {code: SCC_2021, module: 2, signed_on: 2022-01-10}\n      - {code: SCC_2021, module: 1}\n")  # fmt: skip
    assert load_seed_map(mini_seeds_copy).engagements
