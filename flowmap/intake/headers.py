"""Which column of a sub-processor table holds what, from header names in English, Dutch, German or French.

Vendors title the same column a dozen ways ("Sub-processor", "Entity name", "Unterauftragsverarbeiter"),
so a header is first looked up whole, then by the keywords it contains. Each field takes the first
column that claims it; everything else stays available under its own header.
"""

from __future__ import annotations

import re
import unicodedata

NAME, PURPOSE, LOCATION = "name", "purpose", "location"
REQUIRED = (NAME, LOCATION)

# Whole-header synonyms, compared after normalising (lower case, no accents, no punctuation).
_EXACT: dict[str, str] = {
    NAME: """name|entity|entity name|legal entity|sub processor|subprocessor|sub processor name|subprocessor name|
        sub processors|subprocessors|company|company name|vendor|vendor name|provider|service provider|supplier|
        processor|third party|naam|bedrijf|bedrijfsnaam|subverwerker|sub verwerker|subverwerkers|onderaannemer|
        leverancier|partij|verwerker|name des unterauftragsverarbeiters|unterauftragsverarbeiter|unterauftragnehmer|
        subunternehmer|firma|unternehmen|anbieter|dienstleister|nom|sous traitant|sous traitants|
        sous traitant ulterieur|societe|entite|raison sociale|prestataire|fournisseur|denomination""",
    PURPOSE: """purpose|purposes|service|services|service provided|services provided|activity|activities|
        processing activity|processing activities|description|nature of processing|nature of the processing|function|
        doel|doeleinden|dienst|diensten|dienstverlening|activiteit|activiteiten|verwerkingsdoel|omschrijving|zweck|
        zwecke|dienstleistung|leistung|leistungen|tatigkeit|beschreibung|art der verarbeitung|finalite|finalites|
        service fourni|activite|objet|prestation|nature du traitement""",
    LOCATION: """location|locations|country|countries|region|regions|processing location|data location|
        location of processing|hosting location|country of processing|land|landen|locatie|vestigingsplaats|regio|
        standort|standorte|lander|ort|sitz|region|pays|localisation|lieu|lieu de traitement|lieu du traitement""",
    "role": "role|type|relationship|rol|rolle",
    "data_categories": """data categories|categories of data|categories of personal data|personal data|data|
        types of data|data types|type of data|categorieen persoonsgegevens|categorieen van persoonsgegevens|gegevens|
        persoonsgegevens|datenkategorien|kategorien personenbezogener daten|daten|personenbezogene daten|
        categories de donnees|donnees|donnees personnelles|donnees traitees""",
    "transfer_mechanism": """transfer mechanism|transfer mechanisms|safeguards|transfer safeguards|transfer basis|
        transfer tool|legal basis for transfer|appropriate safeguards|doorgiftemechanisme|waarborgen|garanties|
        doorgifte|ubermittlungsmechanismus|garantien|geeignete garantien|ubermittlung|mecanisme de transfert|
        garanties appropriees|transfert""",
}
# Keywords inside longer headers, tried in this order (so "Country of the entity" is a location).
_KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("transfer_mechanism", ("safeguard", "mechanism", "scc", "garantie", "waarborg", "doorgifte", "ubermittlung")),
    (LOCATION, ("country", "countries", "location", "region", "land", "standort", "pays", "localisation", "lieu")),
    ("data_categories", ("categor", "kategor", "data type", "types of data", "gegevens", "donnees", "daten")),
    (
        NAME,
        ("name", "entity", "processor", "company", "vendor", "naam", "verwerker", "unterauftrag", "nom", "traitant"),
    ),
    (PURPOSE, ("purpose", "service", "activit", "doel", "zweck", "finalit", "description", "dienst", "leistung")),
    ("role", ("role", "rol")),
)
_SYNONYMS = {field: frozenset(s.strip() for s in words.split("|")) for field, words in _EXACT.items()}


def normalise(header: str) -> str:
    """Lower case, no accents or punctuation, single spaces: 'Sous-traitant ultérieur' → 'sous traitant ulterieur'."""
    plain = unicodedata.normalize("NFKD", header).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"\(s\)|[^a-z0-9]+", " ", plain).split())


def _field(header: str) -> str | None:
    norm = normalise(header)
    exact = next((field for field, words in _SYNONYMS.items() if norm in words), None)
    if exact is not None or not norm:
        return exact
    padded = f" {norm} "
    for field, keywords in _KEYWORDS:
        if any(f" {kw}" in padded for kw in keywords):
            return field
    return None


def map_columns(headers: list[str]) -> dict[str, int]:
    """Field name → column index, each field taken by the first column that names it."""
    out: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = _field(header)
        if field is not None and field not in out:
            out[field] = index
    return out


def missing(mapping: dict[str, int]) -> list[str]:
    """Required fields the header row does not provide."""
    return [field for field in REQUIRED if field not in mapping]
