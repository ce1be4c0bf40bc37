"""The document as the extractors see it: text, language, date and tokens made once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kelisim.text.tokens import Sentence, Token, sentences


@dataclass(frozen=True, slots=True)
class TextView:
    """A text prepared for reading; every extractor takes one of these."""

    text: str
    language: str
    published: date | None
    sentences: tuple[Sentence, ...]

    @classmethod
    def of(cls, text: str, language: str = "ru", published: date | None = None) -> TextView:
        """Split ``text`` into sentences and tokens once."""
        return cls(text, language, published, tuple(sentences(text)))

    def tokens(self) -> list[Token]:
        """All tokens in text order."""
        return [tok for sent in self.sentences for tok in sent.tokens]
