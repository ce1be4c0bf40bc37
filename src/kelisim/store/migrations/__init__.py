"""Alembic migrations of the store, run from code by :func:`kelisim.store.db.upgrade`."""
