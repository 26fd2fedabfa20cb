"""The catalogue in a database: initiatives with their position, manual positions, geocode cache,
revisions and the published version.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# Frozen here: a later column is a later migration, whatever geo.catalogue.COLUMNS becomes.
FIELDS = ("name", "category", "themes", "description", "address", "postcode", "commune", "insee", "year",
          "award", "website", "source", "opening_hours", "accessibility", "address_source", "address_note",
          "status", "status_date", "status_note", "status_source", "former_name", "opened", "opened_source")


def upgrade() -> None:
    op.create_table(
        "initiatives",
        sa.Column("id", sa.String(200), primary_key=True),
        *(sa.Column(name, sa.Text, nullable=False, server_default="") for name in FIELDS),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("area_insee", sa.String(5), nullable=False),
        sa.Column("conseil_de_territoire", sa.Text, nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("precision", sa.String(20), nullable=False),
        sa.Column("provider", sa.String(40), nullable=False),
        sa.Column("position_label", sa.Text, nullable=False, server_default=""),
        sa.Column("position_score", sa.Float),
        sa.Column("position_date", sa.String(10), nullable=False, server_default=""),
    )
    op.create_table(
        "manual_positions",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("date", sa.String(10), nullable=False),
    )
    op.create_table(
        "geocode_cache",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("entry", sa.Text, nullable=False),
    )
    op.create_table(
        "revisions",
        sa.Column("number", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.Text, nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("summary", sa.Text, nullable=False),
        sa.Column("changes", sa.Text, nullable=False),
    )
    state = op.create_table(
        "catalogue_state",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    # Version 0, nothing published yet: the row every save locks, the first one (the seed) included.
    op.bulk_insert(state, [{"id": 1, "version": 0}])


def downgrade() -> None:
    for table in ("catalogue_state", "revisions", "geocode_cache", "manual_positions", "initiatives"):
        op.drop_table(table)
