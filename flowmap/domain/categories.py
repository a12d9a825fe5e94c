"""The data-category taxonomy, loaded from fideslang (CC BY 4.0) rather than re-typed.

GDPR Art. 9 (special categories) and Art. 10 (criminal convictions) are marked here because
fideslang does not say which of its keys they are; a transfer of these needs extra scrutiny.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fideslang.default_taxonomy import DEFAULT_TAXONOMY

from flowmap.errors import shown

# Prefixes whose whole subtree is special. Biometric credentials identify a person (Art. 9(1)).
_ART9_PREFIXES = (
    "user.biometric",
    "user.authorization.biometric",
    "user.health_and_medical",
    "user.demographic.political_opinion",
    "user.demographic.race_ethnicity",
    "user.demographic.religious_belief",
    "user.demographic.sexual_orientation",
)
_ART10_PREFIXES = ("user.criminal_history",)


@dataclass(frozen=True)
class DataCategory:
    key: str
    name: str
    description: str
    parent_key: str | None
    special: str | None  # "art9", "art10" or None
    deprecated: bool


def _special(key: str) -> str | None:
    def under(prefixes: tuple[str, ...]) -> bool:
        return any(key == p or key.startswith(p + ".") for p in prefixes)

    if under(_ART9_PREFIXES):
        return "art9"
    if under(_ART10_PREFIXES):
        return "art10"
    return None


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, DataCategory]:
    return {
        c.fides_key: DataCategory(
            key=c.fides_key,
            name=c.name or c.fides_key,
            description=c.description or "",
            parent_key=c.parent_key,
            special=_special(c.fides_key),
            deprecated=c.version_deprecated is not None,
        )
        for c in DEFAULT_TAXONOMY.data_category
    }


def check_category_key(value: str) -> str:
    """Return the key if fideslang knows it; raise ValueError naming the value otherwise."""
    if value in taxonomy():
        return value
    parent = value.rsplit(".", 1)[0]
    hint = f"; {parent!r} exists" if parent in taxonomy() and parent != value else ""
    raise ValueError(f"unknown data category {shown(value)} (not a fideslang data_category key{hint})")
