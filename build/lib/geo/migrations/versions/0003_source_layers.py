"""The open-data sources' layers in the database, so that every app server shows the same refreshed source.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_layers",
        sa.Column("dataset", sa.String(40), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("built_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("layer", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("source_layers")
