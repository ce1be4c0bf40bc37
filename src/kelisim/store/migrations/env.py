"""Alembic environment: migrates the connection the store hands over (kelisim.store.db).

From the alembic command line (developers only):
``alembic -c src/kelisim/store/migrations/alembic.ini -x url=sqlite:///x.db upgrade head``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from kelisim.store.db import make_engine, migration_connection
from kelisim.store.schema import include_object, metadata


def run_on(connection: sa.Connection) -> None:
    """Run the migrations on one connection, inside its transaction."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        include_object=include_object,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run() -> None:
    """Use the store's connection, else one to ``-x url=…`` (or sqlalchemy.url)."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    engine = make_engine(url or context.config.get_main_option("sqlalchemy.url") or "")
    with migration_connection(engine) as conn:
        run_on(conn)
    engine.dispose()


run()
