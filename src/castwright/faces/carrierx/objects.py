"""CarrierX wire objects: every field present (unset ones null), keys in alphabetical order,
timestamps ISO-8601 UTC with milliseconds and Z."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from castwright.carrierx.containers import available_percent
from castwright.carrierx.identity import partner_sid_for
from castwright.carrierx.publishing import publish_uri
from castwright.carrierx.repository import ContainerRow, FileRow
from castwright.carrierx.tokens import IssuedToken
from castwright.carrierx.voices import TtsVoice

__all__ = ["container_object", "file_object", "timestamp", "token_object", "voice_object"]


def timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return (
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    )


def _sorted(fields: dict[str, Any]) -> dict[str, Any]:
    return dict(sorted(fields.items()))


def _keys(row: Any) -> dict[str, Any]:
    return {
        "integer_key_1": row.integer_key_1,
        "integer_key_2": row.integer_key_2,
        **{f"string_key_{n}": getattr(row, f"string_key_{n}") for n in range(1, 5)},
    }


def container_object(row: ContainerRow) -> dict[str, Any]:
    c, totals = row.container, row.totals
    return _sorted(
        {
            "allow_publish": c.allow_publish,
            "allowed_classifications": list(c.allowed_classifications),
            "available_bytes_percent": available_percent(c.quota_bytes, totals.bytes),
            "available_files_percent": available_percent(c.quota_files, totals.files),
            "blocked_classifications": list(c.blocked_classifications),
            "container_sid": c.id,
            "default_file_lifecycle_action": c.default_file_lifecycle_action,
            "default_file_lifecycle_ttl": c.default_file_lifecycle_ttl,
            "default_file_publish": c.default_file_publish,
            "default_file_threshold_include": c.default_file_threshold_include,
            "default_file_unique": c.default_file_unique,
            "durability_class": "unassigned",
            "encrypted": False,
            "external_attributes": {},
            **_keys(c),
            "name": c.name,
            "parent_container_sid": c.parent_container_sid,
            "partner_sid": partner_sid_for(c.org_id),
            "publish_domain": c.publish_domain,
            "quota_bytes": c.quota_bytes,
            "quota_files": c.quota_files,
            "threshold_action": c.threshold_action,
            "threshold_available_bytes_percent": c.threshold_available_bytes_percent,
            "threshold_available_files_percent": c.threshold_available_files_percent,
            "threshold_bytes": c.threshold_bytes,
            "threshold_bytes_target": c.threshold_bytes_target,
            "threshold_files": c.threshold_files,
            "threshold_files_target": c.threshold_files_target,
            "threshold_grace_period": c.threshold_grace_period,
            "threshold_total_bytes": totals.threshold_bytes,
            "threshold_total_files": totals.threshold_files,
            "total_bytes": totals.bytes,
            "total_files": totals.files,
            "type": "internal",
            "unique": c.unique,
        }
    )


def file_object(row: FileRow) -> dict[str, Any]:
    record, file = row.record, row.file
    return _sorted(
        {
            "container_sid": record.container_sid,
            "content_classification": record.content_classification,
            "content_duration": file.duration,
            "content_format": record.content_format,
            "content_transcoding_progress": None,  # transcoding finishes before the answer
            "date_last_accessed": timestamp(record.date_last_accessed),
            "date_modified": timestamp(record.date_modified),
            "desired_bitrate": record.desired_bitrate,
            "desired_format": record.desired_format,
            "file_access_name": record.file_access_name,
            "file_bytes": file.size,
            "file_sid": record.file_sid,
            **_keys(record),
            "lifecycle_action": record.lifecycle_action,
            "lifecycle_ttl": record.lifecycle_ttl,
            "mime_type": file.mime_type,
            "name": record.name,
            "parent_file_sid": record.parent_file_sid,
            "partner_sid": partner_sid_for(record.org_id),
            "publish": record.publish,
            "publish_uri": publish_uri(record, row.container),
            "threshold_include": record.threshold_include,
            "type": record.type,
            "unique": record.unique,
        }
    )


def voice_object(voice: TtsVoice) -> dict[str, Any]:
    return {"languages": dict(sorted(voice.languages.items())), "voice_sid": voice.voice_sid}


def token_object(view: IssuedToken) -> dict[str, Any]:
    token = view.token
    return _sorted(
        {
            "access_token": view.access_token,
            "client_id": token.client_id,
            "date_created": timestamp(token.created_at),
            "date_expiration_access_token": timestamp(token.access_expires_at),
            "date_expiration_refresh_token": timestamp(token.refresh_expires_at),
            "date_last_accessed": timestamp(token.last_accessed_at),
            "ip_last_accessed": token.ip_last_accessed,
            "name": token.name,
            "partner_sid": partner_sid_for(token.org_id),
            "refresh_token": view.refresh_token,
            "scopes": list(token.scopes),
            "token_sid": token.id,
            "token_type": "bearer",
        }
    )
