"""The view's flat tokens and its index: where a scanner's words stand, as a plain walk finds them."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.reading.document import TextView, WordMemo

NEWS = "Ночью в Кордае произошла драка.\nВ селе спокойно. Конфликт исчерпан, сообщили в акимате."


def _plain_where(view: TextView, texts: set[str]) -> dict[int, list[int]]:
    """Every sentence's tokens walked one by one."""
    found: dict[int, list[int]] = {}
    for index, sentence in enumerate(view.sentences):
        at = [k for k, token in enumerate(sentence.tokens) if token.text in texts]
        if at:
            found[index] = at
    return found


def test_where_finds_the_words_of_a_news_text():
    view = TextView.of(NEWS)
    assert view.where({"в", "Конфликт"}) == {0: [1], 2: [0, 4]}
    assert view.where(set()) == {}
    assert view.tokens() == [t for s in view.sentences for t in s.tokens]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="аБв Zz1.,-«»!?\n", max_size=120), st.sets(st.sampled_from(["а", "Б", "в", "аБ", ".", "1"])))
def test_where_agrees_with_a_plain_walk(text, texts):
    view = TextView.of(text)
    assert list(view.flat) == [t for s in view.sentences for t in s.tokens]
    assert view.texts == tuple(t.text for t in view.flat) and view.distinct == frozenset(view.texts)
    assert view.where(texts) == _plain_where(view, texts)


def test_a_memo_learns_each_text_once_and_forgets_at_its_limit():
    asked = []
    memo = WordMemo(lambda text: asked.append(text) or text.isupper(), limit=3)
    assert memo.hot(TextView.of("А б В")) == {"А", "В"}
    assert memo.hot(TextView.of("б В")) == {"В"} and sorted(asked) == ["А", "В", "б"]
    assert memo.hot(TextView.of("Г д")) == {"Г"}  # past the limit: forgotten, then learnt again
    assert memo["д"] is False and memo["Е"] is True


def test_memos_made_after_a_view_and_between_views_find_their_own_texts():
    upper = WordMemo(str.isupper)
    view = TextView.of("Ночью в Кордае. Драка СМИ")
    assert upper.hot(view) == {"СМИ"}
    titled = WordMemo(str.istitle)  # made after the view was first asked about
    assert titled.hot(view) == {"Ночью", "Кордае", "Драка"} and upper.hot(view) == {"СМИ"}
    digits = WordMemo(str.isdigit)
    assert digits.hot(TextView.of("В 2024 году 5 СМИ")) == {"2024", "5"}
    del digits  # a memo gone frees its bit for the next one
    short = WordMemo(lambda text: len(text) == 1 and text.isalpha())
    assert short.hot(view) == {"в"} and upper.hot(view) == {"СМИ"} and len(titled.hot(view)) == 3


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.text(alphabet="аБв Zz1.,\n", max_size=40), st.integers(0, 3)), max_size=6))
def test_each_memo_finds_what_its_own_walk_finds(steps):
    """Memos made at any point, some forgetting at a small limit, each find in every view the
    texts their own test holds true for."""
    tests = (str.isupper, str.isdigit, lambda t: "а" in t, lambda t: len(t) > 2)
    memos: list[tuple[WordMemo, object]] = []
    for text, which in steps:
        if len(memos) < 4:
            memos.append((WordMemo(tests[which], limit=3 + which), tests[which]))
        view = TextView.of(text)
        for memo, test in memos:
            assert memo.hot(view) == {t for t in view.distinct if test(t)}
            assert all(memo[t] == test(t) for t in view.distinct)


def test_a_batch_read_twice_finds_the_same_texts_and_walks_each_view_once():
    """Reading extracts from a batch's views, then understands them: the second pass over the
    batch gets each view's hot texts as the first pass found them, without walking it again."""
    from kelisim.reading import document

    titled = WordMemo(str.istitle)
    views = [TextView.of(f"Драка {i} в Кордае, сообщили Мы") for i in range(16)]
    first = [document._REGISTRY.admit(view) for view in views]
    assert all(titled.hot(view) == {"Драка", "Кордае", "Мы"} for view in views)
    assert all(document._REGISTRY.admit(view) is hot for view, hot in zip(views, first))
    fresh = TextView.of(views[0].text)  # equal text, another view: looked up on its own
    assert document._REGISTRY.admit(fresh) == first[0] and document._REGISTRY.admit(fresh) is not first[0]
