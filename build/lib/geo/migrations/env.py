"""Alembic's environment: migrations run on the connection ``geo.database.migrate`` hands over (the app,
the CLI and the tests open the database themselves; there is no alembic.ini)."""

from alembic import context

from geo.database import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
context.run_migrations()
