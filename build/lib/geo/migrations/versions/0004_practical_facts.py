"""What a resident needs to go there: price, access conditions, the page each practical fact comes from, and
the three facts people filter on (solidarity price, wheelchair access, booking).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ADDED = ("price", "access", "hours_source", "price_source", "access_source", "accessibility_source",
         "website_source", "solidarity_price", "wheelchair", "booking")


def upgrade() -> None:
    with op.batch_alter_table("initiatives") as table:
        for name in ADDED:
            table.add_column(sa.Column(name, sa.Text, nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("initiatives") as table:
        for name in ADDED:
            table.drop_column(name)
