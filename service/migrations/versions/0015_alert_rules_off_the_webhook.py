"""alert rules run in a job, not in the inbound webhook: each rating remembers that its rules
are still due, so a lost job is found by the sweep

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.platform.db

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DUE = "rules_due_at IS NOT NULL"


def upgrade() -> None:
    # Ratings already stored had their rules run inline: NULL (nothing due).
    with op.batch_alter_table("observations") as batch:
        batch.add_column(
            sa.Column("rules_due_at", service.platform.db.UTCDateTime(), nullable=True)
        )
    op.create_index("ix_observations_rules_due", "observations", ["rules_due_at"],
                    postgresql_where=sa.text(DUE), sqlite_where=sa.text(DUE))  # fmt: skip


def downgrade() -> None:
    op.drop_index("ix_observations_rules_due", table_name="observations")
    with op.batch_alter_table("observations") as batch:
        batch.drop_column("rules_due_at")
