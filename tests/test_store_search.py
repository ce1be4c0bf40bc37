"""Search with Russian morphology, the same on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kelisim.store.search import BODY_BUDGET, index_text, search_tokens, snippet
from kelisim.text.terms import query_terms as q
from kelisim.text.terms import words

T0 = datetime(2020, 2, 8, tzinfo=timezone.utc)
SEED_000 = "000_d8764c786956fa39.txt"  # «Ассамблеи» only, «в Кордайском районе»
SEED_002 = "002_109c53f5ddbdf96a.txt"  # «Ассамблеи» only
SEED_004 = "004_3247791c0957a215.txt"  # «Ассамблеей», «Ассамблеи», «Ассамблея»


@pytest.fixture()
def seeded(store, seed_docs):
    """The store with the five seeds: two sources, two languages' worth of filters, dates."""
    inform = store.add_source("kazinform", "rss", "https://www.inform.kz/rss")
    zakon = store.add_source("zakon", "web", "https://www.zakon.kz")
    ids = {}
    with store.writer() as w:
        for day, (name, doc) in enumerate(sorted(seed_docs.items())):
            source = inform if day % 2 == 0 else zakon
            published = T0 + timedelta(days=day)
            ids[name] = w.add_document(replace(doc, source_id=source.id, published=published))
    return ids


def _ids(page):
    return {hit.document_id for hit in page.hits}


def test_a_lemma_finds_every_inflected_form(store, seeded, seed_docs):
    page = store.search(q("Ассамблея"))
    assert page.total == 5 and _ids(page) == set(seeded.values())
    for name in (SEED_000, SEED_002):  # these contain only «Ассамблеи»
        assert "Ассамблея " not in seed_docs[name].text
    hit = next(h for h in page.hits if h.document_id == seeded[SEED_000])
    assert "Ассамблеи" in hit.snippet
    assert store.search(q("Ассамблеей")).total == 5


def test_a_phrase_in_the_nominative_finds_its_locative(store, seeded):
    page = store.search(q("Кордайский район"))
    assert _ids(page) == {seeded[SEED_000]}
    assert "Кордайском районе" in page.hits[0].snippet
    assert page.hits[0].source == "kazinform" and page.hits[0].lang == "ru"


def test_all_terms_must_match(store, seeded):
    assert store.search(q("Кордайский ассамблея")).total == 1
    assert store.search(q("Кордайский марсоход")).total == 0


def test_filters_by_source_language_and_date(store, seeded):
    everything = store.search(q("Ассамблея"))
    assert store.search(q("Ассамблея"), source="kazinform").total == 3
    assert store.search(q("Ассамблея"), source="zakon").total == 2
    assert store.search(q("Ассамблея"), source="unknown").total == 0
    assert store.search(q("Ассамблея"), lang="kk").total == 0
    assert store.search(q("Ассамблея"), lang="ru").total == everything.total
    days = store.search(q("Ассамблея"), date_from=(T0 + timedelta(days=1)).date(),
                        date_to=(T0 + timedelta(days=2)).date())
    assert {h.published_at for h in days.hits} == {T0 + timedelta(days=1), T0 + timedelta(days=2)}


def test_pagination(store, seeded):
    first = store.search(q("Ассамблея"), limit=2)
    second = store.search(q("Ассамблея"), limit=2, offset=2)
    third = store.search(q("Ассамблея"), limit=2, offset=4)
    assert (first.total, second.total, third.total) == (5, 5, 5)
    assert [len(p.hits) for p in (first, second, third)] == [2, 2, 1]
    pages = [h.document_id for p in (first, second, third) for h in p.hits]
    assert sorted(pages) == sorted(seeded.values())
    ranks = [h.rank for p in (first, second, third) for h in p.hits]
    assert ranks == sorted(ranks, reverse=True)
    assert store.search(q("Ассамблея"), offset=10).hits == []


def test_no_terms_lists_the_filtered_documents_newest_first(store, seeded):
    page = store.search([], source="zakon")
    assert page.total == 2
    dates = [h.published_at for h in page.hits]
    assert dates == sorted(dates, reverse=True)


def test_title_matches_rank_higher(store, make_doc):
    with store.writer() as w:
        in_body = w.add_document(make_doc("Речь шла про этномедиаторов и совет.", title="Совет"))
        in_title = w.add_document(make_doc("Речь шла про совет.", title="Этномедиаторы"))
    page = store.search(q("этномедиатор"))
    assert [h.document_id for h in page.hits] == [in_title, in_body]
    assert page.hits[0].snippet.startswith("Речь шла")  # no word of the text matches


INJECTIONS = [
    '"Ассамблея',
    "Ассамблея OR Кордай",
    "Ассамб*",
    "NEAR(Ассамблея Кордай)",
    "title:Ассамблея",
    "Ассамблея & ! | Кордай",
    "'; DROP TABLE documents; --",
    "\\' ) OR 1=1 --",
    "Ассамблея:*",
    "^Ассамблея",
    "a' & 'b",
]


@pytest.mark.parametrize("query", INJECTIONS)
def test_query_syntax_never_gets_through(store, seeded, query):
    page = store.search(q(query))
    assert page.total == len(page.hits) <= 5
    assert store.search(q("Ассамблея")).total == 5  # still there


def test_raw_terms_with_syntax_are_tokenised_too(store, seeded):
    assert store.search(['"ассамблея" OR', "*"]).total == 0  # «or» is not a word of any seed
    assert store.search(["ассамблея:*", "'кордайский'"]).total == 1


def test_search_tokens_split_hyphens_and_drop_syntax():
    assert search_tokens(["северо-казахстанский", "NEAR(", "ёлка", "a'b"]) == [
        "северо", "казахстанский", "near", "елка", "a", "b",
    ]


def test_snippet_is_around_the_first_matching_word():
    sentence = "В Кордайском районе прошла встреча. "
    text = "Начало текста. " + "слово " * 40 + sentence + "конец " * 40
    extract = snippet(text, ["кордайский"])
    assert "В Кордайском районе прошла встреча." in extract
    assert extract.startswith("…") and extract.endswith("…") and len(extract) < 300
    assert snippet("Короткий текст.", ["нет"]) == "Короткий текст."


def test_hyphenated_and_kazakh_words(store, make_doc):
    with store.writer() as w:
        north = w.add_document(make_doc("Жители Северо-Казахстанской области собрались."))
        kazakh_text = "Алматыда Қазақстан халқы Ассамблеясының жиыны өтті."
        kazakh = w.add_document(make_doc(kazakh_text, lang="kk"))
    assert _ids(store.search(q("Северо-Казахстанская область"))) == {north}
    assert _ids(store.search(q("Алматы"))) == {kazakh}
    assert _ids(store.search(q("Қазақстан"))) == {kazakh}


def test_й_is_not_folded_into_и(store, make_doc):
    with store.writer() as w:
        w.add_document(make_doc("Мой дом."))
    assert store.search(["мой"]).total == 1
    assert store.search(["мои"]).total == 0


WORD = st.text(
    alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһіabcxyz0129",
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text_words=st.lists(WORD, min_size=1, max_size=8), hyphen=st.booleans())
def test_every_word_of_a_document_finds_it(store, make_doc, text_words, hyphen):
    """Python's tokeniser and the backend's agree: each word of a text finds the text."""
    text = ("-" if hyphen else " ").join(text_words) + " конец"
    existing = store.known_origins([f"prop:{text}"])
    with store.writer() as w:
        if existing:
            doc_id = w.document_id_by_hash(existing[f"prop:{text}"])
        else:
            doc_id = w.add_document(make_doc(text, origin=f"prop:{text}"))
    for word in words(text):
        assert doc_id in _ids(store.search(q(word), limit=1000)), word


def test_a_huge_vocabulary_is_cut_the_same_way_on_both_backends(store, make_doc):
    """PostgreSQL refuses a tsvector over 1 MiB; both backends stop adding new words alike."""
    vocabulary = [f"слово{i:05d}" for i in range(60_000)]  # ~1.5 MB of distinct words
    terms = " ".join(vocabulary + ["слово00000"])
    with store.writer() as w:
        doc_id = w.add_document(make_doc("Огромный словарь.", index_terms=terms))
    assert _ids(store.search(["слово00000"])) == {doc_id}
    assert _ids(store.search(["слово59999"])) == set()
    kept = index_text(terms, BODY_BUDGET).split()
    assert 30_000 < len(kept) < 60_000 and kept[-1] == "слово00000"
