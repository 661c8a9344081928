"""Cloned voices and content intelligence (issue #6).

voice_clone: requests to build a voice from recordings (POST /speech/voice-builder).
custom_voice: the voices they built, per organisation, alias unique in any case.
Adverts are stored as ordinary scripts: content intelligence needs no table of its own.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import castwright.db.base

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "voice_clone",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.Column("alias_key", sa.String(length=100), nullable=False),
        sa.Column("voice_engine", sa.String(length=64), nullable=False),
        sa.Column("cloner", sa.String(length=64), nullable=False),
        sa.Column("file_ids", sa.JSON(), nullable=False),
        sa.Column("discarded_files", sa.JSON(), nullable=False),
        sa.Column("consent_file_id", sa.String(length=36), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("fail_reason", sa.Text(), nullable=True),
        sa.Column("job_id", sa.String(length=36), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("analysis", sa.JSON(), nullable=False),
        sa.Column("created_at", castwright.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", castwright.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_voice_clone")),
    )
    with op.batch_alter_table("voice_clone", schema=None) as batch_op:
        batch_op.create_index("ix_voice_clone_org_alias", ["org_id", "alias_key"], unique=False)

    op.create_table(
        "custom_voice",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("alias", sa.String(length=100), nullable=False),
        sa.Column("alias_key", sa.String(length=100), nullable=False),
        sa.Column("clone_id", sa.String(length=36), nullable=True),
        sa.Column("engine", sa.String(length=64), nullable=False),
        sa.Column("engine_voice_id", sa.String(length=100), nullable=False),
        sa.Column("variant", sa.String(length=64), nullable=False),
        sa.Column("rate", sa.Double(), nullable=False),
        sa.Column("pitch", sa.Double(), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=False),
        sa.Column("language_code", sa.String(length=35), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("created_at", castwright.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custom_voice")),
        sa.UniqueConstraint("org_id", "alias_key", name="uq_custom_voice_org_alias"),
    )
    with op.batch_alter_table("custom_voice", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_custom_voice_clone_id"), ["clone_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("custom_voice", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custom_voice_clone_id"))
    op.drop_table("custom_voice")

    with op.batch_alter_table("voice_clone", schema=None) as batch_op:
        batch_op.drop_index("ix_voice_clone_org_alias")
    op.drop_table("voice_clone")
