"""Preparing one raw item: Skips for bad input, headline, dates metadata-first, index terms."""

from __future__ import annotations

from datetime import datetime, timezone

from kelisim.config import IngestOptions
from kelisim.prepare import headline, prepare
from kelisim.records import CleanDocument, RawItem, Skip
from tests.shared_data import read_seed

OPTIONS = IngestOptions()
FETCHED = datetime(2021, 12, 11, 9, 0, tzinfo=timezone.utc)


def _prepare(body, **fields) -> CleanDocument | Skip:
    return prepare(RawItem(origin="test:1", body=body, fetched_at=FETCHED, **fields), OPTIONS)


def test_a_seed_becomes_a_clean_dated_document_with_a_headline():
    doc = _prepare(read_seed("003").encode("cp1251"))
    assert isinstance(doc, CleanDocument)
    assert doc.title == "Уникальный опыт Казахстана в вопросах межэтнического согласия"
    assert doc.text.startswith(doc.title)  # the headline stays in the text: offsets hold
    assert doc.cleaning.encoding == "cp1251" and doc.lang == "ru"
    assert (doc.published.date().isoformat(), doc.published_from) == ("2021-10-14", "text")
    assert "межэтнический" in doc.index_terms.split() and len(doc.signature) == 512


def test_metadata_date_wins_over_the_text():
    doc = _prepare(read_seed("003"), meta={"published_raw": "15.10.2021"})
    assert (doc.published.date().isoformat(), doc.published_from) == ("2021-10-15", "metadata")


def test_a_lead_sentence_is_not_a_headline():
    assert headline(read_seed("000"), "text") is None
    assert headline("Одна строка без перевода", "text") is None
    assert headline("Заголовок\nТекст.", "html") is None


def test_bad_input_becomes_a_skip_naming_it():
    binary = _prepare(b"\x00\x01\x02PK\x03\x04" * 100, meta={"path": "/in/scan.txt"})
    assert isinstance(binary, Skip) and binary.reason == "binary"
    assert binary.message.startswith("/in/scan.txt:")
    blank = _prepare("   \n\n  ")
    assert isinstance(blank, Skip) and blank.reason == "empty"
    huge = prepare(RawItem(origin="test:2", body=b"a" * 2000), IngestOptions(max_document_bytes=1000))
    assert isinstance(huge, Skip) and huge.reason == "too_large"
