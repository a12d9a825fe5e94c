"""What the fides import and export share: the keys flowmap keeps fides facts under, and reading a manifest."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from fideslang.default_taxonomy import DEFAULT_TAXONOMY
from fideslang.models import Taxonomy
from pydantic import ValidationError

from flowmap.domain.mechanisms import MechanismCode
from flowmap.domain.models import FlowMap, Organization
from flowmap.errors import Issue, ValidationFailed, format_path, pydantic_messages

KEY = "fides"  # registration scheme: the exact fides_key of a system or organisation
ATTR = "fides:"  # registration scheme prefix: a system field flowmap has no column for
ORG_KIND = "fides:resource"  # value "organization" marks a fides organisation (the exporter)
NOTE = "fides "  # evidence note prefix, followed by the declaration's JSON
EGRESS, INGRESS = ":fides-egress", ":fides-ingress"  # engagement id suffixes of system-to-system flows
SYSTEM_ATTRS = ("system_type", "responsibility", "legal_basis_for_transfers", "does_international_transfers")
SYSTEM_KEPT = {
    "fides_key",
    "organization_fides_key",
    "name",
    "description",
    "legal_name",
    "legal_address",
    "privacy_declarations",
    "egress",
    "ingress",
    *SYSTEM_ATTRS,
}
DECLARATION_KEPT = {"name", "data_use", "data_categories", "data_subjects", "egress", "ingress"}
ORGANIZATION_KEPT = {"fides_key", "name", "description"}
# legal_basis_for_transfers values that name a mechanism flowmap judges; the rest are kept only as registrations.
BASIS_MECHANISMS = {"SCCs": MechanismCode.SCC_2021, "BCRs": MechanismCode.BCR}
DEFAULT_USE = "essential.service"
DATA_USES = frozenset(u.fides_key for u in DEFAULT_TAXONOMY.data_use)
DEFAULT_ORGANIZATION = "default_organization"


@dataclass
class FidesImport:
    flow_map: FlowMap
    lossy: list[str] = field(default_factory=list)


def flowmap_id(fides_key: str) -> str:
    """A fides key as a flowmap id (lower case; characters flowmap ids lack become '-'). The exact key is kept."""
    slug = re.sub(r"[^a-z0-9.-]", "-", fides_key.lower()).lstrip(".-")
    return slug or "fides"


def fides_key(org: Organization) -> str:
    """The organisation's fides key: the one it was imported with, else its id with ':' and '~' as '_'."""
    kept = next((r.value for r in org.registrations if r.scheme == KEY), None)
    return kept or re.sub(r"[^a-zA-Z0-9_.<>-]", "_", org.id)


def is_fides_manifest(path: Path) -> bool:
    """A YAML file whose top level is fideslang resource lists with at least a system or an organization."""
    if not path.is_file() or path.suffix.lower() not in (".yml", ".yaml"):
        return False
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return False
    return (
        isinstance(data, dict)
        and bool(set(data) & {"system", "organization"})
        and set(data) <= set(Taxonomy.model_fields)
    )


def read_manifest(path: Path) -> Taxonomy:
    """The manifest validated by fideslang's own models; errors name the resource path."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Taxonomy.model_validate(data)
    except yaml.YAMLError as exc:
        raise ValidationFailed([Issue(str(path), "", f"not YAML: {exc}")]) from None
    except ValidationError as exc:
        raise ValidationFailed(
            [Issue(str(path), format_path(p), m) for p, m in pydantic_messages(exc.errors())]
        ) from None
    except TypeError as exc:  # fideslang sorts declarations by name: some named, some not, fails there
        raise ValidationFailed([Issue(str(path), "system", f"fideslang refused it: {exc}")]) from None
