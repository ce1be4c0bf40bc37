"""Stories: the five seeds are five stories, the halves of a seed one; the window closes a story;
places in different districts keep clashes apart; growth and breaking news; a centroid's JSON
round trip; Kazakh, empty and very short texts."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import razdel
from hypothesis import given, settings
from hypothesis import strategies as st_h

from kelisim.analyze import AnalyzeOptions, analyze, read_texts
from kelisim.prepare import headline
from kelisim.reading.reader import TextInput
from kelisim.records import RawItem
from kelisim.warning import stories as st
from tests.shared_data import seed_paths, shared_path

DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# Three KazNERD validation sentences: the damage of the Kordai events told twice (the figure in
# words and in digits, as two outlets would), and a water supply in Shardara district.
KAZNERD_LINES = (10723, 10724, 1835)
# Written for this test: clashes in two villages of Kordai district and one in Saryagash
# district, as short wire reports.
CLASHES = (
    ("В селе Масанчи Кордайского района Жамбылской области произошла массовая драка между казахами "
     "и дунганами, есть погибшие."),
    ("В селе Сортобе Кордайского района продолжаются беспорядки: дунгане бегут в Кыргызстан, полиция "
     "задержала участников драки."),
    "В Сарыагашском районе Туркестанской области произошла массовая драка между казахами и узбеками.",
)


def kaznerd_sentences(numbers: tuple[int, ...]) -> list[str]:
    """Sentences of KazNERD's validation file by their position, tokens joined by spaces."""
    sentences, tokens = [], []
    path = shared_path("data", "kaznerd", "IOB2_valid.txt")
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            tokens.append(line.rsplit(" ", 1)[0])
        elif tokens:
            sentences.append(" ".join(tokens))
            tokens = []
    return [sentences[n] for n in numbers]


def halves(text: str) -> tuple[str, str]:
    """A text cut at the line break or sentence end nearest its middle (as eval/stories.py cuts)."""
    cuts = {i + 1 for i, ch in enumerate(text) if ch == "\n"} | {s.stop for s in razdel.sentenize(text)}
    cut = min(sorted(cuts), key=lambda c: abs(c - len(text) / 2))
    return text[:cut].strip(), text[cut:].strip()


@pytest.fixture(scope="module")
def readings() -> dict:
    """The seeds as ingest cleans and reads them; the halves of seed 004, three Kazakh sentences,
    the clash reports, an empty text and two names alone, read as given."""
    seeds = list(analyze([RawItem(origin=f"file:{p}", body=p.read_bytes()) for p in seed_paths()],
                         AnalyzeOptions()))
    texts = dict(zip(("half0", "half1"), halves(seeds[4]["text"]), strict=True))
    texts |= {f"kk{n}": text for n, text in zip(KAZNERD_LINES, kaznerd_sentences(KAZNERD_LINES))}
    texts |= {f"clash{i}": text for i, text in enumerate(CLASHES)}
    texts |= {"empty": "", "short": "Маулен Ашимбаев.", "shorter": "Ашимбаев"}
    languages = {key: "kk" if key.startswith("kk") else "ru" for key in texts}
    read = read_texts([TextInput(key, text, languages[key]) for key, text in texts.items()])
    return {**{f"seed{i}": reading for i, reading in enumerate(seeds)}, **dict(zip(texts, read, strict=True))}


def doc(readings: dict, key: str, doc_id: int, at: datetime = DAY) -> st.StoryDoc:
    """A reading as a story document, titled as ingest titles plain text."""
    reading = readings[key]
    return st.story_doc(doc_id, at, headline(reading["text"], "text"), reading)


def cluster(docs: list[st.StoryDoc]) -> list[int]:
    """The story of each document, clustering in order as the pipeline does."""
    centroids: dict[int, st.Centroid] = {}
    found = []
    for item in docs:
        story, _ = st.assign(item, list(centroids.items()))
        if story is None:
            story = len(centroids)
            centroids[story] = st.Centroid.of(item)
        else:
            centroids[story].add(item)
        found.append(story)
    return found


def test_the_five_seeds_are_five_stories_on_one_day(readings):
    """Three round tables and two statements on interethnic accord share their vocabulary; on
    the same day they still make five stories."""
    docs = [doc(readings, f"seed{i}", i, DAY + timedelta(minutes=i)) for i in range(5)]
    assert cluster(docs) == [0, 1, 2, 3, 4]
    assert all(st.similarity(a, st.Centroid.of(b)) < st.THRESHOLD for a in docs for b in docs if a is not b)


def test_a_seed_cut_in_two_is_one_story(readings):
    """The round table of seed 004, its first half and its second as two reports of one day."""
    first, second = doc(readings, "half0", 1), doc(readings, "half1", 2, DAY + timedelta(hours=2))
    assert cluster([first, second]) == [0, 0]


def test_the_same_text_ten_days_after_the_last_document_starts_a_new_story(readings):
    story = st.Centroid.of(doc(readings, "seed0", 1))
    assert st.assign(doc(readings, "seed0", 2, DAY + timedelta(days=3)), [(7, story)]) == (7, pytest.approx(1.0))
    story.add(doc(readings, "seed0", 2, DAY + timedelta(days=3)))
    assert st.assign(doc(readings, "seed0", 3, DAY + timedelta(days=13)), [(7, story)]) == (None, 0.0)
    assert st.assign(doc(readings, "seed0", 3, DAY + timedelta(days=10)), [(7, story)])[0] == 7


@pytest.mark.parametrize(("last", "open_"), [
    (timedelta(days=-7), True), (timedelta(days=-7, seconds=-1), False),
    (timedelta(days=1), True), (timedelta(days=1, seconds=1), False), (timedelta(0), True)])
def test_the_window(last, open_):
    """A story is open to a document when its last one is at most seven days before it, or at
    most a day after it (a late arrival)."""
    centroid = st.Centroid({"w:драка": 1.0}, 1, DAY + last, DAY + last)
    assert st.is_open(centroid, DAY) is open_


def test_assign_takes_the_most_similar_open_story_and_reports_the_best_miss(readings):
    kordai, shardara = doc(readings, "kk10723", 1), doc(readings, "kk1835", 2)
    stories = [(1, st.Centroid.of(shardara)), (2, st.Centroid.of(kordai))]
    assert st.assign(doc(readings, "kk10724", 3), stories) == (2, pytest.approx(st.similarity(
        doc(readings, "kk10724", 3), stories[1][1])))
    story, best = st.assign(doc(readings, "seed2", 4), stories)
    assert story is None and best < st.THRESHOLD
    assert st.assign(doc(readings, "seed2", 4), []) == (None, 0.0)


def test_a_kazakh_document_is_clustered_by_its_stems_and_places(readings):
    first, second, other = (doc(readings, f"kk{n}", i, DAY + timedelta(hours=i))
                            for i, n in enumerate(KAZNERD_LINES))
    assert "p:314800000" in first.terms  # Қордай ауданы: Kordai district
    assert any(key.startswith("w:") for key in first.terms)
    assert cluster([first, second, other]) == [0, 0, 1]


def test_villages_of_one_district_join_and_another_district_stays_apart(readings):
    """Masanchi and Sortobe lie in Kordai district: one story. A clash in Saryagash district
    the same day is another, however alike the words (the cosine is scaled down)."""
    masanchi, sortobe, saryagash = (doc(readings, f"clash{i}", i, DAY + timedelta(hours=i)) for i in range(3))
    assert st.districts(masanchi.terms) == st.districts(sortobe.terms) == {"314800000"}
    assert cluster([masanchi, sortobe, saryagash]) == [0, 0, 1]
    raw = st.cosine(masanchi.terms, saryagash.terms)
    assert raw >= st.THRESHOLD
    assert st.similarity(saryagash, st.Centroid.of(masanchi)) == pytest.approx(st.ELSEWHERE_FACTOR * raw)


def test_the_features_of_seed_000(readings):
    terms = doc(readings, "seed0", 1).terms
    assert {"e:per:ashimbayev", "e:per:tokayev", "t:meeting_conference"} <= set(terms)
    assert "p:314800000" not in terms  # «недавние трагические события в Кордайском районе»: the past
    assert {"w:эффективность", "w:круглый", "w:стол"} <= set(terms)
    assert not {"w:казинформ", "w:год", "w:заявить", "w:межэтнический", "w:этнополитики"} & set(terms)
    assert sum(key.startswith("w:") for key in terms) == st.WORD_TERMS
    assert sum(w * w for w in terms.values()) == pytest.approx(1.0)


def test_an_empty_text_gets_its_own_story_and_a_bare_name_joins_by_its_entity_only(readings):
    empty, short, shorter = doc(readings, "empty", 1), doc(readings, "short", 2), doc(readings, "shorter", 3)
    assert empty.terms == {}
    assert short.terms == shorter.terms == {"e:per:ashimbayev": pytest.approx(1.0)}
    seed = st.Centroid.of(doc(readings, "seed0", 4))
    assert st.assign(empty, [(1, seed), (2, st.Centroid.of(short))]) == (None, 0.0)
    assert st.assign(shorter, [(1, seed), (2, st.Centroid.of(short))]) == (2, pytest.approx(1.0))
    assert st.assign(shorter, [(1, seed)])[0] == 1  # the round table of seed 000 is his
    assert st.assign(shorter, [(3, st.Centroid.of(doc(readings, "seed3", 5)))]) == (None, 0.0)


def test_similarity_is_symmetric_between_documents_and_between_zero_and_one(readings):
    docs = [doc(readings, key, i) for i, key in enumerate(sorted(readings))]
    for a in docs:
        assert st.similarity(a, st.Centroid.of(a)) == pytest.approx(1.0 if a.terms else 0.0)
        for b in docs:
            there = st.similarity(a, st.Centroid.of(b))
            assert 0.0 <= there <= 1.0
            assert there == pytest.approx(st.similarity(b, st.Centroid.of(a)))


def test_a_centroid_survives_json(readings):
    centroid = st.Centroid.of(doc(readings, "seed0", 1))
    for i in range(1, 5):
        centroid.add(doc(readings, f"seed{i}", i + 1, DAY - timedelta(days=i)))
    assert (centroid.size, centroid.first_at, centroid.last_at) == (5, DAY - timedelta(days=4), DAY)
    assert st.Centroid.from_json(json.loads(json.dumps(centroid.to_json()))) == centroid


def test_a_centroid_keeps_its_heaviest_features():
    docs = [st.StoryDoc(i, DAY, None, {f"w:{i}-{j}": (j + 1) / 1000 for j in range(100)}) for i in range(4)]
    docs.append(st.StoryDoc(9, DAY, None, {"w:0-99": 1.0, "w:0-0": 1.0}))
    centroid = st.centroid_of(docs)
    assert len(centroid.terms) == st.CENTROID_TERMS
    # pruned after each document: w:0-0 (0.001) was dropped, then came back with the last one
    assert centroid.terms["w:0-0"] == pytest.approx(1.0) and centroid.terms["w:0-99"] == pytest.approx(1.1)
    kept = min(centroid.terms.values())
    assert all(w <= kept for d in docs for key, w in d.terms.items() if key not in centroid.terms)


def test_the_story_title_is_the_title_nearest_the_centroid():
    docs = [st.StoryDoc(1, DAY, "Драка в Масанчи", {"a": 1.0}),
            st.StoryDoc(2, DAY, "Беспорядки в Кордае", {"a": 0.8, "b": 0.6}),
            st.StoryDoc(3, DAY, None, {"a": 0.6, "c": 0.8})]
    assert st.story_title(docs) == "Драка в Масанчи"  # cosines to the centroid: 0.92, 0.88, 0.80
    assert st.story_title(docs[1:]) == "Беспорядки в Кордае"
    assert st.story_title([docs[2]]) is None and st.story_title([]) is None


@pytest.mark.parametrize(("hours", "expected"), [
    ([-1, -2, -3, -5, -30], (4, 1, 2.5, False)),            # four new, but not three times the day before
    ([-1, -2, -3, -5, -20, -30], (5, 1, 3.0, True)),        # five new against one: breaking
    ([-1, -2, -3], (3, 0, 4.0, False)),                     # fast, but too few
    ([-1, -2, -3, -4], (4, 0, 5.0, True)),                  # a new story of four documents in a day
    ([-24, -25, -47, -48, -49, 2], (0, 3, 0.25, False)),    # a day old exactly is the day before; later ignored
])
def test_growth_and_breaking_news(hours, expected):
    found = st.growth([DAY + timedelta(hours=h) for h in hours], DAY)
    assert (found.last_24h, found.previous_24h, found.rate, found.breaking) == expected


def test_the_shared_features_explain_the_similarity(readings):
    first, second = doc(readings, "kk10723", 1), doc(readings, "kk10724", 2)
    story = st.Centroid.of(first)
    parts = st.shared_features(second, story, top=100)
    assert sum(part for _, part in parts) == pytest.approx(st.similarity(second, story))
    assert "p:314800000" in dict(parts)
    assert parts == sorted(parts, key=lambda kv: -kv[1])
    assert st.shared_features(doc(readings, "empty", 3), story) == []


def test_a_centroids_shape_follows_what_is_added():
    """The districts, event types and norm a centroid keeps between comparisons are those of
    its terms after every addition, and comparisons give what the terms alone give."""
    first = st.StoryDoc(1, DAY, None, st.normalised({"w:драка": 1.0, "t:clash": 0.5}))
    second = st.StoryDoc(2, DAY, None, st.normalised({"w:драка": 1.0, "p:631010000": 0.8, "t:protest": 0.4}))
    centroid = st.Centroid.of(first)
    assert centroid.shape() == st.Shape.of(centroid.terms)
    assert not centroid.shape().districts
    centroid.add(second)
    assert centroid.shape() == st.Shape.of(centroid.terms)
    assert centroid.shape().districts == st.districts(centroid.terms) != frozenset()
    assert centroid.shape().event_types == {"clash", "protest"}
    fresh = st.Centroid(dict(centroid.terms), centroid.size, centroid.first_at, centroid.last_at)
    assert st.similarity(second, centroid) == st.similarity(second, fresh)
    assert st.same_event(second, centroid) == st.same_event(second, fresh)


_FEATURES = ("w:драка", "w:село", "w:митинг", "w:акимат", "w:школа", "w:полиция", "e:per:иванов",
             "p:631010000", "p:631020000", "p:195630000", "p:750000000", "p:630000000",
             "g:казах", "g:дунган", "t:clash", "t:protest", "t:other")
_VECTORS = st_h.lists(st_h.tuples(st_h.sampled_from(_FEATURES), st_h.floats(0.05, 1.0)),
                      min_size=0, max_size=8)


@given(st_h.lists(st_h.tuples(_VECTORS, st_h.integers(0, 20 * 24)), min_size=1, max_size=40))
@settings(max_examples=150, deadline=None)
def test_the_indexed_open_stories_decide_as_a_comparison_with_every_story(stream):
    """Comparing a document only with the stories its features can bring near enough gives the
    same story every time as comparing it with all of them, on streams of documents sharing
    words, places, groups and event types at random, spread over 20 days."""
    everyone: dict[int, st.Centroid] = {}
    indexed = st.OpenStories()
    for doc_id, (pairs, hours) in enumerate(stream):
        item = st.StoryDoc(doc_id, DAY + timedelta(hours=hours), None, st.normalised(dict(pairs)))
        story, score = st.assign(item, list(everyone.items()))
        found, found_score = indexed.assign(item)
        assert found == story
        if story is not None:  # without a story, the best miss is among fewer stories
            assert found_score == score
        if story is None:
            everyone[doc_id] = st.Centroid.of(item)
            indexed.put(doc_id, st.Centroid.of(item))
        else:
            everyone[story].add(item)
            indexed.add(story, item)
        assert indexed.centroids == everyone
