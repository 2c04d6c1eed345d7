"""an index for each member's latest rating of a kind (the clinician dashboard at 2,000 members)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 07:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_observations_participant_kind_time",
        "observations",
        ["participant_id", "kind", "recorded_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_observations_participant_kind_time", table_name="observations")
