"""Pronunciation dictionaries: one row per word, language and specialization, per organisation.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import castwright.db.base

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pronunciation_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=35), nullable=False),
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.Column("word_key", sa.String(length=100), nullable=False),
        sa.Column("specialization", sa.String(length=100), nullable=False),
        sa.Column("replacement", sa.Text(), nullable=False),
        sa.Column("content_type", sa.String(length=8), nullable=False),
        sa.Column("created_at", castwright.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", castwright.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pronunciation_entry")),
        sa.UniqueConstraint(
            "org_id", "lang", "word_key", "specialization", name="uq_pronunciation_entry_word"
        ),
    )
    with op.batch_alter_table("pronunciation_entry", schema=None) as batch_op:
        # Every read is "this organisation's entries" or "one of its languages".
        batch_op.create_index("ix_pronunciation_entry_org_lang", ["org_id", "lang"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pronunciation_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_pronunciation_entry_org_lang")

    op.drop_table("pronunciation_entry")
