"""Reading stored documents: everything unread is read once, a refused reading costs only its
own document, and the same readings land on both backends."""

from __future__ import annotations

import pytest

from kelisim.config import IngestOptions, Settings
from kelisim.core import Kelisim
from kelisim.read import ReadReport, save_chunk
from kelisim.reading.reader import reader_version


@pytest.fixture
def kelisim(store_url):
    with Kelisim(Settings(db_url=store_url, ingest=IngestOptions(workers=1))) as app:
        app.ingest_sample()
        yield app


def test_every_stored_document_is_read_once(kelisim):
    progress: list[int] = []
    report = kelisim.read_pending(lambda r: progress.append(r.read))
    assert report.read == 5 and not report.failed and report.mentions > 100
    assert progress[-1] == 5
    assert kelisim.read_pending().read == 0
    stats = kelisim.store.reading_stats()
    assert stats.documents_read == 5 and stats.documents_unread == 0
    reading = kelisim.reading(1)
    assert {"Маулен Ашимбаев", "Касым-Жомарт Токаев"} <= {e["normal"] for e in reading["entities"]}
    assert any(p["kato"] == "314800000" for p in reading["places"])
    assert reading["tension"]["label"] in ("calm", "cooperation")


def test_a_refused_reading_costs_only_its_document(kelisim):
    docs = list(kelisim.store.unread_documents(reader_version()))
    good = {"id": str(docs[0].id), "schema_version": 2, "language": "ru", "published": None,
            "text": docs[0].text, "entities": [], "places": [], "ethnic_groups": [], "quotes": [],
            "attribution": []}
    bad = {**good, "id": str(docs[1].id), "text": docs[1].text,
           "entities": [{"type": "PER", "start": 0, "end": 5, "text": "Нечто", "normal": "Нечто",
                         "kb_id": None}]}
    report = ReadReport()
    save_chunk(kelisim.store, [(docs[0].id, good), (docs[1].id, bad)], report, reader_version())
    assert report.read == 1 and list(report.failed) == [docs[1].id]
    assert "does not match the stored text" in report.failed[docs[1].id]
    assert kelisim.reading(docs[0].id) is not None and kelisim.reading(docs[1].id) is None
