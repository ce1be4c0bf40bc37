"""Fixtures for the store's tests: an open store on each backend, documents built from seeds."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kelisim.records import CleanDocument
from kelisim.store import Store
from kelisim.text.terms import index_terms

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

MakeDoc = Callable[..., CleanDocument]


@pytest.fixture()
def store(store_url: str) -> Iterator[Store]:
    """An open store on each backend (see ``store_url``)."""
    with Store.open(store_url) as opened:
        yield opened


def build_doc(text: str, origin: str | None = None, **fields: Any) -> CleanDocument:
    """A CleanDocument as the pipeline would make it: sha256 hash, lemmas, a dummy signature."""
    content_hash = hashlib.sha256(text.encode()).hexdigest()
    values: dict[str, Any] = {
        "origin": origin or f"test:{content_hash[:12]}",
        "text": text,
        "lang": "ru",
        "content_hash": content_hash,
        "signature": hashlib.md5(text.encode()).digest() * 8,
        "index_terms": index_terms(text),
    }
    return CleanDocument(**(values | fields))


@pytest.fixture()
def make_doc() -> MakeDoc:
    """The :func:`build_doc` factory."""
    return build_doc


@pytest.fixture(scope="session")
def seed_docs() -> dict[str, CleanDocument]:
    """The five seed articles, by file name, as clean documents (title: the first line)."""
    docs = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        title = text.splitlines()[0][:80]
        docs[path.name] = build_doc(text, origin=f"seed:{path.name}", title=title)
    assert len(docs) == 5, f"seeds not found in {SEEDS}"
    return docs
