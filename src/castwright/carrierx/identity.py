"""Who a CarrierX request acts as: the organisation (CarrierX's partner) and its scopes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from castwright.errors import Forbidden

__all__ = [
    "SCOPES",
    "STORAGE_CREATE",
    "STORAGE_DELETE",
    "STORAGE_READ",
    "STORAGE_UPDATE",
    "TTS_CREATE",
    "TTS_READ",
    "CarrierXPrincipal",
    "partner_sid_for",
    "require_scope",
]

_AREAS = ("storage", "tts", "oauth")
_VERBS = ("manage", "create", "read", "update", "delete")
SCOPES = tuple(f"{area}.{verb}" for area in _AREAS for verb in _VERBS)

# The scopes each endpoint accepts (any one of them), as the contract's table lists them.
TTS_CREATE = ("tts.manage", "tts.create")
TTS_READ = ("tts.manage", "tts.create", "tts.read")
STORAGE_CREATE = ("storage.manage", "storage.create")
STORAGE_READ = ("storage.manage", "storage.read")
STORAGE_UPDATE = ("storage.manage", "storage.update")
STORAGE_DELETE = ("storage.manage", "storage.delete")

# Partner SIDs are UUIDs upstream; an organisation's is derived from its id, so it never
# changes and needs no table.
_PARTNER_NAMESPACE = uuid.UUID("6f1d7c52-3b0e-4c3a-9a7e-2f4e1c9b8a10")


def partner_sid_for(org_id: str) -> str:
    return str(uuid.uuid5(_PARTNER_NAMESPACE, org_id))


@dataclass(frozen=True)
class CarrierXPrincipal:
    org_id: str
    key_id: str  # the API key behind the request (directly, or the one a token came from)
    scopes: frozenset[str] | None  # None: every scope (API keys and Basic authentication)
    token_sid: str | None = None  # set when an OAuth token was presented
    token_secret: str | None = None

    @property
    def partner_sid(self) -> str:
        return partner_sid_for(self.org_id)

    def allows(self, any_of: tuple[str, ...]) -> bool:
        return self.scopes is None or any(scope in self.scopes for scope in any_of)


def require_scope(principal: CarrierXPrincipal, any_of: tuple[str, ...]) -> None:
    """A request passes when the token holds any one of the endpoint's scopes."""
    if not principal.allows(any_of):
        raise Forbidden("Forbidden", errors=[f"scope: requires one of {', '.join(any_of)}"])
