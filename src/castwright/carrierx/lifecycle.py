"""File lifecycle: when a file's TTL runs out, ``delete`` removes it and ``archive`` takes it
out of its container into the library's archive folder; ``no_action`` files and files
without a TTL are never touched.

``sweep`` takes the time as an argument, so a test (or an operator catching up) decides what
"now" is; the scheduler in ``carrierx.tasks`` calls it with the real clock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from castwright.carrierx.files import StorageFileService
from castwright.carrierx.repository import CarrierXRepository
from castwright.db.base import utcnow
from castwright.errors import Conflict
from castwright.runtime import Runtime

__all__ = ["SweepResult", "expire_file", "sweep"]

log = logging.getLogger("castwright.carrierx")

_BATCH = 200
# A file something else still uses is not deleted (as DELETE refuses it); it is tried again
# after this long rather than at every sweep.
_RETRY_IN_USE = timedelta(hours=1)


@dataclass
class SweepResult:
    deleted: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    kept_in_use: list[str] = field(default_factory=list)


def expire_file(runtime: Runtime, session: Session, file_sid: str, now: datetime) -> str | None:
    """Carry out one file's lifecycle action if it is (still) due; returns what was done.

    Re-checked under a row lock: a PATCH may have renewed the TTL since the file was found.
    """
    row = CarrierXRepository(session).file_for_update(file_sid)
    if row is None:
        return None
    record = row.record
    if record.expires_at is None or record.expires_at > now:
        return None
    service = StorageFileService(runtime, session, record.org_id)
    if record.lifecycle_action == "delete":
        try:
            with session.begin_nested():
                service.library.delete(row.file)
        except Conflict:
            record.expires_at = now + _RETRY_IN_USE
            return "in_use"
        return "deleted"
    if record.lifecycle_action == "archive":
        service.archive(row)
        return "archived"
    return None


def sweep(runtime: Runtime, now: datetime | None = None) -> SweepResult:
    """Expire every file due at ``now`` (default: the real time), one transaction per file."""
    now = now or utcnow()
    result = SweepResult()
    seen: set[str] = set()
    while True:
        with runtime.db.session() as session:
            due = [s for s in CarrierXRepository(session).due_files(now, _BATCH) if s not in seen]
        for sid in due:
            seen.add(sid)
            try:
                with runtime.unit_of_work() as session:
                    done = expire_file(runtime, session, sid, now)
            except Exception:  # e.g. a second server expired it first: the rest still run
                log.exception("lifecycle: file %s could not be expired; next sweep retries", sid)
                continue
            if done == "deleted":
                result.deleted.append(sid)
            elif done == "archived":
                result.archived.append(sid)
            elif done == "in_use":
                result.kept_in_use.append(sid)
        if len(due) < _BATCH:
            break
    if result.deleted or result.archived:
        log.info(
            "lifecycle: %d file(s) deleted, %d archived",
            len(result.deleted),
            len(result.archived),
        )
    return result
