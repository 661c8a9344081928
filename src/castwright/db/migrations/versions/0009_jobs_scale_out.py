"""Jobs across hosts (issue #9): heartbeat, publish time, worker and request id per job;
composite indexes for the per-organisation lists (newest first) on PostgreSQL and SQLite.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import castwright.db.base

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_INDEXES = [
    ("ix_speech_org_created", "speech", ["org_id", "created_at"]),
    ("ix_speech_org_status", "speech", ["org_id", "status"]),
    ("ix_production_org_created", "production", ["org_id", "created_at"]),
    ("ix_script_org_created", "script", ["org_id", "created_at"]),
]


def upgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("enqueued_at", castwright.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("heartbeat_at", castwright.db.base.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("worker", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("request_id", sa.String(length=64), nullable=True))
    # Jobs accepted before this revision count as handed over when they were created.
    op.execute("UPDATE job SET enqueued_at = created_at")
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_column("request_id")
        batch_op.drop_column("worker")
        batch_op.drop_column("heartbeat_at")
        batch_op.drop_column("enqueued_at")
