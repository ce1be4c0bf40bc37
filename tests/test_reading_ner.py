"""The batched NER model and the entity rules on top of it, on real sentences."""

import pytest

from kelisim.reading import entities as ent
from kelisim.reading.document import TextView
from kelisim.reading.ner import MAX_TOKENS, NerModel

if __package__:
    from tests.shared_data import seed_texts
else:
    from shared_data import seed_texts


@pytest.fixture(scope="module")
def model():
    return NerModel.load()


def _entities(model, text):
    view = TextView.of(text)
    spans = [span for found in model.tag(view.sentences) for span in found]
    return [(e.type, e.text, e.normal) for e in ent.from_spans(view, spans)]


def test_same_spans_as_natasha_on_a_seed(model):
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    text = seed_texts()[0]
    doc = Doc(text)
    doc.segment(Segmenter())
    doc.tag_ner(NewsNERTagger(NewsEmbedding()))
    view = TextView.of(text)
    ours = {(s.type, s.start, s.end) for found in model.tag(view.sentences) for s in found}
    assert ours == {(s.type, s.start, s.stop) for s in doc.spans}


def test_batching_does_not_change_the_spans(model):
    views = [TextView.of(text) for text in seed_texts()]
    sentences = [s for v in views for s in v.sentences]
    together = [[(s.type, s.start, s.end) for s in found] for found in model.tag(sentences)]
    alone = [[(s.type, s.start, s.end) for s in model.tag([sent])[0]] for sent in sentences]
    assert together == alone
    assert sum(map(len, together)) > 50


def test_a_very_long_sentence_is_tagged_in_windows(model):
    text = " ".join(["Маулен Ашимбаев встретился с жителями Тараза"] * 40)
    view = TextView.of(text)
    assert len(view.sentences[0].tokens) > MAX_TOKENS
    spans = model.tag(view.sentences)[0]
    assert sum(s.type == "PER" for s in spans) >= 35
    assert all(view.text[s.start:s.end] for s in spans)


@pytest.mark.parametrize(("text", "expected"), [
    ("Вода в реке Славянка поднялась.", ("LOC", "реке Славянка", "река Славянка")),
    ("У здания мэрии Москвы прошла акция.", ("ORG", "мэрии Москвы", "мэрия Москвы")),
    ("Он вступил в ряды партии «Яблоко» в прошлом году.", ("ORG", "партии «Яблоко»", "партия «Яблоко»")),
    ("Решение поддержали в Конгрессе США.", ("ORG", "Конгрессе США", "Конгресс США")),
    ("Об этом заявил председатель Ассамблеи народа Казахстана.",
     ("ORG", "Ассамблеи народа Казахстана", "Ассамблея народа Казахстана")),
    ("Евросоюз ввёл новые санкции.", ("ORG", "Евросоюз", "Евросоюз")),
])
def test_boundary_rules(model, text, expected):
    assert expected in _entities(model, text)


def test_parenthesis_splits_a_name(model):
    found = _entities(model, "Союз координационных советов (СКС) провёл митинг.")
    assert ("ORG", "Союз координационных советов", "Союз координационных советов") in found
    assert ("ORG", "СКС", "СКС") in found


def test_a_word_before_an_initial_is_not_part_of_the_name(model):
    found = _entities(model, "Депутаты Мажилиса С.Абдрахманов и И.Буларов посетили Тараз.")
    people = [e for e in found if e[0] == "PER"]
    assert ("PER", "С.Абдрахманов", "С. Абдрахманов") in people
    assert all("Мажилиса" not in e[1] for e in people)


def test_people_are_linked_within_a_document():
    text = ("Председатель Сената Маулен Ашимбаев прибыл в Тараз. М. Ашимбаев встретился с "
            "жителями. Ашимбаев отметил важность диалога.")
    model = NerModel.load()
    view = TextView.of(text)
    spans = [span for found in model.tag(view.sentences) for span in found]
    people = ent.link_people([e for e in ent.from_spans(view, spans) if e.type == "PER"])
    assert {e.normal for e in people} == {"Маулен Ашимбаев"}
    assert len(people) == 3
    assert all(view.text[e.start:e.end] == e.text for e in people)
