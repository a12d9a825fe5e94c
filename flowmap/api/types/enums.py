"""The domain's enums, exposed to GraphQL under their own names: one definition, no copies."""

from __future__ import annotations

import strawberry

from flowmap.domain.law import AdequacyScope, Confidence, MechanismKind
from flowmap.domain.mechanisms import MechanismCode, RegimeCode
from flowmap.domain.models import CertificationStatus, DocumentKind, LocationScope, Role
from flowmap.domain.results import Rule, Severity, Status
from flowmap.domain.scenario import Change
from flowmap.service.snapshot import OrganizationRole

for _enum, _name, _doc in (
    (RegimeCode, "RegimeCode", "A data-protection regime whose transfer rules flowmap applies."),
    (MechanismCode, "MechanismCode", "A transfer mechanism or framework."),
    (MechanismKind, "MechanismKind", None),
    (AdequacyScope, "AdequacyScope", "How far an adequacy decision reaches."),
    (Confidence, "Confidence", "How sure the knowledge base is of a fact."),
    (Role, "EngagementRole", "Exporter -> importer roles (C2P: controller to processor, ...)."),
    (LocationScope, "LocationScope", "How much a source says about where data is stored or accessed."),
    (CertificationStatus, "CertificationStatus", None),
    (DocumentKind, "DocumentKind", None),
    (Rule, "Rule", "The rule a finding comes from."),
    (Severity, "Severity", None),
    (Status, "TransferStatus", "COMPLIANT, NEEDS_REVIEW (a person must look) or NON_COMPLIANT (no lawful basis)."),
    (Change, "ScenarioChange", "What a what-if does to one transfer."),
    (OrganizationRole, "OrganizationRole", "What an organisation is in the map, from its engagements."),
):
    strawberry.enum(_enum, name=_name, description=_doc)
