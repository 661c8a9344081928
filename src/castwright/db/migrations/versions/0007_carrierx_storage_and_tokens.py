"""CarrierX containers, files and tokens (issue #7).

Containers are library folders with quotas and defaults; CarrierX files are library files with
the face's own fields (the file_sid is the library file's id); tokens are stored as digests.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

import castwright.db.base

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _utc(name: str, nullable: bool) -> sa.Column[Any]:
    return sa.Column(name, castwright.db.base.UTCDateTime(timezone=True), nullable=nullable)


def _keys() -> list[sa.Column[Any]]:
    """The user keys containers and files share, filterable like any field."""
    integers: list[sa.Column[Any]] = [
        sa.Column(f"integer_key_{n}", sa.Integer(), nullable=True) for n in range(1, 3)
    ]
    strings: list[sa.Column[Any]] = [
        sa.Column(f"string_key_{n}", sa.String(length=255), nullable=True) for n in range(1, 5)
    ]
    return integers + strings


def upgrade() -> None:
    op.create_table(
        "carrierx_container",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("folder_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("unique", sa.Boolean(), nullable=False),
        sa.Column("allow_publish", sa.Boolean(), nullable=False),
        sa.Column("publish_domain", sa.String(length=255), nullable=False),
        sa.Column("quota_bytes", sa.Integer(), nullable=False),
        sa.Column("quota_files", sa.Integer(), nullable=False),
        sa.Column("allowed_classifications", sa.JSON(), nullable=False),
        sa.Column("blocked_classifications", sa.JSON(), nullable=False),
        sa.Column("default_file_lifecycle_action", sa.String(length=32), nullable=False),
        sa.Column("default_file_lifecycle_ttl", sa.Integer(), nullable=False),
        sa.Column("default_file_publish", sa.String(length=32), nullable=False),
        sa.Column("default_file_threshold_include", sa.Boolean(), nullable=False),
        sa.Column("default_file_unique", sa.Boolean(), nullable=False),
        sa.Column("parent_container_sid", sa.String(length=36), nullable=True),
        *_keys(),
        sa.Column("threshold_action", sa.String(length=64), nullable=True),
        sa.Column("threshold_available_bytes_percent", sa.Integer(), nullable=True),
        sa.Column("threshold_available_files_percent", sa.Integer(), nullable=True),
        sa.Column("threshold_bytes", sa.Integer(), nullable=True),
        sa.Column("threshold_bytes_target", sa.Integer(), nullable=True),
        sa.Column("threshold_files", sa.Integer(), nullable=True),
        sa.Column("threshold_files_target", sa.Integer(), nullable=True),
        sa.Column("threshold_grace_period", sa.Integer(), nullable=False),
        _utc("created_at", nullable=False),
        _utc("updated_at", nullable=False),
        sa.ForeignKeyConstraint(
            ["folder_id"],
            ["folder.id"],
            name=op.f("fk_carrierx_container_folder_id_folder"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrierx_container")),
    )
    with op.batch_alter_table("carrierx_container", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_carrierx_container_folder_id"), ["folder_id"], unique=False
        )
        batch_op.create_index(
            "ix_carrierx_container_org_created", ["org_id", "created_at"], unique=False
        )

    op.create_table(
        "carrierx_file",
        sa.Column("file_sid", sa.String(length=36), nullable=False),
        sa.Column("container_sid", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=1024), nullable=False),
        sa.Column("file_access_name", sa.String(length=1024), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("content_classification", sa.String(length=32), nullable=False),
        sa.Column("content_format", sa.String(length=32), nullable=False),
        sa.Column("desired_bitrate", sa.Integer(), nullable=True),
        sa.Column("desired_format", sa.String(length=16), nullable=True),
        sa.Column("lifecycle_action", sa.String(length=32), nullable=False),
        sa.Column("lifecycle_ttl", sa.Integer(), nullable=False),
        _utc("expires_at", nullable=True),
        sa.Column("publish", sa.String(length=32), nullable=False),
        sa.Column("threshold_include", sa.Boolean(), nullable=False),
        sa.Column("unique", sa.Boolean(), nullable=False),
        sa.Column("parent_file_sid", sa.String(length=36), nullable=True),
        *_keys(),
        _utc("date_last_accessed", nullable=True),
        _utc("created_at", nullable=False),
        _utc("date_modified", nullable=False),
        sa.ForeignKeyConstraint(
            ["container_sid"],
            ["carrierx_container.id"],
            name=op.f("fk_carrierx_file_container_sid_carrierx_container"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_sid"],
            ["file.id"],
            name=op.f("fk_carrierx_file_file_sid_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_sid", name=op.f("pk_carrierx_file")),
    )
    with op.batch_alter_table("carrierx_file", schema=None) as batch_op:
        batch_op.create_index(
            "ix_carrierx_file_container_created", ["container_sid", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_carrierx_file_container_access_name",
            ["container_sid", "file_access_name"],
            unique=False,
        )
        batch_op.create_index(
            "ix_carrierx_file_org_created", ["org_id", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_carrierx_file_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "oauth_token",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("api_key_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("access_hash", sa.String(length=64), nullable=False),
        sa.Column("refresh_hash", sa.String(length=64), nullable=True),
        _utc("access_expires_at", nullable=True),
        _utc("refresh_expires_at", nullable=True),
        _utc("created_at", nullable=False),
        _utc("last_accessed_at", nullable=True),
        sa.Column("ip_last_accessed", sa.String(length=64), nullable=True),
        _utc("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_token")),
        sa.UniqueConstraint("access_hash", name=op.f("uq_oauth_token_access_hash")),
        sa.UniqueConstraint("refresh_hash", name=op.f("uq_oauth_token_refresh_hash")),
    )
    with op.batch_alter_table("oauth_token", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oauth_token_api_key_id"), ["api_key_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_oauth_token_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("oauth_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oauth_token_org_id"))
        batch_op.drop_index(batch_op.f("ix_oauth_token_api_key_id"))
    op.drop_table("oauth_token")
    with op.batch_alter_table("carrierx_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carrierx_file_expires_at"))
        batch_op.drop_index("ix_carrierx_file_org_created")
        batch_op.drop_index("ix_carrierx_file_container_access_name")
        batch_op.drop_index("ix_carrierx_file_container_created")
    op.drop_table("carrierx_file")
    with op.batch_alter_table("carrierx_container", schema=None) as batch_op:
        batch_op.drop_index("ix_carrierx_container_org_created")
        batch_op.drop_index(batch_op.f("ix_carrierx_container_folder_id"))
    op.drop_table("carrierx_container")
