"""standard measures by SMS: survey responses (PEG, PHQ-2, GAD-2) asked one item at a time,
their answers, and the 'screen' alert for a positive PHQ-2 or GAD-2

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.platform.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = service.platform.db.UTCDateTime
OLD_KINDS = ("crisis", "concern", "flare", "high_pain", "change", "no_reply")
NEW_KINDS = (*OLD_KINDS, "screen")
STATUSES = ("open", "complete", "partial", "expired")


def _kind_type(kinds: tuple[str, ...]) -> sa.Enum:
    return sa.Enum(*kinds, name="alert_kind", native_enum=False, create_constraint=True, length=9)


def _set_kinds(old: tuple[str, ...], new: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint(op.f("ck_alerts_alert_kind"), "alerts", type_="check")
        op.create_check_constraint(
            "alert_kind", "alerts", "kind IN ({})".format(", ".join(f"'{k}'" for k in new))
        )
    else:
        with op.batch_alter_table("alerts") as batch:
            batch.alter_column("kind", existing_type=_kind_type(old), type_=_kind_type(new))


def upgrade() -> None:
    _set_kinds(OLD_KINDS, NEW_KINDS)
    op.create_table(
        "survey_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("prompt_id", sa.Integer(), nullable=True),
        sa.Column("instrument", sa.String(length=8), nullable=False),
        sa.Column("version", sa.String(length=8), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column(
            "status",
            sa.Enum(*STATUSES, name="survey_status", native_enum=False, create_constraint=True,
                    length=8),
            nullable=False,
        ),
        sa.Column("item_index", sa.Integer(), nullable=False),
        sa.Column("reasked", sa.Boolean(), nullable=False),
        sa.Column("started_at", UTC(timezone=True), nullable=False),
        sa.Column("expires_at", UTC(timezone=True), nullable=False),
        sa.Column("completed_at", UTC(timezone=True), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("positive", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"], ["participants.id"],
            name=op.f("fk_survey_responses_participant_id_participants"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["prompt_id"], ["prompts.id"],
            name=op.f("fk_survey_responses_prompt_id_prompts"), ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_responses")),
    )  # fmt: skip
    op.create_index(op.f("ix_survey_responses_prompt_id"), "survey_responses", ["prompt_id"])
    op.create_index("ix_survey_responses_participant_status", "survey_responses",
                    ["participant_id", "status"])  # fmt: skip
    op.create_index("ix_survey_responses_status_expires", "survey_responses",
                    ["status", "expires_at"])  # fmt: skip
    op.create_table(
        "survey_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("response_id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Integer(), nullable=True),
        sa.Column("answered_at", UTC(timezone=True), nullable=False),
        sa.Column("inbound_message_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["response_id"], ["survey_responses.id"],
            name=op.f("fk_survey_answers_response_id_survey_responses"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["inbound_message_id"], ["inbound_messages.id"],
            name=op.f("fk_survey_answers_inbound_message_id_inbound_messages"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
        sa.UniqueConstraint("response_id", "link_id",
                            name=op.f("uq_survey_answers_response_id_link_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_survey_answers_response_id"), "survey_answers", ["response_id"])
    op.create_index(op.f("ix_survey_answers_inbound_message_id"), "survey_answers",
                    ["inbound_message_id"])  # fmt: skip


def downgrade() -> None:
    op.drop_table("survey_answers")
    op.drop_table("survey_responses")
    op.execute("DELETE FROM alerts WHERE kind = 'screen'")
    _set_kinds(NEW_KINDS, OLD_KINDS)
