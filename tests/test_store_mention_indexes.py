"""The mentions' region and reference indexes hold only the rows that have one, and the queries
that ask for a region or a reference still use them."""

from __future__ import annotations

import pytest

from kelisim.store import Store


@pytest.fixture()
def store(tmp_path):
    with Store.open(f"sqlite:///{tmp_path / 'k.db'}") as store:
        yield store


def _plan(store: Store, sql: str, *params) -> str:
    with store._engine.connect() as conn:
        return " ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_indexes_are_partial(store):
    with store._engine.connect() as conn:
        found = dict(conn.exec_driver_sql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'mentions'").all())
    assert found["ix_mentions_region_kato"].endswith("WHERE region_kato IS NOT NULL")
    assert found["ix_mentions_kind_ref"].endswith("WHERE ref IS NOT NULL")
    assert "WHERE" not in found["ix_mentions_kind_value"]


@pytest.mark.parametrize(("sql", "params", "index"), [
    ("SELECT document_id FROM mentions WHERE kind = 'entity' AND ref = ?", ("per:tokayev",),
     "ix_mentions_kind_ref"),
    ("SELECT document_id FROM mentions WHERE kind = 'place' AND ref IS NOT NULL GROUP BY ref", (),
     "ix_mentions_kind_ref"),
    ("SELECT document_id FROM mentions WHERE region_kato IN (?, ?)", ("310000000", "750000000"),
     "ix_mentions_region_kato"),
    ("SELECT document_id FROM mentions WHERE region_kato = ?", ("310000000",), "ix_mentions_region_kato"),
])
def test_queries_for_a_value_use_the_partial_index(store, sql, params, index):
    assert index in _plan(store, sql, *params)
