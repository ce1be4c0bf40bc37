"""Hostile input to the cleaning stage: property tests over arbitrary bytes and text, and the
inputs attackers and broken sites send (deep markup, huge lines, controls, bidi overrides,
homoglyphs, lone surrogates, BOMs, line ends). The readers are in test_hostile_sources.py, the
matchers in test_hostile_reading.py; the fuzzing harness itself in test_hostile_fuzz.py."""

from __future__ import annotations

import codecs
import tracemalloc
import unicodedata
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz.contracts import FORBIDDEN, check_clean
from fuzz.t_clean import fuzz_chrome, fuzz_clean_text, fuzz_decode, fuzz_markdown, fuzz_prepare
from kelisim.clean import (
    CleaningError,
    MalformedHTMLError,
    clean_text,
    decode,
    extract_html,
    extract_markdown,
    find_date_in_text,
    normalize_text,
    parse_date,
)
from kelisim.config import IngestOptions
from kelisim.prepare import prepare
from kelisim.records import CleanDocument, RawItem, Skip

FETCHED = datetime(2024, 5, 14, 9, 30, tzinfo=timezone.utc)
ARTICLE = ("Астана, 14 октября 2021 года. В Таразе прошёл круглый стол Ассамблеи народа "
           "Казахстана о межэтническом согласии.\nУчастники обсудили работу этномедиаторов.")
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
HOSTILE = (BIDI + "\x00\x01\x07\x1b\x7f\x85\x9f\u00ad\u200b\u200d\u2060\ufeff\ufff9\U000e0041"
           "\r\n\t\x0b\x0c\u2028\u2029\u00a0\u3000\ud800\udc00\udfff\ufffd\u0301\u0308\u0306"
           "aceopxyiAKMHTXаеорсухкіАКМНТХ")
hostile_text = st.text(st.one_of(st.characters(), st.sampled_from(HOSTILE)), max_size=300)
quick = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ----- properties: every function keeps its contract on any input ---------------------------


@quick
@given(hostile_text)
def test_normalize_gives_clean_text_for_any_string(text):
    check_clean(normalize_text(text))


@quick
@given(st.text(st.sampled_from("Кaзахcтaн бiлiм XXI-го iPhoneы Kаzakh \u0306\u0301 -"), max_size=60))
def test_folding_mixed_words_is_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@quick
@given(st.binary(max_size=2000))
def test_decode_reads_or_refuses_any_bytes(data):
    fuzz_decode(data)


@quick
@given(hostile_text)
def test_strip_chrome_keeps_input_lines_and_counts_what_it_removes(text):
    fuzz_chrome(text.encode("utf-8", "surrogatepass"))


@quick
@given(st.sampled_from([0, 1, 2]), hostile_text)
def test_clean_text_gives_clean_text_or_a_cleaning_error(kind, text):
    fuzz_clean_text(bytes([kind]) + text.encode("utf-8", "surrogatepass"))


@quick
@given(hostile_text)
def test_extract_markdown_never_raises(text):
    fuzz_markdown(text.encode("utf-8", "replace"))


@settings(max_examples=40, deadline=None)
@given(st.text(st.sampled_from("<>/ divpbhtmlbody=\"'&;!-[]Текст\n\x00"), max_size=200))
def test_extract_html_gives_text_or_malformed_html_error(markup):
    try:
        assert extract_html(markup).text.strip()
    except MalformedHTMLError:
        pass


@quick
@given(st.integers(0, 255), st.binary(max_size=600))
def test_prepare_gives_a_document_or_a_skip_for_any_bytes_and_kind(option, payload):
    fuzz_prepare(bytes([option]) + payload)


@quick
@given(hostile_text, st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                                  timezones=st.just(timezone.utc)))
def test_dates_are_plausible_or_none_for_any_text_and_reference(text, reference):
    latest = reference.date() + timedelta(days=1)
    for found in (parse_date(text, reference), find_date_in_text(text, reference)):
        assert found is None or (found.year >= 1990 and found <= latest)


def test_dates_at_the_ends_of_the_calendar():
    first, last = datetime(1, 1, 1, tzinfo=timezone.utc), datetime.max.replace(tzinfo=timezone.utc)
    assert parse_date("вчера", first) is None  # no day before the first one
    assert parse_date("вчера", datetime(1985, 5, 5, tzinfo=timezone.utc)) is None  # before 1990
    assert parse_date("вчера", last) == date(9999, 12, 30)
    assert find_date_in_text("29 февраля, 31 декабря 9999 года", last) == date(9996, 2, 29)
    assert find_date_in_text("31 декабря 9999 года", first) is None


# ----- deep markup and huge lines -----------------------------------------------------------


@pytest.mark.parametrize("tag", ["div", "b"])
def test_a_hundred_thousand_nested_tags_are_a_skip_not_a_crash(tag):
    html = (f"<html><body>{f'<{tag}>' * 100_000}{ARTICLE}{f'</{tag}>' * 100_000}"
            f"</body></html>").encode()
    result = prepare(RawItem("deep", html, "html", fetched_at=FETCHED), IngestOptions())
    if isinstance(result, Skip):
        assert result.reason == "malformed_html" and result.message
    else:
        assert "круглый стол" in result.text


def test_nested_markdown_quotes_and_lists_are_read():
    markdown = "> " * 50_000 + "- " * 50_000 + ARTICLE
    result = prepare(RawItem("deep.md", markdown.encode(), "markdown"), IngestOptions())
    assert isinstance(result, CleanDocument) and "этномедиаторов" in result.text


@pytest.mark.timeout(120)  # a safeguard: each took minutes to hours when it was quadratic
@pytest.mark.parametrize("unit", ["a", "[", "![", "[a](", "<a ", "<http:", "**a ", "*a ", "_a ",
                                  "~~a ", "``", "# ", "#", "> ", "- "])
def test_markdown_reads_a_long_line_of_any_mark_in_one_pass(unit):
    line = unit * (200_000 // len(unit))
    assert isinstance(extract_markdown(f"{line}\n{line}\n---\n").text, str)


def test_a_line_over_the_size_limit_is_refused_before_any_work():
    options = IngestOptions(max_document_bytes=1 << 20)
    huge = ("Казахстан " * 200_000).encode()  # 3.8 MB on one line
    result = prepare(RawItem("huge", huge, "text"), options)
    assert isinstance(result, Skip) and result.reason == "too_large"
    assert "over the limit of 1,048,576 bytes" in result.message


def test_a_huge_single_line_at_the_limit_is_cleaned_whole():
    # 0.9 MB on one line, each word with a Latin look-alike: the worst case of word folding.
    line = "Кaзахстан, 14 октября 2021 года; " * 15_000
    result = prepare(RawItem("line", line.encode(), "text", fetched_at=FETCHED), IngestOptions())
    assert isinstance(result, CleanDocument) and "\n" not in result.text
    assert result.text.count("Казахстан") == 15_000 and "a" not in result.text
    assert result.published == datetime(2021, 10, 14, tzinfo=timezone.utc)


def test_a_big_legacy_encoded_input_is_decoded_once_not_once_per_candidate():
    data = ("Казахстан и его народы живут в мире и согласии. " * 80_000).encode("cp1251")
    tracemalloc.start()
    try:
        decoded = decode(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert decoded.encoding == "cp1251" and decoded.text.startswith("Казахстан")
    # The text takes 2 bytes a letter; five candidate decodings took 14 times the input.
    assert peak < 6 * len(data), f"peak {peak:,} bytes for {len(data):,} bytes of input"


# ----- characters that hide or spoof ---------------------------------------------------------


def test_controls_and_nul_go_from_text_and_nul_bytes_are_binary():
    assert normalize_text("Аста\x00на\x07 \x1bгород\x7f") == "Астана город"
    with pytest.raises(CleaningError, match="NUL bytes"):
        decode("Астана\x00город".encode())
    assert isinstance(prepare(RawItem("nul", b"text\x00text", "text"), IngestOptions()), Skip)


def test_bidi_overrides_and_invisible_characters_never_reach_stored_text_or_titles():
    spoof = "\u202eтсарвкажа\u202c Ж\u200bамбыл\u2066\u061c \U000e0068\U000e0069"
    item = RawItem("bidi", f"{spoof}\n{ARTICLE}".encode(), "text", title=f"\u202e{spoof}",
                   author="\u2067Редакция\u2069\u200f")
    document = prepare(item, IngestOptions())
    assert isinstance(document, CleanDocument)
    for field in (document.text, document.title, document.author):
        assert not FORBIDDEN.intersection(field), ascii(field)
    assert document.title == "тсарвкажа Жамбыл"  # the letters stay, in their order
    assert document.author == "Редакция"


def test_words_mixing_cyrillic_and_latin_look_alikes_are_written_in_one_script():
    assert normalize_text("Кaзахстан и Kаzakhstan, CCCР, бiлiм") == "Казахстан и Kazakhstan, СССР, білім"
    # Words that mix scripts for a reason, and words split by a hyphen, stay as written.
    assert normalize_text("XXI-го века, iPhoneы, COVID-19, Qazaq Gaz") == \
        "XXI-го века, iPhoneы, COVID-19, Qazaq Gaz"
    # A Latin «y» with a breve becomes Cyrillic «ў» composed, not «у» and a loose accent.
    assert normalize_text("Кy\u0306") == "Кў" and unicodedata.is_normalized("NFC", "Кў")


def test_lone_surrogates_become_replacement_characters_and_the_item_is_stored():
    item = RawItem("surrogate", f"{ARTICLE}\n\ud800 и \udfff", "text", title="\udc80Заголовок")
    document = prepare(item, IngestOptions())
    assert isinstance(document, CleanDocument)
    assert document.text.endswith("\ufffd и \ufffd") and document.title == "\ufffdЗаголовок"
    document.text.encode("utf-8")


# ----- byte order marks and line ends --------------------------------------------------------


@pytest.mark.parametrize("bom, encoding", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
])
def test_a_byte_order_mark_decides_the_encoding_and_is_dropped(bom, encoding):
    decoded = decode(bom + ARTICLE.encode(encoding))
    assert decoded.text == ARTICLE and decoded.encoding == encoding


def test_a_bom_inside_the_text_and_every_line_end_are_normalised():
    raw = "Первая\r\nвторая\rтретья\u2028четвёртая\ufeff\x85пятая\u2029шестая\x0bседьмая"
    assert normalize_text(raw) == "Первая\nвторая\nтретья\nчетвёртая\nпятая\nшестая\nседьмая"
    cleaned = clean_text(raw.replace("\n", " "), "text")
    assert "\r" not in cleaned.text and "\ufeff" not in cleaned.text


def test_a_bom_that_lies_is_an_encoding_error():
    with pytest.raises(CleaningError, match="byte-order mark"):
        decode(codecs.BOM_UTF8 + b"\xff\xfe\xfa")
