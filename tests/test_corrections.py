"""Analysts' corrections: stored with who and when, in force on the decision columns and on the
stored reading, kept when a document is read again; on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from kelisim.correct import CorrectionError, check, parse_attitude, parse_bool
from kelisim.store import InvalidValueError, UnknownDocumentError
from kelisim.store.schema import corrections as corrections_table
from kelisim.store.schema import readings as readings_table
from tests.test_store_readings import (  # noqa: F401  (fixtures)
    paragraph_doc,
    reading_of_paragraph,
    reading_of_seed,
    seed_doc,
)


def _decisions(store, doc_id: int) -> dict:
    columns = ("relevance", "relevant", "event_type", "tension", "tension_label", "hostility", "hostile")
    query = sa.select(*(readings_table.c[c] for c in columns)).where(readings_table.c.document_id == doc_id)
    with store._engine.connect() as conn:
        return dict(conn.execute(query).one()._mapping)


def test_a_reading_stores_its_decisions_as_columns(store, seed_doc, paragraph_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text)), (paragraph_doc, reading_of_paragraph())], "3")
    assert _decisions(store, doc_id) == {
        "relevance": 0.97, "relevant": True, "event_type": "meeting_conference", "tension": -0.133,
        "tension_label": "calm", "hostility": 0.0, "hostile": False}
    assert _decisions(store, paragraph_doc)["hostile"] is True


def test_a_correction_is_in_force_and_keeps_the_machines_decision(store, seed_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text))], "3")
    item = store.add_correction(doc_id, "event_type", "official_statement", "aigerim",
                                comment="это поручение, а не круглый стол")
    assert (item.field, item.value, item.machine, item.author) == (
        "event_type", "official_statement", "meeting_conference", "aigerim")
    assert _decisions(store, doc_id)["event_type"] == "official_statement"
    shown = store.get_reading(doc_id)
    assert shown["event"]["type"] == "official_statement"
    mark = shown["event"]["corrected"]["type"]
    assert (mark["machine"], mark["author"], mark["comment"]) == (
        "meeting_conference", "aigerim", "это поручение, а не круглый стол")
    assert [c["id"] for c in shown["corrections"]] == [item.id]


def test_the_latest_correction_wins_and_the_history_stays(store, seed_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text))], "3")
    first = store.add_correction(doc_id, "relevant", False, "aigerim")
    second = store.add_correction(doc_id, "relevant", True, "daniyar", comment="всё-таки о единстве")
    assert [c.id for c in store.corrections(doc_id)] == [first.id, second.id]
    assert second.machine is True  # the machine's decision, not the first analyst's
    assert _decisions(store, doc_id)["relevant"] is True
    reading = store.get_reading(doc_id)
    assert reading["relevance"]["corrected"]["relevant"]["author"] == "daniyar"
    assert len(reading["corrections"]) == 2


def test_corrections_hold_again_when_the_document_is_read_again(store, seed_doc, paragraph_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text)), (paragraph_doc, reading_of_paragraph())], "3")
    store.add_correction(doc_id, "hostile", True, "aigerim")
    store.add_correction(paragraph_doc, "attitude", 0, "aigerim", target="американец")
    store.save_readings([(doc_id, reading_of_seed(text)), (paragraph_doc, reading_of_paragraph())], "4")
    assert _decisions(store, doc_id)["hostile"] is True
    group = {g["group"]: g for g in store.get_reading(paragraph_doc)["ethnic_groups"]}["американец"]
    assert (group["attitude"], group["attitude_p"]) == (0, 1.0)
    assert group["corrected"]["attitude"]["machine"] == -1


def test_an_uncorrected_reading_is_exactly_what_was_saved(store, seed_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text))], "3")
    assert store.get_reading(doc_id) == reading_of_seed(text) | {"id": str(doc_id)}


@pytest.mark.parametrize("field, value, target, author, message", [
    ("topic", 1, "", "a", "cannot correct 'topic'"),
    ("relevant", "yes", "", "a", "relevant is true or false"),
    ("attitude", 2, "казах", "a", "an attitude is −1, 0 or 1"),
    ("attitude", 1, "", "a", "names the group"),
    ("hostile", True, "казах", "a", "has no target group"),
    ("relevant", True, "", " ", "needs its author"),
])
def test_malformed_corrections_are_refused_and_nothing_is_written(store, seed_doc, field, value,
                                                                  target, author, message):
    doc_id, _text = seed_doc
    with pytest.raises(InvalidValueError, match=message):
        store.add_correction(doc_id, field, value, author, target=target)
    assert store.corrections() == []


def test_a_correction_of_an_unknown_document_is_refused(store, seed_doc):
    doc_id, _text = seed_doc
    with pytest.raises(UnknownDocumentError):
        store.add_correction(doc_id + 100, "relevant", True, "aigerim")


def test_deleting_a_document_deletes_its_corrections(store, seed_doc):
    doc_id, text = seed_doc
    store.save_readings([(doc_id, reading_of_seed(text))], "3")
    store.add_correction(doc_id, "relevant", False, "aigerim")
    with store._engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM documents WHERE id = :id"), {"id": doc_id})
    with store._engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(corrections_table)) == 0


def test_corrections_are_checked_against_the_taxonomy_labels_and_groups():
    reading = reading_of_paragraph()
    check("event_type", "violent_clash", "", reading)
    check("attitude", 1, "казах", reading)
    with pytest.raises(CorrectionError, match="unknown event type 'clash'; known: violent_clash"):
        check("event_type", "clash", "", reading)
    with pytest.raises(CorrectionError, match="conflict, tension, calm, cooperation"):
        check("tension_label", "war", "", reading)
    with pytest.raises(CorrectionError, match="names no group 'узбек' .*дунганин, казах, американец"):
        check("attitude", -1, "узбек", reading)


def test_values_as_people_type_them():
    assert [parse_bool(v) for v in ("yes", "Да", "0", "false")] == [True, True, False, False]
    assert parse_attitude("узбек=-1") == ("узбек", -1)
    assert parse_attitude("узбек=+") == ("узбек", 1)
    with pytest.raises(CorrectionError):
        parse_bool("maybe")
    with pytest.raises(CorrectionError, match="GROUP=-1"):
        parse_attitude("узбек")


def test_the_command_line_corrects_and_lists(tmp_path, make_doc):
    from typer.testing import CliRunner

    from kelisim.cli import app
    from kelisim.store import Store

    db = tmp_path / "k.db"
    text = reading_of_paragraph()["text"]
    with Store.open(f"sqlite:///{db}") as store:
        with store.writer() as w:
            doc_id = w.add_document(make_doc(text, origin="test:paragraph"))
        store.save_readings([(doc_id, reading_of_paragraph())], "3")
    runner = CliRunner()
    done = runner.invoke(app, ["--db", str(db), "correct", str(doc_id), "--relevant", "нет",
                               "--attitude", "казах=1", "--by", "aigerim", "--comment", "шутка"])
    assert done.exit_code == 0, done.output
    assert "relevant True → False by aigerim" in done.output
    assert "attitude toward казах 0 → 1 by aigerim" in done.output
    listed = runner.invoke(app, ["--db", str(db), "corrections", "--json"])
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert [(r["field"], r["target"], r["value"], r["author"]) for r in rows] == [
        ("relevant", None, False, "aigerim"), ("attitude", "казах", 1, "aigerim")]
    refused = runner.invoke(app, ["--db", str(db), "correct", str(doc_id), "--event", "riot", "--by", "a"])
    assert refused.exit_code == 1 and "unknown event type 'riot'" in refused.output
    nothing = runner.invoke(app, ["--db", str(db), "correct", str(doc_id), "--by", "a"])
    assert nothing.exit_code == 1 and "say what to correct" in nothing.output
