"""Entity boundaries the model gets wrong in a regular way, put right by rules.

- A span that runs over a parenthesis is two names («Союз координационных советов (СКС»).
- A place takes the geographic word before it («реки Славянки», «города Феникс», «селе Масанчи»).
- An organisation takes the descriptor before it («партии «Яблоко», «газеты «Русская правда»).
- An institution word before a place makes an organisation («мэрии Москвы», «правительства
  Китая»), and an organisation followed by a place or organisation in the genitive is one name
  («Конгресса США», «Ассамблеи народа» + «Казахстана»).
- International organisations the model takes for places («Евросоюз», «НАТО») are organisations.

Measured on factRuEval (eval/ner.py); the rules also give Kazakhstani names their full form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kelisim.reading.document import TextView
from kelisim.text.tokens import Token, forms, parses

GEO_WORDS = frozenset(["город", "село", "поселок", "посёлок", "деревня", "аул", "станица", "река", "озеро", "море", "остров", "площадь", "улица", "проспект", "бульвар", "переулок", "шоссе", "штат", "провинция", "округ", "область", "край", "район", "республика", "мыс", "залив", "пролив", "хребет", "гора", "полуостров", "микрорайон", "аэропорт", "вокзал", "станция", "кишлак", "уезд", "графство", "префектура", "губерния"])
INSTITUTION_WORDS = frozenset(["мэрия", "правительство", "администрация", "парламент", "представительство", "посольство", "консульство", "министерство", "власть", "акимат", "маслихат", "прокуратура", "суд", "полиция", "армия", "генпрокуратура", "минобороны", "мид", "кабмин", "кабинет"])
ORG_WORDS = INSTITUTION_WORDS | frozenset(["партия", "движение", "газета", "журнал", "еженедельник", "издание", "телеканал", "радиостанция", "агентство", "компания", "корпорация", "холдинг", "концерн", "банк", "фонд", "институт", "университет", "академия", "организация", "объединение", "ассоциация", "общество", "союз", "центр", "комитет", "команда", "клуб", "фирма", "завод", "комбинат", "отделение", "филиал", "служба", "управление", "департамент", "группа", "компания"])
# A quoted name after one of these is a title, not an organisation: концепции «Слышащее государство».
TITLE_WORDS = frozenset("""концепция программа проект стратегия закон кодекс доктрина послание
    фильм книга песня роман спектакль конкурс фестиваль премия акция операция форум
    конференция лозунг слоган принцип""".split())
INTERNATIONAL = frozenset(["евросоюз", "ес", "нато", "оон", "снг", "шос", "одкб", "еаэс", "обсе", "юнеско", "юнисеф", "вто", "воз", "мвф", "оик", "асеан"])
_OPEN_QUOTES = frozenset("«\"“„")


@dataclass(slots=True)
class _Span:
    """An entity being reshaped: type and token range within one sentence."""

    type: str
    sentence: int
    first: int
    last: int


def reshape(view: TextView, spans: Sequence[tuple[str, int, int, int]]) -> list[tuple[str, int, int, int]]:
    """Reshape (type, sentence, first token, last token) spans by the rules above."""
    shaped: list[_Span] = []
    for kind, sent, first, last in spans:
        tokens = view.sentences[sent].tokens
        for piece_first, piece_last in _split_parentheses(tokens, first, last):
            span = _Span(kind, sent, piece_first, piece_last)
            if not _is_title(span, tokens):
                _relabel_international(span, tokens)
                _extend_left(span, tokens)
                shaped.append(span)
    merged = _merge_genitive(shaped, view)
    return [(s.type, s.sentence, s.first, s.last) for s in merged]


def _split_parentheses(tokens: Sequence[Token], first: int, last: int) -> list[tuple[int, int]]:
    """The token ranges of a span cut at parentheses, without the parentheses."""
    if first == last and tokens[first].text not in "()":  # most spans: one word, nothing to cut
        return [(first, last)]
    pieces, begin = [], first
    for i in range(first, last + 1):
        if tokens[i].text in "()":
            if begin < i:
                pieces.append((begin, i - 1))
            begin = i + 1
    if begin <= last:
        pieces.append((begin, last))
    return pieces


def _is_title(span: _Span, tokens: Sequence[Token]) -> bool:
    """True for a quoted organisation name shortly after a word for a title or an event
    («концепции Главы государства «Слышащее государство»»)."""
    at = span.first - 1
    if span.type != "ORG" or at < 1 or tokens[at].text not in _OPEN_QUOTES:
        return False
    return any(forms(tok.lower) & TITLE_WORDS for tok in tokens[max(0, at - 3):at])


def _relabel_international(span: _Span, tokens: Sequence[Token]) -> None:
    if span.type == "LOC" and span.first == span.last and forms(tokens[span.first].lower) & INTERNATIONAL:
        span.type = "ORG"


def _extend_left(span: _Span, tokens: Sequence[Token]) -> None:
    """Take in the descriptor word (and its adjectives) just before the span."""
    if span.type != "LOC" and span.type != "ORG":  # only these take a descriptor: spare the forms
        return
    at = span.first - 1
    if span.type == "ORG" and at >= 0 and tokens[at].text in _OPEN_QUOTES:
        at -= 1
    if at < 0:
        return
    words = forms(tokens[at].lower)
    if span.type == "LOC" and words & GEO_WORDS and _is_common_noun(tokens[at]):
        span.first = _with_adjectives(tokens, at)
    elif span.type == "LOC" and words & INSTITUTION_WORDS and _is_common_noun(tokens[at]):
        span.type, span.first = "ORG", _with_adjectives(tokens, at)
    elif span.type == "ORG" and words & ORG_WORDS and _is_common_noun(tokens[at]):
        span.first = _with_adjectives(tokens, at)


def _is_common_noun(token: Token) -> bool:
    """A lower-case word, or a capitalised one at the start of a sentence, read as a noun."""
    return token.is_word and any(p.tag.POS == "NOUN" for p in parses(token.lower)[:3])


def _with_adjectives(tokens: Sequence[Token], at: int) -> int:
    """The first token of the descriptor at ``at`` with up to two lower-case adjectives before it."""
    for _ in range(2):
        prev = at - 1
        if prev < 0 or not tokens[prev].text.islower():
            break
        if not any(p.tag.POS in ("ADJF", "PRTF") for p in parses(tokens[prev].lower)[:2]):
            break
        at = prev
    return at


def _merge_genitive(spans: list[_Span], view: TextView) -> list[_Span]:
    """Join an organisation and the place or organisation in the genitive right after it."""
    spans = sorted(spans, key=lambda s: (s.sentence, s.first))
    merged: list[_Span] = []
    for span in spans:
        prev = merged[-1] if merged else None
        if prev and prev.type == "ORG" and prev.sentence == span.sentence and span.first == prev.last + 1 \
                and span.type in ("LOC", "ORG") and _genitive(view.sentences[span.sentence].tokens[span.first]):
            prev.last = span.last
            continue
        merged.append(span)
    return merged


def _genitive(token: Token) -> bool:
    """True for an acronym (indeclinable) or a word with a genitive reading."""
    if token.text.isupper() and len(token.text) > 1:
        return True
    return any(p.tag.case == "gent" for p in parses(token.lower)[:4])

