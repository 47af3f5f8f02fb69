"""Alembic environment: migrations run on the engine handed over by sync.server.db.migrate."""

from typing import Any, Literal

from alembic import context

from sync.server.models import Base, UtcDateTime

engine = context.config.attributes["engine"]


def render_item(type_: str, obj: object, _autogen_context: Any) -> str | Literal[False]:
    # Migrations must not import the models, which change after them.
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


with engine.begin() as connection:
    # render_as_batch: SQLite alters tables by copy-and-move.
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()
