"""Who is calling and what they may do: bearer tokens from settings mapped to roles, and the permissions.

Authentication happens once per HTTP request; authorisation is declared on every root field as a
permission class, which the HTTP layer also checks before executing anything, so a refused mutation
never reaches a resolver and gets a proper 401/403.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from strawberry.permission import BasePermission
from strawberry.types import Info

from flowmap.errors import FlowmapError
from flowmap.settings import Settings


class Role(StrEnum):
    VIEWER = "viewer"  # legal: reads everything
    EDITOR = "editor"  # privacy engineers: read and change the map
    PROCUREMENT = "procurement"  # reads, and checks vendors before onboarding


class Permission(StrEnum):
    READ = "read"
    EDIT = "edit"
    CHECK_VENDORS = "check_vendors"


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.VIEWER: frozenset({Permission.READ}),
    Role.PROCUREMENT: frozenset({Permission.READ, Permission.CHECK_VENDORS}),
    Role.EDITOR: frozenset({Permission.READ, Permission.EDIT, Permission.CHECK_VENDORS}),
}


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role | None  # None: anonymous

    @property
    def authenticated(self) -> bool:
        return self.role is not None

    def may(self, permission: Permission) -> bool:
        return self.role is not None and permission in GRANTS[self.role]


ANONYMOUS = Principal("anonymous", None)
LOCAL_USER = Principal("local", Role.EDITOR)  # an open, loopback-only server's single user


class InsecureConfiguration(FlowmapError):
    code = "INSECURE_CONFIGURATION"
    exit_code = 2


class AuthError(FlowmapError):
    """Raised before execution; the HTTP layer answers 401 (who are you?) or 403 (not allowed)."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status
        self.code = "UNAUTHENTICATED" if status == 401 else "FORBIDDEN"


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_tokens(raw: str) -> dict[str, Principal]:
    """``'alice:editor:s3cret, bob:viewer:t0ken'`` -> token -> principal. Errors never echo a token."""
    tokens: dict[str, Principal] = {}
    for n, entry in enumerate(filter(None, (e.strip() for e in raw.split(","))), start=1):
        parts = entry.split(":", 2)
        if len(parts) != 3 or not all(parts):
            raise InsecureConfiguration(f"FLOWMAP_API_TOKENS entry {n} is not 'name:role:token'")
        name, role, token = parts
        if role not in Role.__members__.values():
            raise InsecureConfiguration(
                f"FLOWMAP_API_TOKENS entry {n} ({name}) has role {role!r}; use one of {', '.join(Role)}"
            )
        if len(token) < 16:
            raise InsecureConfiguration(f"FLOWMAP_API_TOKENS entry {n} ({name}): tokens need at least 16 characters")
        if token in tokens:
            raise InsecureConfiguration(f"FLOWMAP_API_TOKENS entry {n} ({name}) repeats another entry's token")
        tokens[token] = Principal(name, Role(role))
    return tokens


def token_digest(token: str) -> bytes:
    """A token's SHA-256: always 32 bytes, so comparing digests takes the same time whatever was sent."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


class Authenticator:
    def __init__(self, settings: Settings) -> None:
        self.tokens = parse_tokens(settings.api_tokens.get_secret_value())
        self.digests = [(token_digest(token), principal) for token, principal in self.tokens.items()]
        self.open = not self.tokens and is_loopback(settings.host)
        if not self.tokens and not self.open:
            raise InsecureConfiguration(
                f"Refusing to serve on {settings.host} without authentication: set FLOWMAP_API_TOKENS "
                "('name:role:token', comma-separated), or bind to 127.0.0.1 for a single local user."
            )

    def principal(self, authorization: str | None) -> Principal:
        """The caller; raises AuthError for a malformed or unknown token. Every token is compared in constant time."""
        if not authorization:
            return LOCAL_USER if self.open else ANONYMOUS
        scheme, _, presented = authorization.partition(" ")
        if scheme.lower() != "bearer" or not presented.strip():
            raise AuthError("Authorization must be 'Bearer <token>'", 401)
        # Compare SHA-256 digests, so neither a token's content nor its length shows in the timing, and go through
        # every configured token without stopping at a match, so the time does not say which one matched.
        offered = token_digest(presented.strip())
        found = None
        for digest, principal in self.digests:
            if hmac.compare_digest(digest, offered):
                found = principal
        if found is None:
            raise AuthError("unknown or revoked token", 401)
        return found


def denial(principal: Principal, permission: Permission, field: str) -> AuthError | None:
    if principal.may(permission):
        return None
    if not principal.authenticated:
        return AuthError(f"{field} needs a bearer token", 401)
    return AuthError(f"{field} needs the {permission.value} permission; role {principal.role} lacks it", 403)


class Requires(BasePermission):
    """Base of the field permissions; ``permission`` says what the field needs."""

    permission: Permission

    def has_permission(self, source: Any, info: Info[Any, Any], **kwargs: Any) -> bool:
        refused = denial(info.context.principal, self.permission, info.field_name)
        if refused is not None:
            raise refused  # carries its own code; the instance is shared, so nothing is stored on it
        return True


class CanRead(Requires):
    permission = Permission.READ


class CanEdit(Requires):
    permission = Permission.EDIT


class CanCheckVendors(Requires):
    permission = Permission.CHECK_VENDORS
