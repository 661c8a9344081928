"""auth/service.py: keys are random, stored only as a hash, verifiable and revocable."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from castwright.auth.service import (
    DEFAULT_ORG,
    count_keys,
    create_key,
    hash_key,
    list_keys,
    revoke_key,
    verify_key,
)
from castwright.config import Settings
from castwright.db import Database
from castwright.db.migrate import upgrade
from castwright.errors import Forbidden, Invalid, NotFound, Unauthorized
from castwright.models.api_key import ApiKey
from castwright.runtime import database_for


@pytest.fixture
def db(tmp_path: Path) -> Database:
    settings = Settings(data_dir=tmp_path / "data", database_url="")
    upgrade(settings)
    return database_for(settings)


def test_keys_are_random_prefixed_and_stored_only_as_a_hash(db: Database) -> None:
    with db.session() as session:
        row, secret = create_key(session, name="laptop")
        _, other = create_key(session, name="server", org_id="acme")
    assert secret.startswith("cw_") and len(secret) > 40
    assert secret != other
    assert row.key_hash == hashlib.sha256(secret.encode()).hexdigest() == hash_key(secret)
    assert row.prefix == secret[:9]
    assert (row.name, row.org_id) == ("laptop", DEFAULT_ORG)

    # Nothing in the table contains a secret: only the digest and a short display prefix.
    with db.engine.connect() as connection:
        stored = [
            str(value) for r in connection.execute(text("select * from api_key")) for value in r
        ]
    for whole in (secret, other):
        assert not any(whole in value for value in stored)
        assert not any(whole[len(whole) // 2 :] in value for value in stored)


def test_verify_returns_the_principal_and_touches_last_used(db: Database) -> None:
    with db.session() as session:
        row, secret = create_key(session, org_id="acme")
        key_id = row.id
    with db.session() as session:
        principal = verify_key(session, secret)
    assert (principal.key_id, principal.org_id) == (key_id, "acme")
    with db.session() as session:
        stored = session.get(ApiKey, key_id)
        assert stored is not None and stored.last_used_at is not None
        first_use = stored.last_used_at
    with db.session() as session:
        verify_key(session, secret)  # within the touch interval: no write
    with db.session() as session:
        stored = session.get(ApiKey, key_id)
        assert stored is not None and stored.last_used_at == first_use
        stored.last_used_at = first_use - timedelta(hours=1)
    with db.session() as session:
        verify_key(session, secret)
    with db.session() as session:
        stored = session.get(ApiKey, key_id)
        assert stored is not None and stored.last_used_at is not None
        assert stored.last_used_at > first_use - timedelta(hours=1)


@pytest.mark.parametrize("secret", [None, ""])
def test_missing_key_is_unauthorized(db: Database, secret: str | None) -> None:
    with db.session() as session, pytest.raises(Unauthorized) as caught:
        verify_key(session, secret)
    assert caught.value.status == 401


def test_unknown_key_is_forbidden(db: Database) -> None:
    with db.session() as session:
        _, secret = create_key(session)
    for wrong in ("cw_not-a-real-key", secret + "x", secret.upper(), secret[:-1]):
        with db.session() as session, pytest.raises(Forbidden, match="check API key") as caught:
            verify_key(session, wrong)
        assert caught.value.status == 403


def test_revoke_by_id_or_prefix(db: Database) -> None:
    with db.session() as session:
        first, first_secret = create_key(session, name="first")
        second, second_secret = create_key(session, name="second")
        first_id, second_prefix = first.id, second.prefix
    with db.session() as session:
        assert revoke_key(session, first_id).revoked_at is not None
    with db.session() as session:
        assert revoke_key(session, second_prefix).name == "second"
    for secret in (first_secret, second_secret):
        with db.session() as session, pytest.raises(Forbidden, match="revoked"):
            verify_key(session, secret)
    with db.session() as session:
        revoked_at = revoke_key(session, first_id).revoked_at  # again: unchanged
    with db.session() as session:
        stored = session.get(ApiKey, first_id)
        assert stored is not None and stored.revoked_at == revoked_at
        assert [k.name for k in list_keys(session)] == ["first", "second"]
        assert count_keys(session) == 2  # revoked keys are kept, for the record


def test_revoke_unknown_or_ambiguous(db: Database) -> None:
    with db.session() as session, pytest.raises(NotFound):
        revoke_key(session, "no-such-key")
    with db.session() as session:
        for name in ("a", "b"):  # two keys sharing a display prefix
            session.add(ApiKey(org_id="x", name=name, prefix="cw_shared", key_hash=name * 64))
    with db.session() as session, pytest.raises(Invalid) as caught:
        revoke_key(session, "cw_shared")
    assert caught.value.field == "key"
