"""consent evidence, time-zone history, withdrawal time (the retention clock) and the
digests of numbers that opted out before their data was deleted

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.platform.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = service.platform.db.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("participants") as batch:
        batch.add_column(sa.Column("withdrawn_at", UTC(timezone=True), nullable=True))
    op.create_table(
        "consent_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("wording_version", sa.String(length=64), nullable=True),
        sa.Column("wording", sa.Text(), nullable=True),
        sa.Column("words", sa.String(length=160), nullable=True),
        sa.Column("message_sid", sa.String(length=40), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"],
            name=op.f("fk_consent_events_participant_id_participants"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"],
            name=op.f("fk_consent_events_staff_id_staff_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_events")),
    )  # fmt: skip
    op.create_index("ix_consent_events_participant", "consent_events", ["participant_id", "at"])
    op.create_index(op.f("ix_consent_events_staff_id"), "consent_events", ["staff_id"])
    op.create_table(
        "zone_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("at", UTC(timezone=True), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("from_zone", sa.String(length=64), nullable=True),
        sa.Column("to_zone", sa.String(length=64), nullable=True),
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"],
            name=op.f("fk_zone_changes_participant_id_participants"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff_users.id"],
            name=op.f("fk_zone_changes_staff_id_staff_users"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zone_changes")),
    )  # fmt: skip
    op.create_index("ix_zone_changes_participant", "zone_changes", ["participant_id", "at"])
    op.create_index(op.f("ix_zone_changes_staff_id"), "zone_changes", ["staff_id"])
    op.create_table(
        "suppressed_numbers",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("opted_out_at", UTC(timezone=True), nullable=True),
        sa.Column("created_at", UTC(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_suppressed_numbers")),
    )
    # Members who left before this revision: their exit starts the retention clock too.
    op.execute("UPDATE participants SET withdrawn_at = updated_at WHERE status = 'withdrawn'")


def downgrade() -> None:
    op.drop_table("suppressed_numbers")
    op.drop_index(op.f("ix_zone_changes_staff_id"), table_name="zone_changes")
    op.drop_index("ix_zone_changes_participant", table_name="zone_changes")
    op.drop_table("zone_changes")
    op.drop_index(op.f("ix_consent_events_staff_id"), table_name="consent_events")
    op.drop_index("ix_consent_events_participant", table_name="consent_events")
    op.drop_table("consent_events")
    with op.batch_alter_table("participants") as batch:
        batch.drop_column("withdrawn_at")
