"""covering indexes for the clinician dashboard's date-range counts (2,000 members, 90 days)

EMA compliance reads the prompts that asked for an answer in a date range, and the group's
daily spreads read the ratings in a date range. Without these, each is a scan of the whole
table (every member's every prompt since they joined); with them, PostgreSQL reads only the
range, from the index alone once autovacuum has marked the pages visible.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02 17:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANSWERABLE = "expecting IS NOT NULL AND sent_at IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_prompts_answerable_scheduled",
        "prompts",
        ["scheduled_for"],
        postgresql_include=["participant_id", "status", "sent_at", "answered_at", "window_ends_at"],
        postgresql_where=sa.text(ANSWERABLE),
        sqlite_where=sa.text(ANSWERABLE),
    )
    op.create_index(
        "ix_observations_recorded",
        "observations",
        ["recorded_at"],
        postgresql_include=["participant_id", "kind", "value"],
    )


def downgrade() -> None:
    op.drop_index("ix_observations_recorded", table_name="observations")
    op.drop_index("ix_prompts_answerable_scheduled", table_name="prompts")
