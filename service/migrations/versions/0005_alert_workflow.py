"""alert workflow: acknowledgement action and note, escalation rounds

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.platform.db

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ack_action", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("ack_note", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("escalations", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "next_escalation_at", service.platform.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.create_index("ix_alerts_next_escalation_at", ["next_escalation_at"])
    with op.batch_alter_table("alert_notifications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("round", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("alert_notifications", schema=None) as batch_op:
        batch_op.drop_column("round")
    with op.batch_alter_table("alerts", schema=None) as batch_op:
        batch_op.drop_index("ix_alerts_next_escalation_at")
        for column in ("next_escalation_at", "escalations", "ack_note", "ack_action"):
            batch_op.drop_column(column)
