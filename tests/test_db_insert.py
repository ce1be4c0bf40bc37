"""insert_rows: tuples in any column order, processors applied, and a table whose insert needs a
default computed in Python taken through SQLAlchemy's own way."""

from __future__ import annotations

import itertools

import sqlalchemy as sa

from kelisim.store import db

METADATA = sa.MetaData()
_COUNTER = itertools.count(100)
THINGS = sa.Table(
    "things", METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(16), nullable=False),
    sa.Column("flag", sa.Boolean, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),
    sa.Column("serial", sa.Integer, default=lambda: next(_COUNTER)),  # made in Python
)


def test_rows_are_inserted_in_order_whatever_the_column_order(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    METADATA.create_all(engine)
    rows = [("один", True, {"a": [1, "б"]}, 1), ("два", False, db.JsonText('{"b": 2}'), 2)]
    with engine.begin() as conn:
        db.insert_rows(conn, THINGS, ("name", "flag", "data", "serial"), rows)
        db.insert_rows(conn, THINGS, ("serial", "data", "flag", "name"),
                       [row[::-1] for row in rows])
        db.insert_rows(conn, THINGS, ("name", "flag", "data"), [row[:3] for row in rows])
        stored = conn.execute(sa.select(THINGS.c.name, THINGS.c.flag, THINGS.c.serial,
                                        sa.cast(THINGS.c.data, sa.Text)).order_by(THINGS.c.id))
        found = [tuple(row) for row in stored]
    texts = ['{"a": [1, "б"]}', '{"b": 2}']
    assert found[:4] == [("один", True, 1, texts[0]), ("два", False, 2, texts[1])] * 2
    # Without "serial", its Python default is computed: SQLAlchemy's own insert.
    assert [row[:2] + row[3:] for row in found[4:]] == [("один", True, texts[0]),
                                                        ("два", False, texts[1])]
    assert found[4][2] + 1 == found[5][2] and found[4][2] >= 100
    engine.dispose()


def test_ready_columns_go_to_sqlite_unprocessed_and_are_stored_alike(tmp_path):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    METADATA.create_all(engine)
    rows = [("один", True, db.JsonText('{"a": [1, "б"]}'), 1), ("два", False, db.JsonText("null"), 2)]
    columns = ("name", "flag", "data", "serial")
    with engine.begin() as conn:
        db.insert_rows(conn, THINGS, columns, rows)
        db.insert_rows(conn, THINGS, columns, rows, ready=("flag", "data"))
        stored = conn.execute(sa.select(THINGS.c.name, THINGS.c.flag, THINGS.c.serial,
                                        sa.cast(THINGS.c.data, sa.Text)).order_by(THINGS.c.id))
        found = [tuple(row) for row in stored]
    assert found[:2] == found[2:] == [("один", True, 1, '{"a": [1, "б"]}'), ("два", False, 2, "null")]
    # On SQLite no processor is left to run on such rows; elsewhere they are processed as usual.
    assert db._insert_statement(engine.dialect, THINGS, columns, ("flag", "data"))[3] == ()
    assert [i for i, _ in db._insert_statement(engine.dialect, THINGS, columns)[3]] == [1, 2]
    engine.dispose()
