"""Full-text search on lemmas: FTS5 on SQLite, a weighted tsvector on PostgreSQL.

Both backends index the same space-separated lemmas (``kelisim.text.terms.index_terms``) and
match the same tokens: every token of the query must occur (AND), in the title or the body.
Hyphenated lemmas are split into their parts on both sides, as FTS5's tokenizer would anyway.
Only bind parameters carry the query, and each token is quoted: no query syntax gets through.
"""

from __future__ import annotations

from typing import Literal

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from kelisim.store.db import is_postgres
from kelisim.store.schema import FTS_TABLE, document_date, documents, fts, reprints, sources, tsv
from kelisim.store.views import SearchHit, SearchPage
from kelisim.text.terms import WORD, index_terms, lemma, words

TITLE_WEIGHT = 5.0  # bm25 weight of the title column against 1.0 for the body (SQLite)
BODY_BUDGET = 850_000  # bytes of distinct words indexed per document body (see index_text)
TITLE_BUDGET = 50_000
_WORD_COST = 9
SNIPPET_BEFORE = 80
SNIPPET_AFTER = 160
_SIMPLE = sa.literal_column("'simple'::regconfig")


def search_tokens(terms: list[str]) -> list[str]:
    """The distinct tokens the index is searched for: lower-case words, hyphens split."""
    tokens = (part for term in terms for word in words(term) for part in word.split("-"))
    return list(dict.fromkeys(token for token in tokens if token))


def index_text(terms: str, budget: int) -> str:
    """The tokens to index: hyphens split; past ``budget`` bytes of distinct words, no new ones.

    PostgreSQL refuses a tsvector over 1 MiB: a distinct word costs about its UTF-8 length plus
    9 bytes there (positions add at most 33 KB more). The same cut applies on SQLite, so that
    both backends find the same documents even for huge texts with tens of thousands of words.
    """
    tokens = terms.replace("-", " ").split()
    if len(terms.encode()) + _WORD_COST * len(tokens) <= budget:
        return " ".join(tokens)
    seen: set[str] = set()
    kept = []
    for token in tokens:
        if token not in seen:
            budget -= len(token.encode()) + _WORD_COST
            if budget < 0:
                continue
            seen.add(token)
        kept.append(token)
    return " ".join(kept)


def _weighted(name: str, weight: Literal["A", "B"]) -> sa.ColumnElement:
    vector = sa.func.to_tsvector(_SIMPLE, sa.bindparam(name, type_=sa.Text))
    return sa.func.setweight(vector, sa.literal_column(f"'{weight}'"), type_=postgresql.TSVECTOR)


_INSERT_TSV = tsv.insert().values(
    document_id=sa.bindparam("rowid"),
    vector=_weighted("title", "A").op("||")(_weighted("body", "B")),
)
_INSERT_FTS = fts.insert()


def index_document(conn: sa.Connection, doc_id: int, title: str | None, terms: str) -> None:
    """Add a document's title lemmas and text lemmas to the search index."""
    index_documents(conn, [(doc_id, title, terms)])


def index_documents(conn: sa.Connection, entries: list[tuple[int, str | None, str]]) -> None:
    """Add (document id, title, text lemmas) entries to the search index in one statement."""
    rows = [
        {"rowid": doc_id, "title": index_text(index_terms(title or ""), TITLE_BUDGET),
         "body": index_text(terms, BODY_BUDGET)}
        for doc_id, title, terms in entries
    ]
    if rows:
        conn.execute(_INSERT_TSV if is_postgres(conn) else _INSERT_FTS, rows)


def reindex_document(conn: sa.Connection, doc_id: int, title: str | None, terms: str) -> None:
    """Replace a document's row in the search index."""
    if is_postgres(conn):
        conn.execute(tsv.delete().where(tsv.c.document_id == doc_id))
    else:
        conn.execute(fts.delete().where(fts.c.rowid == doc_id))
    index_document(conn, doc_id, title, terms)


def search(
    conn: sa.Connection,
    terms: list[str],
    clauses: list[sa.ColumnElement[bool]],
    limit: int,
    offset: int,
) -> SearchPage:
    """One page of the documents that contain every term and pass the filter clauses.

    With no terms at all every filtered document matches, newest first, with rank 0.
    """
    tokens = search_tokens(terms)
    matched, match, rank = _match(conn, tokens)
    total = conn.scalar(sa.select(sa.func.count()).select_from(matched).where(*match, *clauses))
    reprint_count = (
        sa.select(sa.func.count())
        .where(reprints.c.document_id == documents.c.id)
        .scalar_subquery()
    )
    query = (
        sa.select(
            documents.c.id, documents.c.title, documents.c.url, documents.c.lang,
            documents.c.published_at, documents.c.text, sources.c.name.label("source"),
            rank.label("rank"), reprint_count.label("reprints"),
        )
        .select_from(matched.outerjoin(sources, documents.c.source_id == sources.c.id))
        .where(*match, *clauses)
        .order_by(sa.desc("rank"), document_date.desc(), documents.c.id.desc())
        .limit(max(limit, 0))
        .offset(max(offset, 0))
    )
    hits = [_hit(row, tokens) for row in conn.execute(query).mappings()]
    return SearchPage(total=total or 0, hits=hits)


def _match(
    conn: sa.Connection, tokens: list[str]
) -> tuple[sa.FromClause, list[sa.ColumnElement[bool]], sa.ColumnElement[float]]:
    if not tokens:
        return documents, [], sa.literal(0.0, sa.Float)
    if is_postgres(conn):
        query = sa.func.to_tsquery(_SIMPLE, " & ".join(_quote(t, "'") for t in tokens))
        joined = tsv.join(documents, documents.c.id == tsv.c.document_id)
        rank = sa.func.ts_rank(tsv.c.vector, query, type_=sa.Float)
        return joined, [tsv.c.vector.bool_op("@@")(query)], rank
    query = " ".join(_quote(token, '"') for token in tokens)
    joined = fts.join(documents, documents.c.id == fts.c.rowid)
    # bm25() is lower for better matches; negate it so that a higher rank is better on both.
    rank = -sa.func.bm25(FTS_TABLE, TITLE_WEIGHT, 1.0, type_=sa.Float)
    return joined, [FTS_TABLE.bool_op("MATCH")(query)], rank


def _quote(token: str, mark: str) -> str:
    escaped = token.replace("\\", "\\\\") if mark == "'" else token
    return mark + escaped.replace(mark, mark * 2) + mark


def _hit(row: sa.RowMapping, tokens: list[str]) -> SearchHit:
    return SearchHit(
        document_id=row["id"],
        title=row["title"],
        url=row["url"],
        lang=row["lang"],
        published_at=row["published_at"],
        source=row["source"],
        snippet=snippet(row["text"], tokens),
        rank=float(row["rank"]),
        reprints=row["reprints"],
    )


def snippet(text: str, tokens: list[str]) -> str:
    """A short extract of the text around the first word whose lemma matches a token."""
    wanted = set(tokens)
    for match in WORD.finditer(text):
        found = words(match.group())
        if found and wanted.intersection(lemma(found[0]).split("-")):
            return _extract(text, match.start() - SNIPPET_BEFORE, match.end() + SNIPPET_AFTER)
    return _extract(text, 0, SNIPPET_BEFORE + SNIPPET_AFTER)


def _extract(text: str, start: int, stop: int) -> str:
    start, stop = max(start, 0), min(stop, len(text))
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < stop else start
    if stop < len(text):
        space = text.rfind(" ", start, stop)
        stop = space if space > start else stop
    body = " ".join(text[start:stop].split())
    return ("…" if start > 0 else "") + body + ("…" if stop < len(text) else "")


def index_problems(conn: sa.Connection) -> list[str]:
    """Documents missing from the search index, and index rows without a document."""
    key = tsv.c.document_id if is_postgres(conn) else fts.c.rowid
    index_table = tsv if is_postgres(conn) else fts
    missing = conn.scalar(sa.select(sa.func.count()).select_from(documents).where(
        documents.c.id.not_in(sa.select(key))))
    orphans = conn.scalar(sa.select(sa.func.count()).select_from(index_table).where(
        key.not_in(sa.select(documents.c.id))))
    problems = [f"{missing} document(s) missing from the search index"] if missing else []
    return problems + ([f"{orphans} search index row(s) without a document"] if orphans else [])
