"""Each initiative records the version that last wrote it, so that app servers fetch only the rows changed
since the version they hold.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("initiatives") as batch:
        batch.add_column(sa.Column("version", sa.Integer, nullable=False, server_default="0"))
        batch.create_index("ix_initiatives_version", ["version"])
    # Rows written before this migration: as of the version published now.
    op.execute("UPDATE initiatives SET version = (SELECT version FROM catalogue_state WHERE id = 1)")


def downgrade() -> None:
    with op.batch_alter_table("initiatives") as batch:
        batch.drop_index("ix_initiatives_version")
        batch.drop_column("version")
