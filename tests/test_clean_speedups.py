"""The cleaning stage's shortcuts give what the plain versions they replace gave."""

import re

from hypothesis import given, settings, strategies as st

from kelisim.clean import chrome, dates, normalize

# Pieces that make dates, near-dates and their look-alikes: digits of two scripts, separators,
# month names and their stems, case-folding traps (long s, Kelvin sign), spaces.
_DATE_PIECES = st.sampled_from([
    "1", "2", "12", "31", "2021", "20214", "٣", "-", ".", "/", ",", " ", "\n", "–", "г.", "года",
    "мая", "марта", "МАЯ", "окт.", "сен", "ж.", "жылғы", "қазан", "желтоқсанда", "jan", "Sept",
    "ſept", "DEC.", "june", "st", "th", "и", "по", "a", "x", "на", "Sept 5", "DEC. 31st",
    ", 2021", " 1999", "5 мая", "12.10.",
])


def _plain_matches(head: str) -> list:
    return sorted((m.start(), i, m.span(), sorted(m.groupdict().items()))
                  for i, pattern in enumerate(dates._PATTERNS) for m in pattern.finditer(head))


@settings(max_examples=2000, deadline=None)
@given(st.lists(_DATE_PIECES, max_size=30).map("".join))
def test_date_matches_are_finditer_of_every_pattern(head):
    found = sorted((m.start(), i, m.span(), sorted(m.groupdict().items()))
                   for i, m in dates._date_matches(head))
    assert found == _plain_matches(head)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
def test_date_matches_of_any_text(head):
    found = sorted((m.start(), i, m.span(), sorted(m.groupdict().items()))
                   for i, m in dates._date_matches(head))
    assert found == _plain_matches(head)


def test_month_first_dates_are_found():
    assert [i for i, _ in dates._date_matches("Posted on Sept 5th, 2021 by")] == [7]


_LINE_PIECES = st.sampled_from([
    "Поделиться", "share", "VK", "в", "мой мир", "x", "Статья", "текст", " ", "  ", "\t", "|",
    ",", "•", "/", "\u00a0", "\u2003", "ß", "SS", "ﬁ", "—", "!", "_", "1", "\n",
])


def _plain_is_share(line: str) -> bool:
    words = [word for word in re.split(r"[\s|,•·/]+", line.lower()) if word]
    return bool(words) and all(word in chrome._SHARE_WORDS for word in words)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.lists(_LINE_PIECES, max_size=12).map("".join), st.text(max_size=40)))
def test_share_lines_are_told_as_by_splitting(line):
    assert chrome._is_share(line) == _plain_is_share(line)


_ARTICLE_WORDS = st.sampled_from(["Статья", "текстов", "Алматы", "2021", "ß", "ﬁ", "q_7", "—"])


def _plain_mark_duplicates(lines: list[str], kinds: list) -> list:
    seen, marked = set(), list(kinds)
    for i, line in enumerate(lines):
        key = re.sub(r"\W+", " ", line.casefold()).strip()
        if marked[i] is not None or len(key) < 30:
            continue
        if key in seen:
            marked[i] = "duplicate"
        seen.add(key)
    return marked


@settings(max_examples=500, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.lists(_LINE_PIECES, max_size=30).map("".join),
                                    st.lists(_ARTICLE_WORDS, max_size=8).map(" ".join)),
                          st.sampled_from([None, None, "share"])), max_size=8),
       st.lists(st.tuples(st.integers(0, 7), st.sampled_from([" ", " ,  ", "_"])), max_size=4))
def test_duplicates_are_found_as_with_the_plain_key(numbered, repeats):
    lines = [line.replace("\n", " ") for line, _ in numbered]
    kinds = [kind for _, kind in numbered]
    for i, space in repeats:  # some lines again, spelt with other spaces and case
        if i < len(lines):
            lines.append(lines[i].upper().replace(" ", space))
            kinds.append(None)
    assert chrome._mark_duplicates(lines, kinds) == _plain_mark_duplicates(lines, kinds)


def _plain_space_lines(text: str) -> str:
    lines = (re.sub(r"[ \t]+", " ", line).strip(" ") for line in text.split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["q", "7", " ", "  ", "\t", " \t ", "\n", "\n\n\n", "\r\n",
                                 "\u00a0", "q 7"]), max_size=30).map("".join))
def test_spaces_are_collapsed_as_line_by_line(text):
    expected = _plain_space_lines(re.sub(r"\r\n?", "\n", text).replace("\u00a0", " "))
    assert normalize.normalize_text(text) == expected


# Pieces where the rewritten normalisation patterns could part from the plain ones: line breaks
# of every kind (a «\r» before and after «\n»), runs of spaces and tabs, blank lines, words that
# mix Latin and Cyrillic look-alikes at either end, Kazakh letters, marks and digits inside words.
_NORMALIZE_PIECES = st.sampled_from([
    "\r", "\n", "\r\n", "\n\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", " ", "  ", "\t", " \t",
    "\t\t", "Кaзахстан", "a", "а", "B", "В", "iPhoneы", "XXI-го", "с", "c", "қ", "q", "ё",
    "\u0301", "\u0483", "7", "_", "-", "Ё", "ë", ".", "мир", "word",
])


def _plain_fold(text: str) -> str:
    switch = re.compile(rf"[{normalize._LAT}][{normalize._CYR}]|[{normalize._CYR}][{normalize._LAT}]")
    pieces, done, found = [], 0, switch.search(text)
    while found is not None:
        start = found.start()
        while start > done and normalize._WORD_CHAR.match(text, start - 1):
            start -= 1
        end = normalize._WORD_REST.match(text, found.end()).end()
        pieces += [text[done:start], normalize._one_script(text[start:end])]
        done = end
        found = switch.search(text, done)
    return "".join(pieces) + text[done:]


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.lists(_NORMALIZE_PIECES, max_size=30).map("".join), st.text(max_size=60)))
def test_normalisation_patterns_match_as_the_plain_ones(text):
    assert normalize._LINE_BREAKS.sub("\n", text) == re.sub(
        r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "\n", text)
    assert normalize._RUNS.sub(" ", text) == re.sub(r"[ \t]{2,}|\t", " ", text)
    assert normalize._BLANK_RUNS.sub("\n\n", text) == re.sub(r"\n{3,}", "\n\n", text)
    assert normalize._fold_mixed_words(text) == _plain_fold(text)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_control_bytes_are_counted_as_by_the_plain_pattern(data):
    from kelisim.clean import encoding

    plain = len(re.findall(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]", data))
    assert len(data) - len(data.translate(None, encoding._CONTROL)) == plain
