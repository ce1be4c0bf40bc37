"""The matcher's words (kelisim.kb.matcher.prepare) are built without Word's own constructor;
they must be the very records it makes."""

from __future__ import annotations

from kelisim.kb import KnowledgeBase
from kelisim.kb.matcher import Word, prepare
from kelisim.text.tokens import forms, sentences


def test_words_are_the_records_word_makes() -> None:
    text = "Президент Токаев\nпосетил Казахстана-заведующий «Нұр Отан»."
    shapes = KnowledgeBase.load()._shapes
    words = prepare(text, [tok for sent in sentences(text) for tok in sent.tokens], shapes)
    expected = [
        Word(0, 9, "Президент", forms("президент"), "word", 0),
        Word(10, 16, "Токаев", forms("токаев"), "word", 0),
        Word(17, 24, "посетил", forms("посетил"), "word", 1),
        Word(25, 35, "Казахстана", forms("казахстана"), "word", 1),  # split: not a name key whole
        Word(36, 46, "заведующий", forms("заведующий"), "word", 1),
        Word(47, 48, "«", frozenset({"«"}), "quote", 1),
        Word(48, 51, "Нұр", forms("нұр"), "word", 1),
        Word(52, 56, "Отан", forms("отан"), "word", 1),
        Word(56, 57, "»", frozenset({"»"}), "quote", 1),
        Word(57, 58, ".", frozenset({"."}), "punct", 1),
    ]
    assert words == expected
    assert all(type(word) is Word for word in words)
    assert words[3].forms == words[3][3] and words[3].kind == "word"
