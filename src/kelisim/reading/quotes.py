"""Quotes: direct and indirect speech in Russian and Kazakh news, and who said it.

Speech is found only at a verb of speech (``data/speech_verbs.tsv``) or a cue such as «по
словам»: a quoted span with no verb beside it is a name or a scare quote («Нур Отан»,
«круглый стол») and never a quote. The forms, in the order they claim text:

1. quoted spans «…», „…“, "…", “…” with a verb after («…», — сказал X) or before (X заявил:
   «…»; По словам X, «…»), and a quoted sentence that goes on right after one of them;
2. lead clauses: По словам X, …; Как сообщил X, …; X-тың айтуынша, …; …, по словам X.;
3. unmarked speech closed by a speech clause (…, — сказал он. / — …, — подчеркнул Токаев. /
   …, добавил глава государства. / … деп атап өтті ол.) and a dash line after «заявил:»;
4. indirect speech: X подчеркнул, что …; Отмечалось, что ….

Speakers are linked entities next to the verb (a person before an organisation), or a pronoun
resolved to the most recent person named outside any quote. An outlet the text credits
(:mod:`kelisim.reading.attribution`) is never a speaker. See docs/quotes.md.

This module holds the flow and the forms of speech; :mod:`kelisim.reading.quote_doc` reads the
document once (lines, paired quotation marks, verbs, credits) and :mod:`kelisim.reading.speakers`
finds and resolves the speakers.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from kelisim.reading.attribution import CLOSE_QUOTES, DASHES, OPEN_QUOTES, VerbHit
from kelisim.reading.document import TextView
from kelisim.reading.model import Attribution, Entity, Quote
from kelisim.reading.quote_doc import (
    _EDGE,
    KAZAKH_ACCORDING_TO,
    MAX_CLAUSE_TOKENS,
    QUOTE_MARKS,
    TERMINAL,
    _claim,
    _claimed,
    _clause_end,
    _Doc,
    _doc,
    _Draft,
    _draft,
    _initial,
    _next_is,
    _Span,
    _Who,
)
from kelisim.reading.speakers import (
    POSSESSIVES,
    _finite,
    _genitive_speaker,
    _kazakh_subject,
    _relative,
    _resolve,
    _subject,
)

ACCORDING_TO = frozenset({"словам", "мнению", "оценке", "убеждению"})
KAZAKH_THAT = frozenset({"екенін", "екендігін"})
COMPLEMENTIZERS = frozenset({"что", "будто"})
LEADING_CONJUNCTIONS = frozenset({"а", "и", "но", "однако", "также", "при", "этом"})
LEAD_CUES = ACCORDING_TO | KAZAKH_ACCORDING_TO
MAX_BACK_SENTENCES = 10
MAX_GAP_WORDS = 5  # «подчеркнул важность того, что»


def find_quotes(view: TextView, entities: Sequence[Entity],
                attribution: Sequence[Attribution] | None = None, lows: list[str] | None = None) -> list[Quote]:
    """The quotes of ``view`` and their speakers, in text order.

    Args:
        view: the document, tokenised once.
        entities: the document's entities, already linked (coreferent mentions share
            ``normal`` and ``kb_id``; office phrases such as «глава государства» are PER).
        attribution: ``find_attribution(view)`` when the caller has it; found here otherwise.
        lows: ``attribution.lower_tokens`` of the view's tokens, when the caller has them.

    Returns:
        One :class:`Quote` per stretch of speech: ``text`` is the words said only (no quote
        marks, no speech clause); ``speaker`` is the entity's normal name, or None.
    """
    doc = _doc(view, entities, attribution, lows)
    for span in doc.quoted:
        _claim(doc, _direct(doc, span))
    for i in doc.leads:
        _claim(doc, _according_to(doc, i))
    for hit in doc.verbs.values():
        for draft in _unmarked(doc, hit):
            _claim(doc, draft)
    for i in doc.dashes:
        _claim(doc, _dash_after_colon(doc, i))
    for hit in doc.verbs.values():
        _claim(doc, _indirect(doc, hit))
    return _resolve(doc)


# 1. Quoted spans ---------------------------------------------------------------------------


def _direct(doc: _Doc, span: _Span) -> _Draft | None:
    """A quoted span with a verb of speech after or before it, or going on after a quote."""
    if span.close - span.open < 2:
        return None
    after = _verb_after(doc, span.close) if _opens_clause(doc, span.open) else None
    if after is not None:
        if after.start in doc.credited:
            return _draft(doc, span.open + 1, span.close - 1, True, None)
        who = _subject(doc, after.end, _clause_end(doc, after.end), first=True)
        return _draft(doc, span.open + 1, span.close - 1, True,
                      who or _subject(doc, doc.sents[doc.sent_of[span.open]][0], span.open))
    before = _cue_before(doc, span.open)
    if before is not None:
        return _draft(doc, span.open + 1, span.close - 1, True, before[0])
    return _continued(doc, span)


def _opens_clause(doc: _Doc, i: int) -> bool:
    """A quote that opens its clause is the speech itself; one inside a clause («поддержим
    партию «Нур Отан», — сказал он») is a name within unmarked speech."""
    return i == 0 or doc.line_of[i - 1] != doc.line_of[i] or doc.tokens[i - 1].text in _EDGE | OPEN_QUOTES


def _verb_after(doc: _Doc, close: int) -> VerbHit | None:
    """A verb of speech right after a closing mark: «…», — сказал / «…» деп атап өтті."""
    j, line = close + 1, doc.line_of[close]
    while j < len(doc.tokens) and doc.tokens[j].text in DASHES | {","} and doc.line_of[j] == line:
        j += 1
    dep = j < len(doc.tokens) and doc.lows[j] == "деп"
    for k in range(j + dep, min(j + dep + 3 if dep else j + 1, len(doc.tokens))):
        hit = doc.verbs.get(k)
        # Russian puts «, —» between a quote and its verb; «…» отметили is an object
        marked = j > close + 1 or dep or hit and hit.verb.lang == "kk"
        if hit and marked and doc.line_of[k] == line and (_speaks(doc, hit) or k in doc.credited):
            return hit
    return None


def _speaks(doc: _Doc, hit: VerbHit) -> bool:
    """A verb that reports speech here: not an outlet's credit, «қосты» only after «деп»."""
    roles = hit.verb.roles
    if hit.start in doc.credited:
        return False
    after_dep = hit.start > 0 and doc.lows[hit.start - 1] == "деп"
    return bool(roles & {"speech", "impersonal"}) or ("after_dep" in roles and after_dep)


def _cue_before(doc: _Doc, open_: int) -> tuple[_Who | None] | None:
    """(speaker,) when «X заявил: «…»» or «По словам X, «…»» opens the quote."""
    if open_ == 0:
        return None
    mark = doc.tokens[open_ - 1].text
    if mark == ":":
        for k in range(open_ - 2, max(-1, open_ - 2 - MAX_CLAUSE_TOKENS), -1):
            if doc.tokens[k].text in TERMINAL and not _initial(doc, k) or doc.in_quote[k]:
                break
            hit = doc.verbs.get(k)
            if hit and _speaks(doc, hit):
                first = doc.sents[doc.sent_of[k]][0]
                return (_subject(doc, first, k) or _subject(doc, hit.end, open_ - 1, first=True),)
        return None
    return _lead_clause(doc, open_ - 1) if mark == "," else None


def _continued(doc: _Doc, span: _Span) -> _Draft | None:
    """«…», — сказал он. «…»: a quoted sentence right after a quote, by the same speaker."""
    previous = doc.drafts[-1] if doc.drafts else None
    words = [t for t in doc.tokens[span.open + 1:span.close] if t.is_word]
    if (previous is None or span.open == 0 or not previous.direct or previous.line != doc.line_of[span.open]
            or doc.tokens[span.open - 1].text not in TERMINAL | DASHES or len(words) < 3
            or all(t.is_capitalized for t in words)):
        return None
    return _draft(doc, span.open + 1, span.close - 1, True, previous.who)


# 2. Unmarked speech closed by a speech clause -----------------------------------------------


def _unmarked(doc: _Doc, hit: VerbHit) -> list[_Draft]:
    """«…, — сказал он.», «— …, — подчеркнул Токаев.», «…, добавил глава государства.»,
    «… деп атап өтті ол.»: the speech before a trailing speech clause."""
    k = hit.start - 1
    if k < 0 or _claimed(doc, hit.start) or not _speaks(doc, hit) or "impersonal" in hit.verb.roles:
        return []
    dep = doc.lows[k] == "деп"
    that = doc.lows[k] in KAZAKH_THAT
    k -= dep
    dash = k > doc.line_first[doc.line_of[k]] and doc.tokens[k].text in DASHES
    k -= dash
    comma = k >= 0 and doc.tokens[k].text == ","
    k -= comma
    if k < 0 or doc.line_of[k] != doc.line_of[hit.start] or not (dash or comma or dep or that):
        return []
    if doc.tokens[k].text in TERMINAL or doc.in_quote[k] and not _embedded_close(doc, k):
        return []
    clause_end = _clause_end(doc, hit.end)
    who = _subject(doc, hit.end, clause_end, first=True)
    if comma and not (dash or dep) and (who is None or not _ends_sentence(doc, clause_end)):
        return []  # «Такой переход, считает X, повысит …» is not handled
    first, lead = _speech_start(doc, k, dash, kazakh=dep or that)
    first += _that_lead(doc, first)
    drafts = [_draft(doc, first, k, dash, who or lead)]
    if dash:
        drafts.append(_resumed(doc, hit.end, who or lead))
    return [d for d in drafts if d]


def _that_lead(doc: _Doc, first: int) -> int:
    """4 when unmarked speech opens with «О том, что …», words that are not said."""
    words = doc.lows[first:first + 4]
    return 4 if words == ["о", "том", ",", "что"] else 0


def _embedded_close(doc: _Doc, k: int) -> bool:
    """``tokens[k]`` closes a quoted name inside the speech, not the speech itself."""
    span = next((q for q in doc.quoted if q.close == k), None)
    return span is not None and not _opens_clause(doc, span.open)


def _ends_sentence(doc: _Doc, j: int) -> bool:
    return j >= len(doc.tokens) or doc.tokens[j].text in TERMINAL or doc.sent_of[j] != doc.sent_of[j - 1]


def _speech_start(doc: _Doc, k: int, dash: bool, kazakh: bool) -> tuple[int, _Who | None]:
    """Where speech ending at ``tokens[k]`` starts, and a speaker named before it (Kazakh)."""
    line = doc.line_of[k]
    first_of_line = doc.line_first[line]
    if dash and doc.tokens[first_of_line].text in DASHES:
        return first_of_line + 1, None  # dialogue: «— Мы готовы, — сказал он.»
    sentence = doc.sent_of[k]
    if kazakh and not dash:
        return _kazakh_subject(doc, doc.sents[sentence][0], k)
    for back in range(1, MAX_BACK_SENTENCES + 1):
        p = sentence - back
        if p < 0 or (not dash and doc.line_of[doc.sents[p][0]] != line):
            break
        if _cue_sentence(doc, *doc.sents[p]):
            return doc.sents[p + 1][0], None
        if _stop_sentence(doc, doc.sents[p][0]):
            break
    return (first_of_line if dash else doc.sents[sentence][0]), None


def _cue_sentence(doc: _Doc, a: int, b: int) -> bool:
    """A sentence that introduces speech or holds a quote: speech runs on after it."""
    lo, hi = doc.starts[a], doc.tokens[b - 1].end
    verb = bisect_left(doc.verb_starts, a)
    return (doc.tokens[b - 1].text == ":" or any(doc.in_quote[a:b])
            or (verb < len(doc.verb_starts) and doc.verb_starts[verb] < b)
            or any(d.start < hi and lo < d.end for d in doc.drafts)
            or not LEAD_CUES.isdisjoint(doc.lows[a:b]))


def _stop_sentence(doc: _Doc, a: int) -> bool:
    """Speech does not run back over the first line, a heading or a dialogue line."""
    line = doc.line_of[a]
    return (line == doc.line_of[0] or doc.tokens[doc.line_last[line]].text not in TERMINAL | CLOSE_QUOTES
            or doc.tokens[doc.line_first[line]].text in DASHES)


def _resumed(doc: _Doc, j: int, who: _Who | None) -> _Draft | None:
    """«— А, — сказал он. — Б.»: speech resumed after the speech clause, on the same line."""
    line = doc.line_of[j - 1]
    while j < len(doc.tokens) and doc.line_of[j] == line and (
            doc.tokens[j].text not in TERMINAL | {","} or _initial(doc, j)):
        j += 1
    if j + 2 >= len(doc.tokens) or doc.line_of[j + 1] != line or doc.tokens[j + 1].text not in DASHES:
        return None
    end = j + 2
    while end <= doc.line_last[line] and not (doc.tokens[end].text in DASHES and end + 1 in doc.verbs):
        end += 1
    return _draft(doc, j + 2, end - 1, True, who)


def _dash_after_colon(doc: _Doc, i: int) -> _Draft | None:
    """«Токаев заявил:» then a line «— Мы готовы.»: the dash line is his speech."""
    opens_line = doc.line_first[doc.line_of[i]] == i
    if not opens_line or i < 2 or doc.tokens[i - 1].text != ":":
        return None
    before = _cue_before(doc, i)
    return _draft(doc, i + 1, doc.line_last[doc.line_of[i]], True, before[0]) if before else None


# 3. Indirect speech ------------------------------------------------------------------------


def _indirect(doc: _Doc, hit: VerbHit) -> _Draft | None:
    """«X подчеркнул, что …», «Отмечалось, что …»: the clause after «что» to the sentence end."""
    if _claimed(doc, hit.start) or not _speaks(doc, hit) or (
            hit.start and doc.lows[hit.start - 1] == "как"):
        return None
    j, gap = hit.end, 0
    while j < len(doc.tokens) and doc.sent_of[j] == doc.sent_of[hit.start]:
        low = doc.lows[j]
        if low in COMPLEMENTIZERS:
            break
        if low == "," and j + 1 < len(doc.tokens) and doc.lows[j + 1] in COMPLEMENTIZERS:
            j += 1
            break
        if not doc.tokens[j].is_word or gap == MAX_GAP_WORDS:
            return None
        gap, j = gap + 1, j + 1
    else:
        return None
    first = doc.sents[doc.sent_of[hit.start]][0]
    impersonal = "impersonal" in hit.verb.roles
    who = _subject(doc, first, hit.start, pronouns=not impersonal) or _subject(doc, hit.end, j, first=True)
    return _draft(doc, j + 1, _clause_last(doc, j + 1, doc.sents[doc.sent_of[j]][1] - 1), False, who)


def _according_to(doc: _Doc, i: int) -> _Draft | None:
    """«По словам X, …», «Как сообщил X, …», «X-тың айтуынша, …», and «…, по словам X.»."""
    low = doc.lows[i]
    if _claimed(doc, i):
        return None
    if low in KAZAKH_ACCORDING_TO:
        return _after_comma(doc, i + 1) if _next_is(doc, i, ",") else None
    leads = _according(doc, i) or (
        low == "как" and (i + 1 in doc.verbs and _speaks(doc, doc.verbs[i + 1])))
    if not leads:
        return None
    a, b = doc.sents[doc.sent_of[i]]
    if i > a and doc.tokens[i - 1].text == ",":
        if low == "как" or any(doc.tokens[k].text == "," for k in range(i + 2, b)):
            return None  # «…, как сказал X, …» in mid-sentence is not handled
        who = _lead_clause(doc, b - 1 if doc.tokens[b - 1].text in TERMINAL else b, start=i)
        return _draft(doc, a, i - 2, False, who[0]) if who else None
    if any(low not in LEADING_CONJUNCTIONS for low in doc.lows[a:i]):
        return None
    comma = next((k for k in range(i + 2, min(b, i + MAX_CLAUSE_TOKENS)) if doc.tokens[k].text == ","), None)
    return _after_comma(doc, comma) if comma else None


def _after_comma(doc: _Doc, comma: int) -> _Draft | None:
    """The rest of the sentence after the comma closing a lead clause, if not a quote."""
    b = doc.sents[doc.sent_of[comma]][1]
    lead = _lead_clause(doc, comma)
    start = comma + 1
    if start < b and _relative(doc.lows[start]):  # «По словам X, которого цитирует Y, …»
        start = next((k + 1 for k in range(start, b) if doc.tokens[k].text == ","), b)
    if start >= b or doc.tokens[start].text in OPEN_QUOTES or not lead:
        return None
    return _draft(doc, start, b - 1, False, lead[0])


def _lead_clause(doc: _Doc, comma: int, start: int | None = None) -> tuple[_Who | None] | None:
    """(speaker,) when the clause ending at ``tokens[comma]`` is «по словам X», «как сказал X»
    or «X-тың айтуынша»; None for any other clause, and for an outlet's credit."""
    a = start if start is not None else comma
    while start is None and a > 0 and comma - a < MAX_CLAUSE_TOKENS and doc.tokens[a - 1].text not in (
            TERMINAL | QUOTE_MARKS | {",", ":"}) and doc.line_of[a - 1] == doc.line_of[comma]:
        a -= 1
    while a < comma and doc.lows[a] in LEADING_CONJUNCTIONS:
        a += 1
    if any(i in doc.credited for i in range(a, comma)):
        return None
    low = doc.lows[a] if a < comma else ""
    if _according(doc, a):
        return (_genitive_speaker(doc, a + 1, comma),)
    if low == "как" and a + 1 in doc.verbs and _speaks(doc, doc.verbs[a + 1]):
        return (_subject(doc, doc.verbs[a + 1].end, comma, first=True),)
    if doc.lows[comma - 1] in KAZAKH_ACCORDING_TO:
        return (_genitive_speaker(doc, a, comma - 1),)
    return None


def _clause_last(doc: _Doc, a: int, b: int) -> int:
    """The last token of a «что» clause in tokens[a:b+1]: it stops before «, и предложил …»
    (a second verb of the main subject), before «, а X отметил, что …» (another speaker) and
    before «, сообщает Kazinform» (a credit)."""
    comma = None
    for k in range(a, b + 1):
        token = doc.tokens[k]
        if k in doc.credited or (k in doc.verbs and comma is not None and _speaks(doc, doc.verbs[k])):
            return (comma if comma is not None and k in doc.verbs else k) - 1
        if token.text == ",":
            comma = k
            if k + 2 <= b and doc.lows[k + 1] in ("и", "а") and _finite(doc.lows[k + 2]):
                return k - 1
    return b


def _according(doc: _Doc, i: int) -> bool:
    """«по словам», «по мнению», «по его словам» at ``tokens[i]``."""
    if doc.lows[i] != "по":
        return False
    k = i + 1 + (i + 1 < len(doc.lows) and doc.lows[i + 1] in POSSESSIVES)
    return k < len(doc.lows) and doc.lows[k] in ACCORDING_TO
