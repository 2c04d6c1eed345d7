"""replies to read: crisis reason and concern level on inbound texts and alerts

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.platform.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = ("crisis", "flare", "high_pain", "change", "no_reply")
NEW_KINDS = ("crisis", "concern", "flare", "high_pain", "change", "no_reply")


def _kind_type(kinds: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*kinds, name="alert_kind", native_enum=False, create_constraint=True, length=9)


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("concern", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("crisis_reason", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("review", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("to_read", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("handled_at", service.platform.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("handled_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_inbound_messages_handled_by_id_staff_users"),
            "staff_users",
            ["handled_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(
            "ix_inbound_messages_to_read", ["participant_id", "to_read", "handled_at"]
        )
        batch_op.create_index(batch_op.f("ix_inbound_messages_handled_by_id"), ["handled_by_id"])

    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_alerts_alert_kind"), "alerts", type_="check")
        op.alter_column("alerts", "kind", type_=sa.String(length=9))
        op.create_check_constraint(
            "alert_kind", "alerts", "kind IN ({})".format(", ".join(f"'{k}'" for k in NEW_KINDS))
        )
        op.add_column("alerts", sa.Column("reason", sa.String(length=16), nullable=True))
    else:
        with op.batch_alter_table("alerts", schema=None) as batch_op:
            batch_op.alter_column(
                "kind", existing_type=_kind_type(OLD_KINDS), type_=_kind_type(NEW_KINDS)
            )
            batch_op.add_column(sa.Column("reason", sa.String(length=16), nullable=True))

    # Replies already stored as notes were never shown to anyone: show them now.
    op.execute("UPDATE inbound_messages SET to_read = true WHERE intent = 'note' OR crisis = true")


def downgrade() -> None:
    op.execute("DELETE FROM alerts WHERE kind = 'concern'")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("alerts", "reason")
        op.drop_constraint(op.f("ck_alerts_alert_kind"), "alerts", type_="check")
        op.create_check_constraint(
            "alert_kind", "alerts", "kind IN ({})".format(", ".join(f"'{k}'" for k in OLD_KINDS))
        )
    else:
        with op.batch_alter_table("alerts", schema=None) as batch_op:
            batch_op.drop_column("reason")
            batch_op.alter_column(
                "kind", existing_type=_kind_type(NEW_KINDS), type_=_kind_type(OLD_KINDS)
            )
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_messages_handled_by_id"))
        batch_op.drop_index("ix_inbound_messages_to_read")
        batch_op.drop_constraint(
            batch_op.f("fk_inbound_messages_handled_by_id_staff_users"), type_="foreignkey"
        )
        for column in (
            "handled_by_id",
            "handled_at",
            "to_read",
            "review",
            "crisis_reason",
            "concern",
        ):
            batch_op.drop_column(column)
