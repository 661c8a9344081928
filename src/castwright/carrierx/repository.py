"""All SQL of the CarrierX face: containers, their files (over the library), tokens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select, update
from sqlalchemy.orm import Session

from castwright.carrierx.filter_sql import SqlField, compile_filter, order_clauses, parse_order
from castwright.carrierx.listing import ListRequest, Page
from castwright.errors import BadRequest
from castwright.models.carrierx_container import CarrierXContainer
from castwright.models.carrierx_file import CarrierXFile
from castwright.models.file import File
from castwright.models.oauth_token import OAuthToken

__all__ = [
    "CONTAINER_SQL_FIELDS",
    "FILE_SQL_FIELDS",
    "CarrierXRepository",
    "ContainerRow",
    "FileRow",
    "Totals",
]


@dataclass(frozen=True)
class Totals:
    bytes: int = 0
    files: int = 0
    threshold_bytes: int = 0
    threshold_files: int = 0


@dataclass
class ContainerRow:
    container: CarrierXContainer
    totals: Totals


@dataclass
class FileRow:
    record: CarrierXFile
    file: File
    container: CarrierXContainer


def _sum_size(only_threshold: bool = False) -> ColumnElement[int]:
    query = select(func.coalesce(func.sum(File.size), 0)).join(
        CarrierXFile, CarrierXFile.file_sid == File.id
    )
    query = query.where(CarrierXFile.container_sid == CarrierXContainer.id)
    if only_threshold:
        query = query.where(CarrierXFile.threshold_include.is_(True))
    return query.scalar_subquery()


def _count_files(only_threshold: bool = False) -> ColumnElement[int]:
    query = select(func.count(CarrierXFile.file_sid)).where(
        CarrierXFile.container_sid == CarrierXContainer.id
    )
    if only_threshold:
        query = query.where(CarrierXFile.threshold_include.is_(True))
    return query.scalar_subquery()


def _available(quota: Any, total: ColumnElement[int]) -> ColumnElement[int]:
    # floor(100 * (quota - total) / quota), never below 0; integer arithmetic on both backends.
    left = (quota - total) * 100 // quota
    return case((quota <= 0, 0), (total >= quota, 0), else_=left)


_TOTAL_BYTES, _TOTAL_FILES = _sum_size(), _count_files()
_THRESHOLD_BYTES, _THRESHOLD_FILES = _sum_size(True), _count_files(True)
_C = CarrierXContainer

CONTAINER_SQL_FIELDS: dict[str, SqlField] = {
    "container_sid": SqlField(_C.id, "str"),
    "name": SqlField(_C.name, "str"),
    "unique": SqlField(_C.unique, "bool"),
    "allow_publish": SqlField(_C.allow_publish, "bool"),
    "publish_domain": SqlField(_C.publish_domain, "str"),
    "quota_bytes": SqlField(_C.quota_bytes, "int"),
    "quota_files": SqlField(_C.quota_files, "int"),
    "total_bytes": SqlField(_TOTAL_BYTES, "int"),
    "total_files": SqlField(_TOTAL_FILES, "int"),
    "threshold_total_bytes": SqlField(_THRESHOLD_BYTES, "int"),
    "threshold_total_files": SqlField(_THRESHOLD_FILES, "int"),
    "available_bytes_percent": SqlField(_available(_C.quota_bytes, _TOTAL_BYTES), "int"),
    "available_files_percent": SqlField(_available(_C.quota_files, _TOTAL_FILES), "int"),
    "default_file_lifecycle_action": SqlField(_C.default_file_lifecycle_action, "str"),
    "default_file_lifecycle_ttl": SqlField(_C.default_file_lifecycle_ttl, "int"),
    "default_file_publish": SqlField(_C.default_file_publish, "str"),
    "default_file_threshold_include": SqlField(_C.default_file_threshold_include, "bool"),
    "default_file_unique": SqlField(_C.default_file_unique, "bool"),
    "parent_container_sid": SqlField(_C.parent_container_sid, "str"),
    "threshold_action": SqlField(_C.threshold_action, "str"),
    "threshold_grace_period": SqlField(_C.threshold_grace_period, "int"),
    "durability_class": SqlField(literal("unassigned"), "str"),
    "encrypted": SqlField(literal(False), "bool"),
    "type": SqlField(literal("internal"), "str"),
    "partner_sid": SqlField(None, "str"),  # always the caller's own partner
    "allowed_classifications": SqlField(None, "str"),
    "blocked_classifications": SqlField(None, "str"),
    "external_attributes": SqlField(None, "str"),
    **{
        name: SqlField(getattr(_C, name), "int")
        for name in (
            "integer_key_1",
            "integer_key_2",
            "threshold_available_bytes_percent",
            "threshold_available_files_percent",
            "threshold_bytes",
            "threshold_bytes_target",
            "threshold_files",
            "threshold_files_target",
        )
    },
    **{f"string_key_{n}": SqlField(getattr(_C, f"string_key_{n}"), "str") for n in range(1, 5)},
}

_F = CarrierXFile
FILE_SQL_FIELDS: dict[str, SqlField] = {
    "file_sid": SqlField(_F.file_sid, "str"),
    "container_sid": SqlField(_F.container_sid, "str"),
    "name": SqlField(_F.name, "str"),
    "file_access_name": SqlField(_F.file_access_name, "str"),
    "type": SqlField(_F.type, "str"),
    "content_classification": SqlField(_F.content_classification, "str"),
    "content_format": SqlField(_F.content_format, "str"),
    "content_duration": SqlField(File.duration, "float"),
    "content_transcoding_progress": SqlField(literal(None), "int"),
    "file_bytes": SqlField(File.size, "int"),
    "mime_type": SqlField(File.mime_type, "str"),
    "desired_bitrate": SqlField(_F.desired_bitrate, "int"),
    "desired_format": SqlField(_F.desired_format, "str"),
    "lifecycle_action": SqlField(_F.lifecycle_action, "str"),
    "lifecycle_ttl": SqlField(_F.lifecycle_ttl, "int"),
    "publish": SqlField(_F.publish, "str"),
    "threshold_include": SqlField(_F.threshold_include, "bool"),
    "unique": SqlField(_F.unique, "bool"),
    "parent_file_sid": SqlField(_F.parent_file_sid, "str"),
    "date_last_accessed": SqlField(_F.date_last_accessed, "datetime"),
    "date_modified": SqlField(_F.date_modified, "datetime"),
    "integer_key_1": SqlField(_F.integer_key_1, "int"),
    "integer_key_2": SqlField(_F.integer_key_2, "int"),
    **{f"string_key_{n}": SqlField(getattr(_F, f"string_key_{n}"), "str") for n in range(1, 5)},
    "partner_sid": SqlField(None, "str"),
    "publish_uri": SqlField(None, "str"),
}


class CarrierXRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        bind = session.get_bind()
        self.dialect = bind.dialect.name

    def add(self, row: CarrierXContainer | CarrierXFile | OAuthToken) -> None:
        self.session.add(row)
        self.session.flush()

    def delete(self, row: CarrierXContainer | CarrierXFile) -> None:
        self.session.delete(row)
        self.session.flush()

    # -- containers ------------------------------------------------------------------------

    def container(self, org_id: str, sid: str) -> CarrierXContainer | None:
        return self.session.scalars(select(_C).where(_C.id == sid, _C.org_id == org_id)).first()

    def lock_container(self, container: CarrierXContainer) -> None:
        """Serialise admissions to one container until commit: a no-op UPDATE takes the row
        lock on PostgreSQL and the write lock on SQLite, so quota checks that follow count
        every file committed before and none racing alongside."""
        self.session.execute(
            update(_C)
            .where(_C.id == container.id)
            .values(quota_files=_C.quota_files)
            .execution_options(synchronize_session=False)
        )

    def totals(self, container_sid: str) -> Totals:
        included = CarrierXFile.threshold_include.is_(True)
        row = self.session.execute(
            select(
                func.coalesce(func.sum(File.size), 0),
                func.count(File.id),
                func.coalesce(func.sum(case((included, File.size), else_=0)), 0),
                func.coalesce(func.sum(case((included, 1), else_=0)), 0),
            )
            .join(CarrierXFile, CarrierXFile.file_sid == File.id)
            .where(CarrierXFile.container_sid == container_sid)
        ).one()
        return Totals(int(row[0]), int(row[1]), int(row[2]), int(row[3]))

    def container_count(self, org_id: str) -> int:
        return self.session.scalar(select(func.count()).where(_C.org_id == org_id)) or 0

    def container_named(self, org_id: str, name: str, other_than: str | None) -> str | None:
        query = select(_C.id).where(_C.org_id == org_id, _C.name == name)
        if other_than:
            query = query.where(_C.id != other_than)
        return self.session.scalar(query.order_by(_C.created_at).limit(1))

    def unique_container_named(self, org_id: str, name: str, other_than: str | None) -> str | None:
        query = select(_C.id).where(_C.org_id == org_id, _C.name == name, _C.unique.is_(True))
        if other_than:
            query = query.where(_C.id != other_than)
        return self.session.scalar(query.limit(1))

    def list_containers(self, org_id: str, request: ListRequest) -> Page[ContainerRow]:
        totals = (_TOTAL_BYTES, _TOTAL_FILES, _THRESHOLD_BYTES, _THRESHOLD_FILES)
        base = select(_C, *totals).where(_C.org_id == org_id)  # one query, totals included
        rows, page = self._page(base, _C.id, _C.created_at, CONTAINER_SQL_FIELDS, request)
        found = self.session.execute(rows).all()
        return Page(
            [ContainerRow(r[0], Totals(*(int(v or 0) for v in r[1:]))) for r in found], *page
        )

    def container_has_files(self, sid: str) -> bool:
        query = select(_F.file_sid).where(_F.container_sid == sid).limit(1)
        return self.session.scalar(query) is not None

    # -- files -----------------------------------------------------------------------------

    def file(self, org_id: str, sid: str) -> FileRow | None:
        row = self.session.execute(
            select(_F, File, _C)
            .join(File, File.id == _F.file_sid)
            .join(_C, _C.id == _F.container_sid)
            .where(_F.file_sid == sid, _F.org_id == org_id)
        ).first()
        return FileRow(row[0], row[1], row[2]) if row else None

    def published_file(self, sid: str) -> FileRow | None:
        """A file by SID alone: the public route has no organisation to scope by."""
        row = self.session.execute(
            select(_F, File, _C)
            .join(File, File.id == _F.file_sid)
            .join(_C, _C.id == _F.container_sid)
            .where(_F.file_sid == sid)
        ).first()
        return FileRow(row[0], row[1], row[2]) if row else None

    def published_by_access_name(self, container_sid: str, access_name: str) -> FileRow | None:
        row = self.session.execute(
            select(_F, File, _C)
            .join(File, File.id == _F.file_sid)
            .join(_C, _C.id == _F.container_sid)
            .where(_F.container_sid == container_sid, _F.file_access_name == access_name)
            .where(_F.publish == "file_access_name")
            .order_by(_F.created_at)
        ).first()
        return FileRow(row[0], row[1], row[2]) if row else None

    def access_name_taken(
        self, container_sid: str, access_name: str, other_than: str | None, unique_only: bool
    ) -> str | None:
        """The SID of another file with this access name (only unique ones if asked)."""
        query = select(_F.file_sid).where(
            _F.container_sid == container_sid, _F.file_access_name == access_name
        )
        if other_than:
            query = query.where(_F.file_sid != other_than)
        if unique_only:
            query = query.where(_F.unique.is_(True))
        return self.session.scalar(query.limit(1))

    def list_files(self, org_id: str, request: ListRequest) -> Page[FileRow]:
        base = (
            select(_F, File, _C)
            .join(File, File.id == _F.file_sid)
            .join(_C, _C.id == _F.container_sid)
            .where(_F.org_id == org_id)
        )
        rows, page = self._page(base, _F.file_sid, _F.created_at, FILE_SQL_FIELDS, request)
        found = self.session.execute(rows).all()
        return Page([FileRow(r[0], r[1], r[2]) for r in found], *page)

    def due_files(self, now: datetime, limit: int) -> Sequence[str]:
        """SIDs of files whose TTL has run out and whose action does something."""
        return self.session.scalars(
            select(_F.file_sid)
            .where(_F.expires_at.is_not(None), _F.expires_at <= now)
            .where(_F.lifecycle_action.in_(("delete", "archive")))
            .order_by(_F.expires_at)
            .limit(limit)
        ).all()

    def file_for_update(self, sid: str) -> FileRow | None:
        """A file row locked until commit (PostgreSQL), for jobs racing a request."""
        row = self.session.execute(
            select(_F, File, _C)
            .join(File, File.id == _F.file_sid)
            .join(_C, _C.id == _F.container_sid)
            .where(_F.file_sid == sid)
            .with_for_update(of=_F)
        ).first()
        return FileRow(row[0], row[1], row[2]) if row else None

    # -- tokens ----------------------------------------------------------------------------

    def token_by_access_hash(self, digest: str) -> OAuthToken | None:
        query = select(OAuthToken).where(OAuthToken.access_hash == digest)
        return self.session.scalars(query).first()

    def token_by_refresh_hash(self, digest: str) -> OAuthToken | None:
        query = select(OAuthToken).where(OAuthToken.refresh_hash == digest)
        return self.session.scalars(query).first()

    # -- lists -----------------------------------------------------------------------------

    def _page(
        self,
        base: Any,
        sid_column: Any,
        created_column: Any,
        fields: dict[str, SqlField],
        request: ListRequest,
    ) -> tuple[Select[Any], tuple[int, int, int]]:
        """The page's statement, and the total of matches, limit and offset it uses."""
        condition = compile_filter(request.conditions, fields, self.dialect)
        if condition is not None:
            base = base.where(condition)
        order = parse_order(request.order_text, fields)
        total = self.session.scalar(select(func.count()).select_from(base.subquery())) or 0
        clauses = order_clauses(order, fields) if order != [] else []
        if order is not None:  # a stable tail: creation order, then the SID
            clauses += [created_column.asc(), sid_column.asc()]
        ordered = base.order_by(*clauses)
        offset, limit = request.offset, request.limit
        if request.after or request.before:
            if order is None:
                raise BadRequest(
                    "Invalid paging", errors=["order: shuffle cannot be paged with a cursor"]
                )
            sids: list[str] = list(
                self.session.scalars(ordered.with_only_columns(sid_column)).all()
            )
            cursor = request.after or request.before
            if cursor not in sids:
                field = "after" if request.after else "before"
                raise BadRequest("Invalid paging", errors=[f"{field}: no such item in this list"])
            position = sids.index(cursor)
            if request.after:
                offset = position + 1
            else:
                offset, limit = max(0, position - limit), min(limit, position)
        return ordered.offset(offset).limit(limit), (total, limit, offset)
