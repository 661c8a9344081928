"""All SQL for API keys."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from castwright.models.api_key import ApiKey

__all__ = ["ApiKeyRepository"]


class ApiKeyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, key: ApiKey) -> ApiKey:
        self.session.add(key)
        self.session.flush()
        return key

    def by_hash(self, key_hash: str) -> ApiKey | None:
        return self.session.scalars(select(ApiKey).where(ApiKey.key_hash == key_hash)).first()

    def by_id_or_prefix(self, ident: str) -> list[ApiKey]:
        return list(
            self.session.scalars(
                select(ApiKey).where((ApiKey.id == ident) | (ApiKey.prefix == ident))
            )
        )

    def all(self) -> Sequence[ApiKey]:
        return self.session.scalars(select(ApiKey).order_by(ApiKey.created_at)).all()

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(ApiKey)) or 0
