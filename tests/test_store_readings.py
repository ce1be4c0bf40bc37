"""Readings stored as mentions and read back, on SQLite and PostgreSQL alike.

The readings are written by hand on real text (seed 000) and on a short paragraph, with offsets
found in the text, so that they do not depend on the reader's current output.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import jsonschema
import pytest
import sqlalchemy as sa
from hypothesis import given, settings, strategies as st

from kelisim.store import InvalidValueError, StoreError, UnknownDocumentError, db, readings
from kelisim.store.schema import mentions
from kelisim.store.schema import readings as readings_table
from tests.shared_data import read_seed

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "docs/analyze.schema.json").read_text())
PUBLISHED = datetime(2021, 10, 14, 9, 30, tzinfo=timezone.utc)
ASTANA = {"kato": "710000000", "name": "Астана", "level": "region", "district_kato": None,
          "district": None, "region_kato": "710000000", "region": "Астана", "country": None}
KORDAI_DISTRICT = {"kato": "314800000", "name": "Кордайский район", "level": "district",
                   "district_kato": "314800000", "district": "Кордайский район",
                   "region_kato": "310000000", "region": "Жамбылская область", "country": None}
PARAGRAPH = ("В Кордае дунгане и казахи вместе отметили Наурыз. Дунганская кухня понравилась "
             "гостям, а слово «америкосы» прозвучало лишь в шутку.")


def span(text: str, fragment: str, nth: int = 1) -> dict:
    """start, end and text of the nth occurrence of ``fragment`` in ``text``."""
    start = -1
    for _ in range(nth):
        start = text.index(fragment, start + 1)
    return {"start": start, "end": start + len(fragment), "text": fragment}


def between(text: str, first: str, last: str) -> dict:
    """The span from the first occurrence of ``first`` to the end of the next ``last``."""
    start = text.index(first)
    end = text.index(last, start) + len(last)
    return {"start": start, "end": end, "text": text[start:end]}


def entity(text, fragment, kind, normal, kb_id=None, nth=1) -> dict:
    return {"type": kind, **span(text, fragment, nth), "normal": normal, "kb_id": kb_id}


def reading_of_seed(text: str) -> dict:
    """A full reading of seed 000, written by hand."""
    speaker = span(text, "М. Ашимбаев")
    return {
        "id": "seed:000", "schema_version": 3, "language": "ru", "published": "2021-10-14",
        "text": text,
        "relevance": {"score": 0.97, "relevant": True, "evidence": [
            cue(text, "межэтнических", "межэтнический", "topic", 1.0)]},
        "event": {
            "type": "meeting_conference", "types": ["meeting_conference", "official_statement"],
            "place": {**span(text, "столице"), **ASTANA, "then": None, "how": "alias"},
            "date": None,
            "references_past": [{
                **between(text, "трагические события", "Кордайском районе"),
                "place": {**span(text, "Кордайском районе"), **KORDAI_DISTRICT, "then": None,
                          "how": "name"},
                "date": None}],
            "evidence": [cue(text, "круглый стол", "круглый стол", "meeting_conference", 3)]},
        "hostility": {"score": 0.0, "hostile": False, "kinds": [], "evidence": []},
        "tension": {"score": -0.133, "label": "calm", "evidence": [
            cue(text, "трагические события", "трагический событие", "conflict", -5)]},
        "entities": [
            entity(text, "Администрации Президента РК", "ORG", "Администрация Президента РК",
                   "org:presidential_administration"),
            entity(text, "Маулена Ашимбаева", "PER", "Маулен Ашимбаев", "per:ashimbayev"),
            entity(text, "Кордайском районе", "LOC", "Кордайский район"),
            entity(text, "Касым-Жомарта Токаева", "PER", "Касым-Жомарт Токаев", "per:tokayev"),
            entity(text, "М. Ашимбаев", "PER", "Маулен Ашимбаев", "per:ashimbayev"),
            entity(text, "Ассамблеи народа Казахстана", "ORG", "Ассамблея народа Казахстана",
                   "org:apk"),
        ],
        "places": [
            {**span(text, "столице"), **ASTANA,
             "then": {**ASTANA, "name": "Нур-Султан", "region": "Нур-Султан"}, "how": "alias"},
            {**span(text, "Кордайском районе"), **KORDAI_DISTRICT, "then": None, "how": "name"},
        ],
        "ethnic_groups": [],
        "quotes": [
            {**between(text, "вопрос сохранения", "государственной политики"), "direct": False,
             "speaker": "Маулен Ашимбаев", "speaker_kb_id": "per:ashimbayev",
             **_speaker(span(text, "Маулена Ашимбаева"))},
            {**between(text, "В этом направлении", "этих направлениях"), "direct": True,
             "speaker": "Маулен Ашимбаев", "speaker_kb_id": "per:ashimbayev",
             **_speaker(speaker)},
        ],
        "attribution": [
            {**span(text, "КазИнформ"), "outlet": "Kazinform", "kb_id": "org:kazinform"}],
    }


def cue(text: str, fragment: str, entry: str, kind: str, weight: float) -> dict:
    """An evidence span of a decision."""
    return {**span(text, fragment), "cue": entry, "kind": kind, "weight": weight, "context": None,
            "context_start": None, "context_end": None}


def _speaker(found: dict) -> dict:
    return {"speaker_start": found["start"], "speaker_end": found["end"]}


def reading_of_paragraph(text: str = PARAGRAPH) -> dict:
    """A reading with ethnic groups: people, a cuisine (not people) and a slur."""
    def mention(fragment: str, slur: bool = False, person: bool = True) -> dict:
        return {**span(text, fragment), "slur": slur, "person": person}

    return {
        "id": "para", "schema_version": 3, "language": "ru", "published": None, "text": text,
        "relevance": {"score": 0.8, "relevant": True, "evidence": []},
        "event": {"type": "cultural_unity", "types": ["cultural_unity"], "place": None,
                  "date": None, "references_past": [], "evidence": [
                      cue(text, "Наурыз", "наурыз", "cultural_unity", 2)]},
        "hostility": {"score": 0.6, "hostile": True, "kinds": ["slur"], "evidence": [
            cue(text, "америкосы", "америкос", "slur", 0.6)]},
        "tension": {"score": 0.0, "label": "calm", "evidence": []},
        "entities": [],
        "places": [{**span(text, "Кордае"), "kato": "314830100", "name": "Кордай",
                    "level": "settlement", "district_kato": "314800000",
                    "district": "Кордайский район", "region_kato": "310000000",
                    "region": "Жамбылская область", "country": None, "then": None,
                    "how": "supported"}],
        "ethnic_groups": [
            {"group": "дунганин", "kind": "group", "slur": False, "as_people": True,
             "attitude": 1, "attitude_p": 0.61,
             "attitude_evidence": [cue(text, "вместе", "вместе", "attitude", 0.12)],
             "mentions": [mention("дунгане"), mention("Дунганская", person=False)]},
            {"group": "казах", "kind": "group", "slur": False, "as_people": True,
             "attitude": 0, "attitude_p": 0.72, "attitude_evidence": [],
             "mentions": [mention("казахи")]},
            {"group": "американец", "kind": "group", "slur": True, "as_people": True,
             "attitude": -1, "attitude_p": 0.55, "attitude_evidence": [],
             "mentions": [mention("америкосы", slur=True)]},
        ],
        "quotes": [], "attribution": [],
    }


@pytest.fixture()
def seed_doc(store, make_doc):
    """Seed 000 stored as a document: (id, text)."""
    text = read_seed("000")
    with store.writer() as w:
        doc_id = w.add_document(make_doc(text, origin="seed:000", published=PUBLISHED))
    return doc_id, text


@pytest.fixture()
def paragraph_doc(store, make_doc):
    """The short paragraph stored as a document: its id."""
    with store.writer() as w:
        return w.add_document(make_doc(PARAGRAPH, origin="test:paragraph"))


def _rows(store, doc_id: int) -> list[dict]:
    query = sa.select(mentions).where(mentions.c.document_id == doc_id).order_by(mentions.c.id)
    with store._engine.connect() as conn:
        return [dict(row) for row in conn.execute(query).mappings()]


def test_the_hand_written_readings_follow_the_output_schema():
    for reading in (reading_of_seed(read_seed("000")), reading_of_paragraph()):
        jsonschema.validate(reading, SCHEMA)


def test_a_reading_round_trips(store, seed_doc, paragraph_doc):
    doc_id, text = seed_doc
    seed, para = reading_of_seed(text), reading_of_paragraph()
    stored = store.save_readings([(doc_id, seed), (paragraph_doc, para)], reader_version="1")
    assert stored == (6 + 2 + 2 + 1) + (1 + 4)
    for key, reading in ((doc_id, seed), (paragraph_doc, para)):
        expected = reading | {"id": str(key)}
        got = store.get_reading(key)
        assert got == expected
        # Keys come back in the order they went in: `show --json` prints what analyze prints.
        assert json.dumps(got, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    assert store.get_reading(doc_id + paragraph_doc + 1) is None


def test_the_columns_later_stages_query(store, seed_doc, paragraph_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text)), (paragraph_doc, reading_of_paragraph())],
                        "1")
    columns = ("kind", "label", "value", "ref", "region_kato", "flag")
    seed_rows = [tuple(row[c] for c in columns) for row in _rows(store, doc_id)]
    assert seed_rows[1] == ("entity", "PER", "Маулен Ашимбаев", "per:ashimbayev", None, False)
    assert seed_rows[6:8] == [
        ("place", "region", "Астана", "710000000", "710000000", False),
        ("place", "district", "Кордайский район", "314800000", "310000000", False),
    ]
    assert seed_rows[8][:4] == ("quote", "indirect", "Маулен Ашимбаев", "per:ashimbayev")
    assert seed_rows[9][:2] == ("quote", "direct")
    assert seed_rows[10] == ("attribution", None, "Kazinform", "org:kazinform", None, False)
    ethnic = [row for row in _rows(store, paragraph_doc) if row["kind"] == "ethnic"]
    assert [(r["text"], r["value"], r["label"], r["flag"]) for r in ethnic] == [
        ("дунгане", "дунганин", "group", False), ("Дунганская", "дунганин", "group", False),
        ("казахи", "казах", "group", False), ("америкосы", "американец", "group", True)]
    for row in _rows(store, doc_id) + ethnic:
        assert text_of(store, row["document_id"])[row["start"]:row["end"]] == row["text"]


def text_of(store, doc_id: int) -> str:
    return store.get_document(doc_id).text


def test_saving_again_replaces_the_reading(store, seed_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text))], "1")
    shorter = reading_of_seed(text)
    shorter["entities"] = shorter["entities"][:2]
    shorter["places"] = []
    assert store.save_readings([(doc_id, shorter)], "2") == 2 + 2 + 1
    assert store.get_reading(doc_id) == shorter | {"id": str(doc_id)}
    assert len(_rows(store, doc_id)) == 5
    assert store.reading_stats().by_version == {"2": 1}


def test_a_document_given_twice_keeps_its_last_reading(store, seed_doc):
    doc_id, text = seed_doc
    first, last = reading_of_seed(text), reading_of_seed(text)
    last["quotes"] = []
    store.save_readings([(doc_id, first), (doc_id, last)], "1")
    assert store.get_reading(doc_id)["quotes"] == []


@pytest.mark.parametrize("break_it, message", [
    (lambda r: r["entities"][1].update(start=r["entities"][1]["start"] + 1),
     r"the entity 'Маулена Ашимбаева' at \[160:176\] does not match the stored text, "
     r"which has 'аулена Ашимбаева' there"),
    (lambda r: r["places"][0].update(end=10**6), r"outside its text of \d+ characters"),
    (lambda r: r["quotes"][0].update(speaker_end=10**6), r"speaker of the quote"),
    (lambda r: r["attribution"][0].update(text="Kazinform"), r"the attribution 'Kazinform'"),
    (lambda r: r["entities"][0].pop("start"), r"malformed reading"),
    (lambda r: r["entities"][0].update(kb_id="x" * 200), r"invalid ref"),
    (lambda r: r.update(text=r["text"] + " "), r"another text"),
    (lambda r: r["tension"]["evidence"][0].update(start=0), r"the tension evidence"),
    (lambda r: r["event"]["references_past"][0]["place"].update(end=10**6),
     r"the past reference place 'Кордайском районе' has offsets"),
    (lambda r: r["event"]["place"].update(text="Астане"), r"the event place 'Астане'"),
    (lambda r: r["relevance"]["evidence"][0].update(end=-1), r"the relevance evidence"),
])
def test_a_reading_that_does_not_index_the_text_is_refused(break_it, message):
    text = read_seed("000")
    bad = reading_of_seed(text)
    break_it(bad)
    with pytest.raises(InvalidValueError, match=rf"^document 12: .*{message}"):
        readings.mention_rows(12, text, bad)


def test_a_refused_reading_writes_nothing_of_its_call(store, seed_doc, paragraph_doc):
    doc_id, text = seed_doc
    store.save_readings([(paragraph_doc, reading_of_paragraph())], "1")
    bad = reading_of_seed(text)
    bad["places"][1]["start"] += 2
    better = reading_of_paragraph()
    better["ethnic_groups"] = better["ethnic_groups"][:1]
    with pytest.raises(StoreError, match=rf"document {doc_id}: the place 'Кордайском районе'"):
        store.save_readings([(paragraph_doc, better), (doc_id, bad)], "2")
    # The earlier reading of the good document is intact, the bad one has none.
    assert store.get_reading(doc_id) is None
    assert store.get_reading(paragraph_doc) == reading_of_paragraph() | {"id": str(paragraph_doc)}
    assert store.reading_stats().by_version == {"1": 1}


def test_unknown_documents_and_bad_versions_are_refused(store, paragraph_doc):
    with pytest.raises(UnknownDocumentError, match=f"no document with id {paragraph_doc + 7}"):
        store.save_readings([(paragraph_doc + 7, reading_of_paragraph())], "1")
    with pytest.raises(InvalidValueError, match="reader version"):
        store.save_readings([(paragraph_doc, reading_of_paragraph())], "")
    assert store.reading_stats().documents_read == 0


def test_deleting_a_document_deletes_its_reading(store, seed_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text))], "1")
    with store._engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM documents WHERE id = :id"), {"id": doc_id})
    with store._engine.connect() as conn:
        for table in (mentions, readings_table):
            assert conn.scalar(sa.select(sa.func.count()).select_from(table)) == 0


def test_unread_documents_by_reader_version(store, make_doc, seed_doc, paragraph_doc,
                                            monkeypatch):
    doc_id, text = seed_doc
    with store.writer() as w:
        others = w.add_documents([make_doc(f"Заметка номер {n}.", lang="kk") for n in range(3)])
    every = [doc_id, paragraph_doc, *others]
    monkeypatch.setattr(readings, "UNREAD_BATCH", 2)  # several pages of unread documents
    assert [d.id for d in store.unread_documents("1")] == every
    store.save_readings([(doc_id, reading_of_seed(text))], "1")
    unread = list(store.unread_documents("1"))
    assert [d.id for d in unread] == every[1:]
    assert unread[-1].text == "Заметка номер 2." and unread[-1].lang == "kk"
    assert [d.id for d in store.unread_documents("2")] == every
    assert [d.id for d in store.unread_documents("2", limit=3)] == every[:3]
    assert list(store.unread_documents("2", limit=0)) == []
    first = next(store.unread_documents("2"))
    assert first.published == date(2021, 10, 14) and first.text == text


def test_a_replaced_text_is_unread_again(store, make_doc, seed_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text))], "1")
    with store.writer() as w:
        w.update_document(doc_id, make_doc(text + "\nДополнено.", origin="seed:000"))
    assert [d.id for d in store.unread_documents("1")] == [doc_id]
    assert store.get_reading(doc_id) is None  # its offsets may no longer index the text
    store.save_readings([(doc_id, reading_of_seed(text + "\nДополнено."))], "1")
    assert list(store.unread_documents("1")) == []
    assert store.get_reading(doc_id)["text"].endswith("Дополнено.")


def test_reading_stats(store, make_doc, seed_doc, paragraph_doc):
    doc_id, text = seed_doc
    with store.writer() as w:
        w.add_document(make_doc("Не прочитано."))
    assert store.stats().documents_read == 0
    store.save_readings([(doc_id, reading_of_seed(text)), (paragraph_doc, reading_of_paragraph())],
                        "1")
    stats = store.reading_stats(top=2)
    assert (stats.documents_read, stats.documents_unread) == (2, 1)
    assert stats.by_version == {"1": 2}
    assert stats.mentions == {"entity": 6, "ethnic": 4, "place": 3, "quote": 2, "attribution": 1}
    assert [(g.group, g.kind, g.mentions, g.documents, g.slurs) for g in stats.ethnic_groups] == [
        ("дунганин", "group", 2, 1, 0), ("американец", "group", 1, 1, 1)]
    assert [(r.region_kato, r.region, r.mentions, r.documents) for r in stats.regions] == [
        ("310000000", "Жамбылская область", 2, 2), ("710000000", "Астана", 1, 1)]
    assert store.stats().documents_read == 2


def test_an_empty_reading_is_stored_and_counted(store, paragraph_doc):
    empty = {"id": "x", "schema_version": 1, "language": "ru", "published": None,
             "text": PARAGRAPH, "entities": [], "places": [], "ethnic_groups": [], "quotes": [],
             "attribution": []}
    assert store.save_readings([(paragraph_doc, empty)], "1") == 0
    assert store.get_reading(paragraph_doc) == empty | {"id": str(paragraph_doc)}
    assert list(store.unread_documents("1")) == []


# The rows and their rebuilding, without a database: any spans of a text come back as given.

WORDS = st.lists(st.sampled_from(["казах", "дунгане", "Кордай", "Мажилис", "сказал", " ", "\n"]),
                 min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(WORDS, st.data())
def test_rows_rebuild_the_reading(words, data):
    text = "".join(words)
    offsets = st.integers(0, len(text))
    spans = data.draw(st.lists(st.tuples(offsets, offsets).map(sorted), max_size=6))
    items = [{"start": a, "end": b, "text": text[a:b]} for a, b in spans]
    reading = {"language": "ru", "text": text,
               "entities": [{"type": "PER", **i, "normal": i["text"], "kb_id": None}
                            for i in items],
               "attribution": [{**i, "outlet": "X", "kb_id": None} for i in items[:2]],
               "ethnic_groups": [{"group": "казах", "kind": "group", "slur": False,
                                  "as_people": True, "mentions": [
                                      {**i, "slur": False, "person": True} for i in items]}]
               if items else []}
    rows = [dict(zip(readings.MENTION_COLUMNS, row))
            for row in readings.mention_rows(1, text, reading)]
    rebuilt = readings._lists((row["kind"], json.loads(row["data"].text)) for row in rows)
    for name in ("entities", "attribution", "ethnic_groups"):
        assert rebuilt[name] == reading[name]
    assert all(text[r["start"]:r["end"]] == r["text"] for r in rows)


def as_dicts(rows: list[tuple]) -> list[dict]:
    """Mention rows as SQLAlchemy takes them: dicts, ``data`` as the object it serialises."""
    return [dict(zip(readings.MENTION_COLUMNS, row)) | {"data": json.loads(row[-1].text)}
            for row in rows]


def test_insert_rows_binds_rows_as_sqlalchemy_does(store, seed_doc, paragraph_doc):
    # The same rows through SQLAlchemy's executemany (data as objects), insert_rows (data
    # serialised beforehand, ethnic groups once per group; with the flag and data given to the
    # driver unprocessed on SQLite) and insert_many: equal, column by
    # column and byte for byte in the stored JSON (booleans, None, non-ASCII text), ids in the
    # order given.
    doc_id, text = seed_doc
    rows = [*readings.mention_rows(doc_id, text, reading_of_seed(text)),
            *readings.mention_rows(paragraph_doc, PARAGRAPH, reading_of_paragraph())]
    columns = [c for c in mentions.c if c.name != "id"]
    reordered = readings.MENTION_COLUMNS[::-1]  # another order than the table's
    with store._engine.begin() as conn:
        conn.execute(mentions.insert(), as_dicts(rows))
        db.insert_rows(conn, mentions, readings.MENTION_COLUMNS, rows)
        db.insert_rows(conn, mentions, reordered, [row[::-1] for row in rows])
        db.insert_rows(conn, mentions, reordered, [row[::-1] for row in rows], ready=("flag", "data"))
        db.insert_many(conn, mentions, as_dicts(rows))
        db.insert_many(conn, mentions, [])
        db.insert_rows(conn, mentions, readings.MENTION_COLUMNS, [])
        stored = conn.execute(sa.select(*columns).order_by(mentions.c.id)).all()
        raw = conn.execute(sa.select(sa.cast(mentions.c.data, sa.Text)).order_by(mentions.c.id))
        data = raw.scalars().all()
    n = len(rows)
    assert len(stored) == 5 * n > 10
    assert all(stored[k * n:(k + 1) * n] == stored[:n] for k in range(1, 5))
    assert all(data[k * n:(k + 1) * n] == data[:n] for k in range(1, 5))
    assert data[:n] == [row[-1].text for row in rows]
    assert [row.text for row in stored[n:2 * n]] == [row[5] for row in rows]
    assert {row.flag for row in stored} == {True, False}
    assert {row.kind for row in stored} == set(readings.LISTS.values())


def test_readings_of_several_documents_are_each_documents_reading(store, make_doc, seed_doc, paragraph_doc):
    """The warning stage loads a chunk's readings at once: the same as one by one, corrections
    applied, a reading whose text changed since and an unknown document left out."""
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text)), (paragraph_doc, reading_of_paragraph())], "1")
    store.add_correction(doc_id, "relevant", False, "aigerim")
    with store.writer() as w:
        stale = w.add_document(make_doc("Другой текст о селе.", origin="seed:stale"))
    store.save_readings([(stale, {"language": "ru"})], "1")
    with store.writer() as w:
        w.update_document(stale, make_doc("Другой текст о селе. Дополнено.", origin="seed:stale"))
    unknown = doc_id + paragraph_doc + stale + 1
    found = store.get_readings([doc_id, paragraph_doc, stale, unknown])
    assert found == {doc_id: store.get_reading(doc_id), paragraph_doc: store.get_reading(paragraph_doc)}
    assert found[doc_id]["relevance"]["relevant"] is False and found[doc_id]["corrections"]
    assert store.get_readings([]) == {}
