"""Canonical transfer-mechanism and regime codes. Their legal validity windows live in the knowledge base."""

from __future__ import annotations

from enum import StrEnum


class MechanismCode(StrEnum):
    # invalidated or expired
    SAFE_HARBOR = "SAFE_HARBOR"
    PRIVACY_SHIELD_EU_US = "PRIVACY_SHIELD_EU_US"
    PRIVACY_SHIELD_SWISS_US = "PRIVACY_SHIELD_SWISS_US"
    SCC_2001 = "SCC_2001"
    SCC_2004 = "SCC_2004"
    SCC_2010 = "SCC_2010"
    # current
    DPF_EU_US = "DPF_EU_US"
    DPF_UK_EXT = "DPF_UK_EXT"
    DPF_SWISS_US = "DPF_SWISS_US"
    SCC_2021 = "SCC_2021"
    UK_IDTA = "UK_IDTA"
    UK_ADDENDUM = "UK_ADDENDUM"
    BCR = "BCR"
    CODE_OF_CONDUCT = "CODE_OF_CONDUCT"
    CERTIFICATION = "CERTIFICATION"
    # derogations (GDPR Art. 49)
    ART49_CONSENT = "ART49_CONSENT"
    ART49_CONTRACT = "ART49_CONTRACT"
    ART49_OTHER = "ART49_OTHER"
    # "appropriate safeguards" with nothing named
    UNSPECIFIED = "UNSPECIFIED"


# Self-certification frameworks an organisation can be listed under (its own status, not a contract).
CERTIFICATION_FRAMEWORKS = frozenset(
    {
        MechanismCode.SAFE_HARBOR,
        MechanismCode.PRIVACY_SHIELD_EU_US,
        MechanismCode.PRIVACY_SHIELD_SWISS_US,
        MechanismCode.DPF_EU_US,
        MechanismCode.DPF_UK_EXT,
        MechanismCode.DPF_SWISS_US,
    }
)


class RegimeCode(StrEnum):
    """The data-protection regimes whose transfer rules flowmap applies."""

    EU_GDPR = "EU_GDPR"  # Directive 95/46/EC before 2018-05-25; the transfer rules work alike
    UK_GDPR = "UK_GDPR"
    CH_FADP = "CH_FADP"
