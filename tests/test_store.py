"""The store's API on SQLite and PostgreSQL alike (every test runs on both backends)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import sqlalchemy as sa

from kelisim.records import CleaningReport, Skip
from kelisim.store import (
    DuplicateContentError,
    DuplicateOriginError,
    DuplicateSourceError,
    InvalidValueError,
    Store,
    StoreError,
    UnknownDocumentError,
    UnknownSourceError,
    documents,
    reading,
    search,
)
from kelisim.text.terms import query_terms as q

ALMATY = timezone(timedelta(hours=5))
T0 = datetime(2020, 2, 8, 12, 0, tzinfo=timezone.utc)


def _add(store, *docs):
    with store.writer() as w:
        return [w.add_document(doc) for doc in docs]


# Sources


def test_sources_add_list_get_remove(store, make_doc):
    feed = store.add_source("kazinform", "rss", "https://www.inform.kz/rss", {"interval": 600})
    folder = store.add_source("archive", "folder", "/data/archive")
    assert feed.kind == "rss" and feed.options == {"interval": 600} and feed.enabled
    assert folder.options == {} and folder.items_total == 0 and folder.consecutive_errors == 0
    assert feed.created_at.tzinfo is not None
    assert [s.name for s in store.list_sources()] == ["archive", "kazinform"]
    assert store.get_source("kazinform") == feed
    assert store.get_source(feed.id) == feed
    assert store.get_source("nope") is None and store.get_source(10_000) is None

    [doc_id] = _add(store, make_doc("Текст из ленты.", source_id=feed.id))
    assert store.remove_source("kazinform") is True
    assert store.remove_source("kazinform") is False
    kept = store.get_document(doc_id)
    assert kept is not None and kept.source_id is None and kept.source is None
    assert [s.name for s in store.list_sources()] == ["archive"]


def test_duplicate_source_name_and_bad_kind_are_refused(store):
    store.add_source("tengrinews", "web", "https://tengrinews.kz")
    with pytest.raises(DuplicateSourceError, match="tengrinews"):
        store.add_source("tengrinews", "rss", "https://tengrinews.kz/rss")
    with pytest.raises(InvalidValueError, match="kind"):
        store.add_source("x", "ftp", "ftp://x")
    assert len(store.list_sources()) == 1


def test_enable_and_disable_a_source(store):
    store.add_source("tg", "telegram", "export.json")
    assert store.set_source_enabled("tg", False) is True
    assert store.get_source("tg").enabled is False
    assert store.set_source_enabled("missing", True) is False


def test_record_poll_keeps_source_health(store):
    source = store.add_source("feed", "rss", "https://example.kz/rss")
    store.record_poll(source.id, ok=True, error=None, new_items=3, at=T0)
    later = T0 + timedelta(hours=1)
    store.record_poll(source.id, ok=False, error="HTTP 503", new_items=0, at=later)
    store.record_poll(source.id, ok=False, error="timeout", new_items=0, at=T0 + timedelta(hours=2))
    failing = store.get_source(source.id)
    assert failing.consecutive_errors == 2 and failing.last_error == "timeout"
    assert failing.last_ok_at == T0 and failing.last_item_at == T0
    assert failing.last_polled_at == T0 + timedelta(hours=2)

    store.record_poll(source.id, ok=True, error=None, new_items=2, at=T0 + timedelta(hours=3))
    healthy = store.get_source(source.id)
    assert healthy.consecutive_errors == 0 and healthy.last_error is None
    assert healthy.items_total == 5 and healthy.last_item_at == T0 + timedelta(hours=3)
    with pytest.raises(UnknownSourceError):
        store.record_poll(10_000, ok=True, error=None, new_items=0, at=T0)


def test_http_validators(store):
    url = "https://www.inform.kz/rss"
    assert store.validators.get(url) is None
    store.validators.put(url, '"abc"', "Sat, 08 Feb 2020 12:00:00 GMT")
    assert store.validators.get(url) == ('"abc"', "Sat, 08 Feb 2020 12:00:00 GMT")
    store.validators.put(url, None, "Sun, 09 Feb 2020 12:00:00 GMT")
    assert store.validators.get(url) == (None, "Sun, 09 Feb 2020 12:00:00 GMT")


# Writing and reading documents


def test_document_round_trip(store, make_doc):
    source = store.add_source("kazinform", "rss", "https://www.inform.kz/rss")
    published = datetime(2020, 2, 8, 17, 30, tzinfo=ALMATY)
    doc = make_doc(
        "Ассамблея народа Казахстана провела круглый стол.\nВторой абзац.",
        origin="url:https://www.inform.kz/ru/1",
        url="https://www.inform.kz/ru/1",
        title="Круглый стол",
        author="КазИнформ",
        source_id=source.id,
        published=published,
        published_from="metadata",
        fetched_at=datetime(2020, 2, 9, 8, 0),  # naive: taken as UTC
        cleaning=CleaningReport(removed_lines=2, removed_by_kind={"ticker": 2}),
        meta={"теги": ["АНК", "Кордай"], "views": 1200},
    )
    [doc_id] = _add(store, doc)
    got = store.get_document(doc_id)
    assert got.origin == doc.origin and got.url == doc.url and got.title == "Круглый стол"
    assert got.text == doc.text and got.chars == len(doc.text) and got.lang == "ru"
    assert got.author == "КазИнформ" and got.source == "kazinform" and got.source_id == source.id
    assert got.published_at == published and got.published_at.tzinfo == timezone.utc
    assert got.published_from == "metadata"
    assert got.fetched_at == datetime(2020, 2, 9, 8, 0, tzinfo=timezone.utc)
    assert got.ingested_at.tzinfo is not None and got.updated_at is None
    assert got.content_hash == doc.content_hash
    assert got.cleaning["removed_by_kind"] == {"ticker": 2} and got.cleaning["removed_lines"] == 2
    assert got.meta == {"теги": ["АНК", "Кордай"], "views": 1200}
    assert got.reprints == ()
    assert store.get_document(doc_id + 1000) is None
    assert list(store.iter_signatures()) == [(doc_id, doc.signature)]


def test_nul_characters_are_refused_on_both_backends(store, make_doc):
    with store.writer() as w, pytest.raises(InvalidValueError, match="NUL"):
        w.add_document(make_doc("text\x00with nul"))
    assert store.stats().documents == 0


def test_ingestion_lookups_cover_documents_and_reprints(store, make_doc):
    canonical, reprint = make_doc("Первый текст."), make_doc("Второй текст.", origin="test:r")
    with store.writer() as w:
        doc_id = w.add_document(canonical)
        w.add_reprint(reprint, doc_id, "near", 0.8)
        assert w.has_origin("test:r") and w.document_id_by_hash(canonical.content_hash) == doc_id
        assert w.document_id_by_origin(canonical.origin) == doc_id
    asked = [canonical.origin, "test:r"] + [f"test:missing{i}" for i in range(1200)]
    assert store.known_origins(asked) == {
        canonical.origin: canonical.content_hash,
        "test:r": reprint.content_hash,
    }
    assert store.has_origin("test:r") and not store.has_origin("test:missing1")
    assert store.document_id_by_hash(canonical.content_hash) == doc_id
    assert store.document_id_by_hash(reprint.content_hash) is None
    assert store.document_id_by_origin(canonical.origin) == doc_id
    assert store.document_id_by_origin("test:r") is None  # a reprint, not a document


def test_reprints_are_mentions_of_the_canonical_document(store, make_doc):
    outlet = store.add_source("zakon", "web", "https://www.zakon.kz")
    text = "В Кордайском районе прошла встреча с ethnomediators."
    canonical = make_doc(text, origin="url:a", title="Встреча")
    exact = make_doc(text, origin="url:b", source_id=outlet.id, title="Встреча (перепечатка)")
    near = make_doc(text + " Источник: zakon.kz", origin="url:c", published=T0)
    with store.writer() as w:
        doc_id = w.add_document(canonical)
        exact_id = w.add_reprint(exact, doc_id, "exact", 1.0)
        near_id = w.add_reprint(near, doc_id, "near", 0.83)
    got = store.get_document(doc_id)
    assert [r.id for r in got.reprints] == [exact_id, near_id]
    first, second = got.reprints
    assert (first.kind, first.similarity, first.source, first.text) == ("exact", 1.0, "zakon", text)
    assert first.title == "Встреча (перепечатка)" and first.document_id == doc_id
    assert (second.kind, second.similarity, second.text) == ("near", 0.83, near.text)
    assert second.published_at == T0 and second.source is None
    stats = store.stats()
    assert (stats.documents, stats.reprints_exact, stats.reprints_near) == (1, 1, 1)
    assert store.search(q("Кордайский")).hits[0].reprints == 2
    assert [doc_id for doc_id, _ in store.iter_signatures()] == [doc_id]


def test_reprint_arguments_are_checked(store, make_doc):
    with store.writer() as w:
        doc_id = w.add_document(make_doc("Канонический текст."))
        with pytest.raises(InvalidValueError):
            w.add_reprint(make_doc("Копия."), doc_id, "fuzzy", 0.5)
        with pytest.raises(InvalidValueError):
            w.add_reprint(make_doc("Копия."), doc_id, "near", 1.5)
        with pytest.raises(UnknownDocumentError):
            w.add_reprint(make_doc("Копия."), doc_id + 100, "near", 0.7)
    assert store.stats().reprints_near == 0


def test_origin_is_unique_across_documents_and_reprints(store, make_doc):
    with store.writer() as w:
        doc_id = w.add_document(make_doc("Один.", origin="url:1"))
        w.add_reprint(make_doc("Почти один.", origin="url:2"), doc_id, "near", 0.7)
        with pytest.raises(DuplicateOriginError):
            w.add_document(make_doc("Другой текст.", origin="url:1"))
        with pytest.raises(DuplicateOriginError):
            w.add_document(make_doc("Третий текст.", origin="url:2"))
        with pytest.raises(DuplicateOriginError):
            w.add_reprint(make_doc("Копия.", origin="url:1"), doc_id, "near", 0.9)
        with pytest.raises(DuplicateContentError):
            w.add_document(make_doc("Один.", origin="url:3"))
        # The transaction survives the refusals (on PostgreSQL too): this still commits.
        w.add_document(make_doc("Четвёртый текст.", origin="url:4"))
    assert store.stats().documents == 2
    known = store.known_origins(["url:1", "url:2", "url:3", "url:4"])
    assert set(known) == {"url:1", "url:2", "url:4"}


def test_update_document_replaces_text_hash_and_index(store, make_doc):
    old = make_doc("Старый текст про Ассамблею.", origin="url:x", title="Старое")
    with store.writer() as w:
        doc_id = w.add_document(old)
        w.add_reprint(make_doc(old.text, origin="url:copy"), doc_id, "exact", 1.0)
    new = make_doc("Новый текст про этномедиаторов.", origin="url:x", title="Новое", lang="kk")
    with store.writer() as w:
        w.update_document(doc_id, new)
    got = store.get_document(doc_id)
    assert (got.text, got.title, got.lang) == (new.text, "Новое", "kk")
    assert got.content_hash == new.content_hash
    assert got.chars == len(new.text) and got.updated_at is not None
    assert got.reprints[0].text == old.text  # the exact copy keeps the text it copied
    assert store.search(q("этномедиаторов")).total == 1
    assert store.search(q("Ассамблея")).total == 0 and store.search(q("старый")).total == 0
    assert store.search(q("Новое")).total == 1  # the new title is indexed
    assert store.document_id_by_hash(old.content_hash) is None
    assert dict(store.iter_signatures()) == {doc_id: new.signature}


def test_update_document_refusals(store, make_doc):
    with store.writer() as w:
        first = w.add_document(make_doc("Первый.", origin="url:1"))
        w.add_document(make_doc("Второй.", origin="url:2"))
        with pytest.raises(DuplicateContentError):
            w.update_document(first, make_doc("Второй.", origin="url:1"))
        with pytest.raises(InvalidValueError, match="origin"):
            w.update_document(first, make_doc("Третий.", origin="url:2"))
        with pytest.raises(UnknownDocumentError):
            w.update_document(first + 100, make_doc("Третий.", origin="url:9"))
    assert store.get_document(first).text == "Первый."


# Transactions


def test_an_exception_rolls_back_the_whole_writer(store, make_doc):
    run_id = store.start_run("ingest")
    with pytest.raises(RuntimeError), store.writer() as w:
        doc_id = w.add_document(make_doc("Текст об Ассамблее."))
        w.add_reprint(make_doc("Копия об Ассамблее.", origin="url:r"), doc_id, "near", 0.9)
        w.record_skip(run_id, Skip("file:/x", "too_short", "too short"))
        raise RuntimeError("crash")
    stats = store.stats()
    assert (stats.documents, stats.reprints_near, stats.skips_total) == (0, 0, {})
    assert store.search(q("Ассамблея")).total == 0 and list(store.iter_signatures()) == []
    assert store.integrity_problems() == []


def test_a_failing_index_write_leaves_no_document_behind(store, make_doc, monkeypatch):
    def broken_index(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(search, "index_documents", broken_index)
    with pytest.raises(OSError), store.writer() as w:
        w.add_document(make_doc("Текст."))
    assert store.stats().documents == 0 and store.integrity_problems() == []


def test_a_killed_process_leaves_nothing_half_written(store_url, make_doc):
    with Store.open(store_url) as store:
        _add(store, make_doc("Уже сохранённый текст."))
    script = (
        "import os, sys\n"
        "from kelisim.store import Store\n"
        "from store_fixtures import build_doc\n"
        "store = Store.open(sys.argv[1])\n"
        "with store.writer() as w:\n"
        "    w.add_document(build_doc('Документ, который не дойдёт до диска.'))\n"
        "    os._exit(9)\n"
    )
    tests_dir = str(Path(__file__).parent)
    env = os.environ | {"PYTHONPATH": tests_dir}
    done = subprocess.run([sys.executable, "-c", script, store_url], env=env, timeout=60)
    assert done.returncode == 9
    with Store.open(store_url) as store:
        assert store.stats().documents == 1 and store.integrity_problems() == []
        assert store.search(q("документ")).total == 0


def test_integrity_problems_reports_a_document_missing_from_the_index(store, make_doc):
    _add(store, make_doc("Текст."))
    assert store.integrity_problems() == []
    with store._engine.begin() as conn:  # break the store on purpose, behind its back
        conn.execute(sa.text("DELETE FROM search_index"))
    assert store.integrity_problems() == ["1 document(s) missing from the search index"]


def test_one_writer_at_a_time(store_url, make_doc):
    first, second = Store.open(store_url), Store.open(store_url)
    entered = threading.Event()

    def write_later() -> None:
        with second.writer() as w:
            entered.set()
            w.add_document(make_doc("Второй писатель."))

    try:
        with first.writer() as w:
            w.add_document(make_doc("Первый писатель."))
            thread = threading.Thread(target=write_later)
            thread.start()
            assert not entered.wait(0.5), "a second writer got in while the first was open"
        thread.join(timeout=30)
        assert entered.is_set() and first.stats().documents == 2
    finally:
        first.close()
        second.close()


def test_nested_writes_in_one_thread_fail_fast(store, make_doc):
    with store.writer():
        with pytest.raises(StoreError, match="writer"):
            with store.writer():
                pass
        with pytest.raises(StoreError, match="writer"):
            store.add_source("x", "rss", "https://x")
    store.add_source("x", "rss", "https://x")  # once the writer is closed, fine


def test_reads_inside_a_writer_see_committed_data_only(store, make_doc):
    with store.writer() as w:
        w.add_document(make_doc("Пока не сохранено.", origin="url:pending"))
        started = time.monotonic()
        assert not store.has_origin("url:pending")  # another connection: not committed yet
        assert w.has_origin("url:pending")
        assert time.monotonic() - started < 5
    assert store.has_origin("url:pending")


# Runs, skips, export, stats


def test_runs_skips_and_stats(store, make_doc):
    source = store.add_source("kazinform", "rss", "https://www.inform.kz/rss")
    first = store.start_run("ingest")
    with store.writer() as w:
        w.add_document(make_doc("Русский текст.", source_id=source.id, published=T0))
        w.add_document(make_doc("Қазақша мәтін.", lang="kk", published=T0 + timedelta(days=3)))
        w.record_skip(first, Skip("file:/a.bin", "unsupported", "not a text file"))
        w.record_skip(first, Skip("file:/b.txt", "too_short", "7 characters"))
    store.finish_run(first, {"added": 2, "skipped": 2})
    second = store.start_run("ingest")
    with store.writer() as w:
        w.record_skip(second, Skip("file:/a.bin", "unsupported", "not a text file"))
    stats = store.stats()
    assert stats.documents == 2 and stats.sources == 1
    assert stats.by_lang == {"kk": 1, "ru": 1}
    assert stats.by_source == {"kazinform": 1, None: 1}
    assert stats.skips_total == {"unsupported": 2, "too_short": 1}
    assert stats.skips_last_run == {"unsupported": 1}
    assert (stats.first_date, stats.last_date) == (T0, T0 + timedelta(days=3))
    assert stats.last_run.id == second and stats.last_run.finished_at is None
    assert stats.url == store.url
    with pytest.raises(StoreError):
        store.finish_run(second + 100, {})


def test_stats_of_an_empty_store(store):
    stats = store.stats()
    assert stats.documents == stats.reprints_exact == stats.reprints_near == stats.sources == 0
    assert stats.by_lang == {} and stats.skips_last_run == {} and stats.last_run is None
    assert stats.first_date is None and stats.last_date is None


def test_iter_documents_streams_in_batches_with_filters(store, make_doc, monkeypatch):
    monkeypatch.setattr(reading, "EXPORT_BATCH", 2)
    source = store.add_source("feed", "rss", "https://x/rss")
    docs = [
        make_doc(f"Документ номер {i}.", lang="ru" if i % 2 else "kk",
                 source_id=source.id if i < 3 else None, published=T0 + timedelta(days=i))
        for i in range(5)
    ]
    ids = _add(store, *docs)
    with store.writer() as w:
        w.add_reprint(make_doc("Копия документа.", origin="url:copy"), ids[4], "near", 0.7)
    everything = list(store.iter_documents())
    assert [d.id for d in everything] == ids and everything[4].reprints[0].origin == "url:copy"
    assert [d.id for d in store.iter_documents(lang="ru")] == [ids[1], ids[3]]
    assert [d.id for d in store.iter_documents(source="feed")] == ids[:3]
    assert [d.id for d in store.iter_documents(source=source.id, lang="kk")] == [ids[0], ids[2]]
    day1, day3 = T0 + timedelta(days=1), T0 + timedelta(days=3)
    window = store.iter_documents(date_from=day1.date(), date_to=day3.date())
    assert [d.id for d in window] == ids[1:4]  # a date as date_to includes that whole day
    exact = store.iter_documents(date_from=day1, date_to=day3)
    assert [d.id for d in exact] == ids[1:3]  # a datetime as date_to is exclusive


def test_iter_signatures_streams_in_batches(store, make_doc, monkeypatch):
    monkeypatch.setattr(documents, "SIGNATURE_BATCH", 2)
    docs = [make_doc(f"Текст {i}.") for i in range(5)]
    ids = _add(store, *docs)
    assert list(store.iter_signatures()) == [(i, d.signature) for i, d in zip(ids, docs)]


def test_dates_fall_back_to_fetched_then_ingested(store, make_doc):
    ids = _add(
        store,
        make_doc("Опубликован.", published=T0),
        make_doc("Только скачан.", fetched_at=T0 + timedelta(days=10)),
        make_doc("Без дат."),
    )
    february = T0.date(), (T0 + timedelta(days=20)).date()
    in_february = store.iter_documents(date_from=february[0], date_to=february[1])
    assert [d.id for d in in_february] == ids[:2]
    today = datetime.now(timezone.utc).date()
    assert [d.id for d in store.iter_documents(date_from=today)] == [ids[2]]
