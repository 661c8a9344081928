"""The writable fields of CarrierX containers and files, their types and allowed values."""

from __future__ import annotations

from castwright.carrierx.fields import FieldSpec

__all__ = [
    "BITRATES",
    "CLASSIFICATIONS",
    "CONTAINER_FIELDS",
    "CONTAINER_READ_ONLY",
    "DEFAULT_QUOTA_BYTES",
    "DEFAULT_QUOTA_FILES",
    "FILE_FIELDS",
    "FILE_READ_ONLY",
    "LIFECYCLE_ACTIONS",
    "PUBLISH_MODES",
    "TRANSCODE_FORMATS",
]

DEFAULT_QUOTA_BYTES = 1073741824  # 1 GiB, the documented default
DEFAULT_QUOTA_FILES = 100
CLASSIFICATIONS = ("archive", "document", "executable", "media", "unknown")
# no_action and delete are CarrierX's; archive keeps the file in the organisation's library
# (folder carrierx-archive/<container_sid>) and takes it out of the container.
LIFECYCLE_ACTIONS = ("no_action", "delete", "archive")
PUBLISH_MODES = ("file_sid", "file_access_name", "none")
BITRATES = (8, 16, 24, 32, 40, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
TRANSCODE_FORMATS = ("mp3", "wav", "ogg", "flac")

_KEYS = {
    "integer_key_1": FieldSpec("int", nullable=True),
    "integer_key_2": FieldSpec("int", nullable=True),
    **{f"string_key_{n}": FieldSpec("str", nullable=True) for n in range(1, 5)},
}

CONTAINER_FIELDS: dict[str, FieldSpec] = {
    "allow_publish": FieldSpec("bool"),
    "allowed_classifications": FieldSpec("str_list", choices=CLASSIFICATIONS),
    "blocked_classifications": FieldSpec("str_list", choices=CLASSIFICATIONS),
    "default_file_lifecycle_action": FieldSpec("str", choices=LIFECYCLE_ACTIONS),
    "default_file_lifecycle_ttl": FieldSpec("int", minimum=-1),
    "default_file_publish": FieldSpec("str", choices=PUBLISH_MODES),
    "default_file_threshold_include": FieldSpec("bool"),
    "default_file_unique": FieldSpec("bool"),
    "external_attributes": FieldSpec("object"),
    **_KEYS,
    "name": FieldSpec("str"),
    "parent_container_sid": FieldSpec("str", nullable=True, max_length=36),
    "partner_sid": FieldSpec("str", update=False, max_length=36),
    "publish_domain": FieldSpec("str"),
    "quota_bytes": FieldSpec("int", minimum=0),
    "quota_files": FieldSpec("int", minimum=0),
    "quota_count": FieldSpec("int", alias_of="quota_files"),  # the Python client's name
    "threshold_action": FieldSpec("str", nullable=True, max_length=64),
    "threshold_available_bytes_percent": FieldSpec("int", nullable=True, minimum=0),
    "threshold_available_files_percent": FieldSpec("int", nullable=True, minimum=0),
    "threshold_bytes": FieldSpec("int", nullable=True, minimum=0),
    "threshold_bytes_target": FieldSpec("int", nullable=True, minimum=0),
    "threshold_files": FieldSpec("int", nullable=True, minimum=0),
    "threshold_files_target": FieldSpec("int", nullable=True, minimum=0),
    "threshold_grace_period": FieldSpec("int", minimum=0),
    "type": FieldSpec("str", update=False, choices=("internal",)),
    "unique": FieldSpec("bool"),
}
CONTAINER_READ_ONLY = frozenset(
    {
        "available_bytes_percent",
        "available_files_percent",
        "container_sid",
        "durability_class",
        "encrypted",
        "threshold_total_bytes",
        "threshold_total_files",
        "total_bytes",
        "total_files",
    }
)

FILE_FIELDS: dict[str, FieldSpec] = {
    "container_sid": FieldSpec("str", max_length=36),
    "desired_bitrate": FieldSpec("int", nullable=True, choices=BITRATES),
    "desired_format": FieldSpec("str", nullable=True, choices=TRANSCODE_FORMATS),
    "file_access_name": FieldSpec("str", max_length=1024),
    **_KEYS,
    "lifecycle_action": FieldSpec("str", choices=LIFECYCLE_ACTIONS),
    "lifecycle_ttl": FieldSpec("int", minimum=-1),
    "mime_type": FieldSpec("str", max_length=128),
    "name": FieldSpec("str", max_length=1024),
    "parent_file_sid": FieldSpec("str", nullable=True, max_length=36),
    "partner_sid": FieldSpec("str", update=False, max_length=36),
    "publish": FieldSpec("str", choices=PUBLISH_MODES),
    "threshold_include": FieldSpec("bool"),
    "type": FieldSpec("str", max_length=32),
    "unique": FieldSpec("bool"),
}
FILE_READ_ONLY = frozenset(
    {
        "content_classification",
        "content_duration",
        "content_format",
        "content_transcoding_progress",
        "date_last_accessed",
        "date_modified",
        "file_bytes",
        "file_sid",
        "publish_uri",
    }
)
