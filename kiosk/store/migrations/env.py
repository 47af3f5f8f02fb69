"""Alembic environment: migrations run on the engine handed over by kiosk.store.db.migrate."""

from alembic import context

from kiosk.store.models import Base

engine = context.config.attributes["engine"]

with engine.begin() as connection:
    # render_as_batch: SQLite alters tables by copy-and-move.
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
