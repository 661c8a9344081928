"""Engine and session factory. Transactions are committed at the boundary (request or job)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from castwright.config import DatabaseSettings

__all__ = ["Database", "after_commit", "make_engine"]

_AFTER_COMMIT = "castwright.after_commit"


def after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` after this session's transaction commits; never if it rolls back."""
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers and the job workers proceed while one writer commits; foreign keys are
    # off by default in SQLite; busy_timeout makes concurrent writers wait instead of failing.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str, pool: DatabaseSettings | None = None) -> Engine:
    pool = pool or DatabaseSettings()
    if url.startswith("sqlite"):
        # A file connection is cheap to keep and costly to open (four PRAGMAs): keep as many
        # open as a burst of request threads uses, or each burst reconnects on every request.
        sizing = (
            {}
            if ":memory:" in url or url in ("sqlite://", "sqlite:///")
            else {
                "pool_size": pool.pool_size + pool.max_overflow,
                "max_overflow": pool.max_overflow,
            }
        )
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **sizing
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(
        url,
        pool_pre_ping=pool.pool_pre_ping,
        pool_size=pool.pool_size,
        max_overflow=pool.max_overflow,
        pool_timeout=pool.pool_timeout_seconds,
        pool_recycle=pool.pool_recycle_seconds,
        connect_args={"connect_timeout": pool.connect_timeout_seconds},
    )


class Database:
    """Owns the engine and hands out sessions; one per process."""

    def __init__(self, url: str, pool: DatabaseSettings | None = None) -> None:
        self.url = url
        self.engine = make_engine(url, pool)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commit on success, roll back on any error.

        Callbacks registered with ``after_commit`` run once the commit has succeeded (and are
        dropped on rollback): storage is only changed after the database agrees.
        """
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            callbacks: list[Callable[[], None]] = session.info.pop(_AFTER_COMMIT, [])
            session.close()
        for callback in callbacks:
            callback()

    def dispose(self) -> None:
        self.engine.dispose()
