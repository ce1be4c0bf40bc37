"""KnowledgeBase.find reads only the lines a match may be on; it must find what the plain
reading of every word of the text finds (kelisim.kb.matcher.prepare_near)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.kb import KnowledgeBase
from kelisim.kb.matcher import kazakhstani, prepare, select
from kelisim.kb.records import KbMention
from kelisim.reading.document import TextView
from tests.shared_data import factru_texts, seed_texts


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


def _plain_find(kb: KnowledgeBase, view: TextView) -> list[KbMention]:
    """``find`` as it was: every word of the text prepared, every word tried."""
    when = view.published or date.today()
    words = prepare(view.text, view.tokens(), kb._shapes)
    pairs = kb._resolved(words, view.text, when)
    specific = any(not c.generic and not c.weak for c, _ in pairs)
    if not (view.language == "kk" or kazakhstani(words) or specific):
        pairs = [(c, kb_id) for c, kb_id in pairs if not c.generic]
    return [kb._mention(c, kb_id, words, view.text) for c, kb_id in select(pairs, words)]


def test_the_same_mentions_on_real_news(kb: KnowledgeBase) -> None:
    texts = seed_texts() + factru_texts()
    views = [TextView.of(text, "ru", date(2021, 1, 1)) for text in texts]
    assert sum(len(kb.find(view)) for view in views) > 50  # the news names the KB's entries
    assert [kb.find(view) for view in views] == [_plain_find(kb, view) for view in views]


# Words the knowledge base's patterns, initials, qualifiers and context rules turn on, with
# line breaks and full stops to put them on either side of a line's edge.
_WORDS = ["Токаев", "Токаева", "К", "Ж", "Н", "А", ".", "-", "Касым-Жомарт", "Назарбаев", "Абдрахманов",
          "С.Абдрахманов", "Президент", "президент", "президента", "Первого", "Казахстана", "Республики",
          "Казахстан", "РК", "АНК", "Ассамблеи", "Ассамблея", "народа", "глава", "Главы", "государства",
          "аким", "акима", "Жамбылской", "области", "Правительство", "парламент", "МВД", "России",
          "заместитель", "бывший", "и", "о", "врио", "отметил", "сказал", "«", "»", "Нұр", "Отан",
          "партиясы", "Премьер-министр", "Мишустин", "Казахстана-заведующий", ",", "—", "\n", "\n", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=30), st.sampled_from(["ru", "kk"]),
       st.sampled_from([date(2018, 5, 1), date(2022, 6, 1)]))
def test_the_same_mentions_on_any_word_salad(kb: KnowledgeBase, words: list[str], language: str,
                                             when: date) -> None:
    view = TextView.of(" ".join(words), language, when)
    assert kb.find(view) == _plain_find(kb, view)


def test_initials_across_a_line_break_are_read_as_before(kb: KnowledgeBase) -> None:
    """The initials rules look one word into the line before and two into the line after."""
    for text in ("Выступил К\n. Токаев сегодня", "Сказал глава государства Токаев К\n. К. вчера",
                 "Пресс-релиз\nВыступил Токаев К.\n-Ж. вчера\nИтоги"):
        view = TextView.of(text, "ru", date(2022, 6, 1))
        assert kb.find(view) == _plain_find(kb, view)
