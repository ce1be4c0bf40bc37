"""`kelisim show` markup of a stored reading: every mention readable inline, then tables."""

from __future__ import annotations

from datetime import datetime, timezone

from hypothesis import given, settings, strategies as st
from rich.console import Console

from kelisim import render
from kelisim.store.views import DocumentView
from tests.shared_data import read_seed
from tests.test_store_readings import PARAGRAPH, reading_of_paragraph, reading_of_seed


def _doc(doc_id: int, text: str, title: str | None) -> DocumentView:
    return DocumentView(
        id=doc_id, origin=f"test:{doc_id}", url=None, title=title, author=None, source_id=None,
        source=None, published_at=datetime(2021, 10, 14, tzinfo=timezone.utc),
        published_from="text", fetched_at=None,
        ingested_at=datetime(2021, 10, 15, tzinfo=timezone.utc), updated_at=None, lang="ru",
        text=text, chars=len(text), content_hash="h", cleaning={}, meta={})


def _rendered(doc: DocumentView, reading: dict) -> str:
    # Wide enough that no marked mention is broken across lines.
    console = Console(record=True, width=400, color_system=None)
    render.reading_markup(console, doc, reading)
    return console.export_text()


def test_the_seed_reading_is_marked_inline():
    text = read_seed("000")
    out = _rendered(_doc(12, text, "Круглый стол по этнополитике"), reading_of_seed(text))
    assert "Reading of document #12: Круглый стол по этнополитике" in out
    assert "2021-10-14 · ru · test:12\n" in out
    assert "entities 6 · places 2 · ethnic groups 0 · quotes 2 · attribution 1" in out
    assert ("По словам первого заместителя Руководителя [ORG Администрации Президента РК|"
            "Администрация Президента РК, org:presidential_administration] "
            "[PER Маулена Ашимбаева|Маулен Ашимбаев, per:ashimbayev], [SAID вопрос") in out
    assert "В [PLACE столице|710000000 Астана, then Нур-Султан] начался" in out
    assert "сообщает [OUTLET КазИнформ|Kazinform, org:kazinform]." in out
    # A place inside a location inside a quote: nested, innermost closed first.
    assert ("события в [LOC [PLACE Кордайском районе|314800000 Кордайский район, Жамбылская "
            "область]|Кордайский район] показали") in out
    assert ("работают в этих направлениях|— Маулен Ашимбаев, per:ashimbayev]», — сказал "
            "[PER М. Ашимбаев|Маулен Ашимбаев, per:ashimbayev] на открытии") in out
    # The tables after the text.
    for title in ("Entities (6)", "Places (2)", "Quotes (2)", "Attribution (1)"):
        assert title in out
    assert "Ethnic groups (" not in out  # no empty tables
    assert "│ столице " in out and "│ Нур-Султан │ alias" in out


def test_ethnic_groups_show_slurs_and_non_people():
    out = _rendered(_doc(3, PARAGRAPH, None), reading_of_paragraph())
    assert "Reading of document #3" in out
    assert ("В [PLACE Кордае|314830100 Кордай, Жамбылская область] [ETHNIC дунгане|дунганин] и "
            "[ETHNIC казахи|казах] вместе") in out
    assert "[ETHNIC Дунганская|дунганин, not people] кухня" in out
    assert "«[SLUR америкосы|американец, slur]»" in out
    assert "Ethnic groups (3)" in out
    assert "│ дунганин   │ group │ дунгане, Дунганская │ no   │ yes" in out


def test_markup_in_the_text_is_printed_as_text():
    text = "[bold]Не разметка[/bold] в Алматы."
    start = text.index("Алматы")
    reading = {"id": "1", "schema_version": 1, "language": "ru", "published": None, "text": text,
               "entities": [{"type": "LOC", "start": start, "end": start + 6, "text": "Алматы",
                             "normal": "Алматы", "kb_id": "loc:almaty[x]"}],
               "places": [], "ethnic_groups": [], "quotes": [], "attribution": []}
    out = _rendered(_doc(1, text, None), reading)
    assert "[bold]Не разметка[/bold] в [LOC Алматы|loc:almaty[x]]." in out
    assert "│ loc:almaty[x] │" in out


SPANS = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)).map(sorted), max_size=8)


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="аб [|]\n", max_size=40), SPANS,
       st.lists(st.sampled_from(["PER", "PLACE", "QUOTE", "SLUR"]), min_size=8, max_size=8))
def test_removing_the_marks_gives_back_the_text(text, spans, labels):
    marks = [render._Mark(min(a, len(text)), min(b, len(text)), label, "note" if a % 2 else "")
             for (a, b), label in zip(spans, labels, strict=False)]
    marked = render._marked_text(text, marks)
    # Every mark is styled, the document's own text is not: drop the styled parts.
    kept, done = [], 0
    for span in sorted(marked.spans, key=lambda s: s.start):
        kept.append(marked.plain[done:span.start])
        done = span.end
    kept.append(marked.plain[done:])
    assert "".join(kept) == text
    assert len(marked.spans) == 2 * sum(1 for m in marks if m.end > m.start)
