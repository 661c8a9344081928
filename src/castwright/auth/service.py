"""API-key rules: format, hashing, verification, revocation."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from castwright.auth.repository import ApiKeyRepository
from castwright.db.base import utcnow
from castwright.errors import Forbidden, Invalid, NotFound, Unauthorized
from castwright.models.api_key import ApiKey

__all__ = [
    "DEFAULT_ORG",
    "Principal",
    "count_keys",
    "create_key",
    "hash_key",
    "list_keys",
    "revoke_key",
    "verify_key",
]

DEFAULT_ORG = "default"
_PREFIX = "cw_"
# Touching last_used_at on every request would turn every read into a write.
_TOUCH_INTERVAL = timedelta(minutes=5)


@dataclass(frozen=True)
class Principal:
    """Who a request acts as."""

    key_id: str
    org_id: str


def hash_key(secret: str) -> str:
    # Keys are 256-bit random tokens, so a fast digest is enough: no password stretching needed.
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(session: Session, name: str = "", org_id: str = DEFAULT_ORG) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the secret, which is never stored or shown again."""
    secret = _PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(
        org_id=org_id, name=name, prefix=secret[: len(_PREFIX) + 6], key_hash=hash_key(secret)
    )
    return ApiKeyRepository(session).add(row), secret


def verify_key(session: Session, secret: str | None) -> Principal:
    if not secret:
        raise Unauthorized(
            "An API key is required: send x-api-key, Authorization: Bearer or api_token"
        )
    row = ApiKeyRepository(session).by_hash(hash_key(secret))
    if row is None:
        raise Forbidden(
            "Not authorised - check API key is valid", errors=["x-api-key: unknown API key"]
        )
    if row.revoked:
        raise Forbidden(
            "Not authorised - this API key has been revoked", errors=["x-api-key: revoked API key"]
        )
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > _TOUCH_INTERVAL:
        row.last_used_at = now
    return Principal(key_id=row.id, org_id=row.org_id)


def list_keys(session: Session) -> list[ApiKey]:
    return list(ApiKeyRepository(session).all())


def revoke_key(session: Session, ident: str) -> ApiKey:
    matches = ApiKeyRepository(session).by_id_or_prefix(ident)
    if not matches:
        raise NotFound(f"no API key with id or prefix {ident!r}")
    if len(matches) > 1:
        raise Invalid("matches several keys; use the key id", field="key")
    key = matches[0]
    if key.revoked_at is None:
        key.revoked_at = utcnow()
    return key


def count_keys(session: Session) -> int:
    return ApiKeyRepository(session).count()
