"""Migrations run from code, on both backends: create, upgrade, downgrade, refuse the future."""

from __future__ import annotations

import shutil
from datetime import datetime, timezone
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from kelisim.store import SchemaTooNewError, Store, StoreError, db
from kelisim.store.schema import include_object, metadata
from kelisim.text.terms import query_terms as q

HEAD = "0008"
FUTURE = "0009"  # a revision this version of Kelisim does not know
# SQLite's reflection cannot see the expression index on the document date: said, not a problem.
pytestmark = pytest.mark.filterwarnings("ignore:.*expression-based index")

# A later revision, as a future issue would write one. On SQLite it rebuilds «documents»
# (batch mode), the case where foreign keys left on would cascade into reprints.
REVISION_NEXT = '''
import sqlalchemy as sa
from alembic import op

revision = "{future}"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    recreate = "always" if op.get_context().dialect.name == "sqlite" else "auto"
    with op.batch_alter_table("documents", recreate=recreate) as batch:
        batch.add_column(sa.Column("topic", sa.Text))


def downgrade():
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("topic")
'''.format(future=FUTURE, head=HEAD)


@pytest.fixture()
def engine(store_url):
    """An engine on the test database, without migrating it."""
    engine = db.make_engine(store_url)
    yield engine
    engine.dispose()


@pytest.fixture()
def future_scripts(tmp_path) -> Path:
    """A copy of the package's migrations with a later revision added."""
    scripts = tmp_path / "migrations"
    shutil.copytree(db.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / f"{FUTURE}_topic.py").write_text(REVISION_NEXT, encoding="utf-8")
    return scripts


def _fill(store_url, make_doc) -> int:
    with Store.open(store_url) as store:
        store.add_source("kazinform", "rss", "https://www.inform.kz/rss")
        with store.writer() as w:
            doc_id = w.add_document(make_doc("Заседание Ассамблеи в Таразе.", origin="url:a"))
            copy = make_doc("Заседание Ассамблеи в Таразе!", origin="url:b")
            w.add_reprint(copy, doc_id, "near", 0.9)
        store.save_readings([(doc_id, _READING)], "1")
        return doc_id


_READING = {
    "id": "url:a", "schema_version": 1, "language": "ru", "published": None,
    "text": "Заседание Ассамблеи в Таразе.",
    "entities": [{"type": "LOC", "start": 22, "end": 28, "text": "Таразе", "normal": "Тараз",
                  "kb_id": None}],
    "places": [], "ethnic_groups": [], "quotes": [], "attribution": [],
}


def _tables(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_open_creates_a_fresh_database_at_head(store_url, engine):
    assert db.current_revision(engine) is None
    Store.open(store_url).close()
    assert db.current_revision(engine) == HEAD
    assert {"sources", "documents", "reprints", "http_validators", "runs", "skips",
            "search_index", "readings", "mentions"} <= _tables(engine)


def test_reopening_keeps_the_data(store_url, make_doc):
    doc_id = _fill(store_url, make_doc)
    with Store.open(store_url) as store:
        assert store.get_document(doc_id).reprints[0].origin == "url:b"
        assert store.search(q("Ассамблея")).total == 1


def test_the_schema_matches_the_metadata_queries_use(store_url, engine):
    Store.open(store_url).close()
    with engine.connect() as conn:
        options = {"include_object": include_object, "compare_type": True}
        diff = compare_metadata(MigrationContext.configure(conn, opts=options), metadata)
    assert diff == []


def test_an_older_database_is_upgraded_in_place(store_url, engine, make_doc, future_scripts):
    doc_id = _fill(store_url, make_doc)
    db.upgrade(engine, script_location=future_scripts)
    assert db.current_revision(engine) == FUTURE
    columns = {c["name"] for c in sa.inspect(engine).get_columns("documents")}
    assert "topic" in columns
    # The rebuilt table kept its rows, their reprints, search-index rows and readings.
    db.downgrade(engine, HEAD, script_location=future_scripts)
    with Store.open(store_url) as store:
        assert len(store.get_document(doc_id).reprints) == 1
        assert store.search(q("Тараз")).total == 1
        assert store.get_reading(doc_id) == _READING | {"id": str(doc_id)}


def test_a_database_from_a_newer_kelisim_is_refused(store_url, engine, make_doc, future_scripts):
    _fill(store_url, make_doc)
    db.upgrade(engine, script_location=future_scripts)
    with pytest.raises(SchemaTooNewError, match=f"'{FUTURE}'.*newer Kelisim"):
        Store.open(store_url)


def test_an_unknown_revision_stamp_is_refused(store_url, engine):
    Store.open(store_url).close()
    version = sa.table("alembic_version", sa.column("version_num"))
    with engine.begin() as conn:
        conn.execute(version.update().values(version_num="9f3e_future"))
    with pytest.raises(SchemaTooNewError, match="9f3e_future"):
        Store.open(store_url)


def test_downgrade_to_base_then_upgrade_to_head(store_url, engine, make_doc):
    _fill(store_url, make_doc)
    db.downgrade(engine, "base")
    assert _tables(engine) <= {"alembic_version"}
    db.upgrade(engine)
    assert db.current_revision(engine) == HEAD
    with Store.open(store_url) as store:
        assert store.stats().documents == 0
        with store.writer() as w:
            w.add_document(make_doc("Снова работает."))
        assert store.search(q("снова")).total == 1


def test_sqlite_pragmas(tmp_path):
    path = tmp_path / "deep" / "er" / "kelisim.db"
    with Store.open(f"sqlite:///{path}") as store:
        assert path.exists()
        with store._engine.connect() as conn:
            pragma = lambda name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("busy_timeout") == db.BUSY_TIMEOUT_MS
            assert pragma("synchronous") == 1  # NORMAL
            assert pragma("wal_autocheckpoint") == db.WAL_CHECKPOINT_PAGES != 1000


def test_urls():
    assert db.parse_url("postgresql://u:secret@host/kelisim").drivername == "postgresql+psycopg"
    assert db.parse_url("postgresql+psycopg://u@host/k").drivername == "postgresql+psycopg"
    assert db.redact("postgresql://u:secret@host/kelisim") == "postgresql://u:***@host/kelisim"
    with pytest.raises(StoreError, match="unsupported"):
        db.parse_url("mysql://u@host/k")
    with pytest.raises(StoreError, match="in-memory"):
        db.parse_url("sqlite://")


def test_an_unreachable_postgres_is_a_clear_error(tmp_path):
    url = f"postgresql://kelisim:secret@/kelisim?host={tmp_path}&port=1"
    with pytest.raises(StoreError, match="cannot reach the database") as error:
        Store.open(url)
    assert "secret" not in str(error.value)


@pytest.mark.postgres
def test_stats_hide_the_password(pg_url):
    # The test cluster trusts local connections, so any password gets in.
    url = pg_url.replace("postgres@", "postgres:s3cret@")
    with Store.open(url) as store:
        assert "s3cret" not in store.stats().url and "***" in store.url


def test_three_stores_creating_one_database_at_once(store_url):
    errors: list[BaseException] = []

    def open_and_close() -> None:
        try:
            Store.open(store_url).close()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=open_and_close) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with Store.open(store_url) as store:
        assert store.stats().documents == 0


def test_opening_a_current_database_does_not_wait_for_the_writer(store_url, make_doc):
    with Store.open(store_url) as first, first.writer() as w:
        w.add_document(make_doc("Пишется."))
        started = time.monotonic()
        with Store.open(store_url) as second:
            assert second.stats().documents == 0
        assert time.monotonic() - started < 5


def test_a_0001_database_gains_raw_hash_and_keeps_its_documents(store_url, engine):
    db.upgrade(engine, revision="0001")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO documents (origin, ingested_at, lang, text, chars, content_hash, "
            "signature, cleaning, meta) VALUES ('url:old', :at, 'ru', 'Старый текст.', 13, "
            "'h-old', :sig, :empty, :empty)"),
            {"at": datetime(2021, 10, 14, tzinfo=timezone.utc), "sig": b"\x00" * 512,
             "empty": "{}"})
    with Store.open(store_url) as store:
        assert db.current_revision(engine) == HEAD
        assert store.known_origins(["url:old"]) == {"url:old": "h-old"}
        assert store.raw_hashes(["url:old"]) == {}  # stored before: it will be cleaned once more
    columns = {c["name"] for c in sa.inspect(engine).get_columns("reprints")}
    assert "raw_hash" in columns
