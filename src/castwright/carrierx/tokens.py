"""OAuth tokens and authentication for /core/v2.

A partner's credentials are an API key of its organisation: the password (or client secret) of
``POST /oauth/token`` is the key's secret, and Basic authentication takes it as the password.
Tokens carry scopes, are UUID-shaped like CarrierX's, and only their SHA-256 digests are
stored, as for API keys. A token stops working when the key that issued it is revoked.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from castwright.auth.repository import ApiKeyRepository
from castwright.auth.service import hash_key, verify_key
from castwright.carrierx.errors import ItemNotFound
from castwright.carrierx.identity import SCOPES, CarrierXPrincipal
from castwright.carrierx.repository import CarrierXRepository
from castwright.db.base import utcnow
from castwright.errors import CastwrightError, Forbidden, Invalid, Unauthorized
from castwright.models.oauth_token import OAuthToken

__all__ = [
    "IssuedToken",
    "authenticate",
    "issue_partner_token",
    "issue_token",
    "parse_scopes",
    "revoke_token",
    "whoami",
]

_TOUCH_INTERVAL = timedelta(minutes=1)
_MAX_EXPIRES_IN = 10 * 365 * 24 * 3600 * 10  # the Ruby gem asks for 3153600000 s (100 years)


def bad_credentials() -> Unauthorized:
    return Unauthorized("Bad credentials", errors=[])


@dataclass(frozen=True)
class IssuedToken:
    token: OAuthToken
    access_token: str | None
    refresh_token: str | None


def parse_scopes(raw: Any) -> list[str] | None:
    """``scope`` as a list, or one string separated by commas or spaces; None when absent."""
    if raw is None or raw == "" or raw == []:
        return None
    items: list[str] = []
    for part in raw if isinstance(raw, list) else [raw]:
        if not isinstance(part, str):
            raise Invalid("must be a list of scope names", field="scope")
        items.extend(p for p in part.replace(",", " ").split() if p)
    unknown = [s for s in items if s not in SCOPES]
    if unknown:
        raise Invalid(f"unknown scope {unknown[0][:60]!r}", field="scope")
    return list(dict.fromkeys(items))


def _expires_in(raw: Any, default: int) -> int | None:
    if raw is None or raw == "":
        return default or None
    try:
        seconds = int(str(raw).strip())
    except ValueError:
        raise Invalid("must be a number of seconds", field="access_token_expires_in") from None
    if seconds <= 0 or seconds > _MAX_EXPIRES_IN:
        raise Invalid(
            f"must be between 1 and {_MAX_EXPIRES_IN} seconds", field="access_token_expires_in"
        )
    return seconds


def _text(form: Mapping[str, Any], name: str, limit: int = 200) -> str:
    value = form.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise Invalid("must be a string", field=name)
    text = str(value)
    if len(text) > limit or "\x00" in text:
        raise Invalid(f"must be at most {limit} characters", field=name)
    return text


def issue_token(session: Session, form: Mapping[str, Any], default_ttl: int) -> IssuedToken:
    """``grant_type`` password (or client_credentials) with an API key as the secret, or
    refresh_token, which gives the same token a new access secret."""
    grant = _text(form, "grant_type") or "password"
    repo = CarrierXRepository(session)
    now = utcnow()
    expires_in = _expires_in(form.get("access_token_expires_in"), default_ttl)
    access = str(uuid.uuid4())
    if grant == "refresh_token":
        presented = _text(form, "refresh_token")
        token = repo.token_by_refresh_hash(hash_key(presented)) if presented else None
        if token is None or token.revoked_at is not None or not _key_alive(session, token):
            raise bad_credentials()
        token.access_hash = hash_key(access)
        token.access_expires_at = now + timedelta(seconds=expires_in) if expires_in else None
        session.flush()
        return IssuedToken(token, access, None)
    if grant not in ("password", "client_credentials"):
        raise Invalid("must be password, client_credentials or refresh_token", field="grant_type")
    secret = _text(form, "password", 500) or _text(form, "client_secret", 500)
    try:
        principal = verify_key(session, secret or None)
    except CastwrightError:
        raise bad_credentials() from None
    scopes = parse_scopes(form.get("scope"))
    return _new_token(
        session, principal.org_id, principal.key_id, form, scopes or list(SCOPES), expires_in
    )


def _new_token(
    session: Session,
    org_id: str,
    key_id: str,
    form: Mapping[str, Any],
    scopes: list[str],
    expires_in: int | None,
) -> IssuedToken:
    now = utcnow()
    access, refresh = str(uuid.uuid4()), str(uuid.uuid4())
    token = OAuthToken(
        org_id=org_id,
        api_key_id=key_id,
        name=_text(form, "name"),
        client_id=_text(form, "client_id"),
        scopes=scopes,
        access_hash=hash_key(access),
        refresh_hash=hash_key(refresh),
        access_expires_at=now + timedelta(seconds=expires_in) if expires_in else None,
        created_at=now,
    )
    CarrierXRepository(session).add(token)
    return IssuedToken(token, access, refresh)


def issue_partner_token(
    session: Session,
    principal: CarrierXPrincipal,
    partner_sid: str,
    form: Mapping[str, Any],
    default_ttl: int,
) -> IssuedToken:
    """``POST /oauth/token/{partner_sid}``: a token for a partner the caller manages. Castwright
    has no sub-partners, so that is the caller's own partner; the new token holds at most the
    scopes of the one that asked for it."""
    if partner_sid != principal.partner_sid:
        raise ItemNotFound("partner_sid", partner_sid)
    scopes = parse_scopes(form.get("scope"))
    held = principal.scopes if principal.scopes is not None else frozenset(SCOPES)
    wanted = scopes if scopes is not None else sorted(held)
    beyond = [scope for scope in wanted if scope not in held]
    if beyond:
        raise Forbidden("Forbidden", errors=[f"scope: the caller does not hold {beyond[0]}"])
    expires_in = _expires_in(form.get("access_token_expires_in"), default_ttl)
    return _new_token(session, principal.org_id, principal.key_id, form, wanted, expires_in)


def _key_alive(session: Session, token: OAuthToken) -> bool:
    keys = ApiKeyRepository(session).by_id_or_prefix(token.api_key_id)
    return bool(keys) and not keys[0].revoked


def authenticate(session: Session, authorization: str, client_ip: str | None) -> CarrierXPrincipal:
    """The principal of an ``Authorization`` header: Bearer (token or API key) or Basic."""
    scheme, _, credentials = authorization.strip().partition(" ")
    credentials = credentials.strip()
    if not credentials:
        raise bad_credentials()
    if scheme.lower() == "basic":
        return _api_key_principal(session, _basic_password(credentials))
    if scheme.lower() != "bearer":
        raise bad_credentials()
    token = CarrierXRepository(session).token_by_access_hash(hash_key(credentials))
    if token is None:
        return _api_key_principal(session, credentials)
    now = utcnow()
    expired = token.access_expires_at is not None and token.access_expires_at <= now
    if token.revoked_at is not None or expired or not _key_alive(session, token):
        raise bad_credentials()
    if token.last_accessed_at is None or now - token.last_accessed_at > _TOUCH_INTERVAL:
        token.last_accessed_at, token.ip_last_accessed = now, client_ip
    return CarrierXPrincipal(
        org_id=token.org_id,
        key_id=token.api_key_id,
        scopes=frozenset(token.scopes),
        token_sid=token.id,
        token_secret=credentials,
    )


def _api_key_principal(session: Session, secret: str) -> CarrierXPrincipal:
    try:
        principal = verify_key(session, secret)
    except CastwrightError:
        raise bad_credentials() from None
    return CarrierXPrincipal(org_id=principal.org_id, key_id=principal.key_id, scopes=None)


def _basic_password(credentials: str) -> str:
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise bad_credentials() from None
    _, separator, password = decoded.partition(":")
    if not separator or not password:
        raise bad_credentials()
    return password


def revoke_token(session: Session, principal: CarrierXPrincipal, secret: str) -> None:
    """Revoke a token of the caller's organisation; an unknown token is not an error (RFC 7009)."""
    token = CarrierXRepository(session).token_by_access_hash(hash_key(secret)) if secret else None
    if token is not None and token.org_id == principal.org_id and token.revoked_at is None:
        token.revoked_at = utcnow()


def whoami(session: Session, principal: CarrierXPrincipal) -> IssuedToken:
    """The presenting token; for an API key, a token-shaped view of it (every scope, and
    no secret echoed)."""
    if principal.token_sid is not None:
        token = session.get(OAuthToken, principal.token_sid)
        if token is not None:
            return IssuedToken(token, principal.token_secret, None)
    key = ApiKeyRepository(session).by_id_or_prefix(principal.key_id)[0]
    view = OAuthToken(
        id=key.id,
        org_id=key.org_id,
        api_key_id=key.id,
        name=key.name,
        client_id="",
        scopes=list(SCOPES),
        created_at=key.created_at,
        last_accessed_at=key.last_used_at,
    )
    return IssuedToken(view, None, None)
