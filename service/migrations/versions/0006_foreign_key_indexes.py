"""an index on every foreign key: deletes and joins without scanning the referencing table

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 04:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("group_staff", "user_id"),
    ("outbound_messages", "prompt_id"),
    ("inbound_messages", "prompt_id"),
    ("inbound_messages", "reply_message_id"),
    ("alerts", "participant_id"),
    ("alerts", "inbound_message_id"),
    ("alerts", "acknowledged_by_id"),
    ("observations", "inbound_message_id"),
    ("observations", "prompt_id"),
    ("alert_notifications", "alert_id"),
    ("alert_notifications", "outbound_message_id"),
]


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table, column in INDEXES:
        op.drop_index(f"ix_{table}_{column}", table_name=table)
