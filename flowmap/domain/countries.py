"""ISO 3166-1 countries from pycountry, with the EU's own spellings recognised for helpful errors."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import pycountry

from flowmap.errors import shown

# The EU style guide writes EL for Greece and UK for the United Kingdom; ISO uses GR and GB.
EU_STYLE_CODES = {"EL": "GR", "UK": "GB"}


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    alpha3: str


@lru_cache(maxsize=1)
def all_countries() -> dict[str, Country]:
    return {
        c.alpha_2: Country(code=c.alpha_2, name=getattr(c, "common_name", c.name), alpha3=c.alpha_3)
        for c in pycountry.countries
    }


def check_country_code(value: str) -> str:
    """Return the code if it is ISO 3166-1 alpha-2; raise ValueError naming the value otherwise."""
    if value in all_countries():
        return value
    hint = ""
    if value.upper() in all_countries():
        hint = f"; codes are upper case: {value.upper()!r}"
    elif value.upper() in EU_STYLE_CODES:
        hint = f"; ISO 3166-1 writes it {EU_STYLE_CODES[value.upper()]!r}"
    raise ValueError(f"unknown country code {shown(value)} (ISO 3166-1 alpha-2 expected{hint})")
