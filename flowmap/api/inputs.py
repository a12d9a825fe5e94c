"""Mutation inputs, derived from the domain models so the API accepts exactly what the seed files do.

Conversion goes through ``revalidate``: the same model rules apply, and every error names the
input field at fault.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any, TypeVar

import strawberry
from pydantic import TypeAdapter, ValidationError
from strawberry.experimental import pydantic as from_model

from flowmap.api.types import enums as _enums  # noqa: F401  (the domain enums, registered before any use)
from flowmap.domain import models
from flowmap.domain.mechanisms import MechanismCode
from flowmap.errors import Issue, ValidationFailed, pydantic_messages
from flowmap.service.editing import revalidate

M = TypeVar("M", bound=models.Model)


@from_model.input(model=models.Evidence, all_fields=True, description="A document, a section and a quote.")
class EvidenceInput:
    pass


@from_model.input(model=models.Registration, all_fields=True)
class RegistrationInput:
    pass


@from_model.input(model=models.Certification, all_fields=True)
class CertificationInput:
    pass


@from_model.input(model=models.Retention, all_fields=True)
class RetentionInput:
    pass


@from_model.input(model=models.Collection, all_fields=True)
class CollectionInput:
    pass


@from_model.input(model=models.TransferStatement, all_fields=True)
class TransferStatementInput:
    pass


@from_model.input(model=models.Organization, all_fields=True, description="An organisation, created or replaced whole.")
class OrganizationInput:
    pass


@from_model.input(model=models.DeclaredMechanism, all_fields=True, description="module: the SCC 2021 module (1-4).")
class DeclaredMechanismInput:
    pass


@from_model.input(model=models.Engagement, all_fields=True, description="An engagement, created or replaced whole.")
class EngagementInput:
    # Omitted: 'stated' when countries are given, 'unknown' otherwise (as in the seed files).
    location_scope: models.LocationScope | None


@strawberry.input(description="A DPF listing as checked on the official list.")
class DpfStatusInput:
    framework: MechanismCode = MechanismCode.DPF_EU_US
    status: models.CertificationStatus
    since: date | None = None
    until: date | None = None
    checked_on: date | None = None
    evidence: list[EvidenceInput]


_TEXT: TypeAdapter[str] = TypeAdapter(models.Text)


def to_text(value: str, argument: str) -> str:
    """A plain string argument held to the map's rule for text, so an error names the argument (not a model field)."""
    try:
        return _TEXT.validate_python(value)
    except ValidationError as exc:
        raise ValidationFailed([Issue(argument, "", m) for _, m in pydantic_messages(exc.errors())]) from None


def to_model(cls: type[M], value: Any, argument: str) -> M:
    """Build the domain model from an input object; errors name ``argument``'s fields."""
    return revalidate(cls, asdict(value), argument)
