import unicodedata

from hypothesis import given, settings, strategies as st

from kelisim.clean import normalize_text
if __package__:  # tests/ is a package
    from tests.shared_data import seed_paths
else:
    from shared_data import seed_paths


def test_line_ends_controls_and_invisible_characters():
    raw = "Ас\u200bтана\r\nАлматы\rТараз\x07\u202eШымкент\ufeff\u2066Қ\u2069"
    assert normalize_text(raw) == "Астана\nАлматы\nТаразШымкентҚ"


def test_spaces_tabs_and_nbsp_collapse_inside_lines():
    assert normalize_text("  14-15\u00a0октября\t\t2021   года  \n") == "14-15 октября 2021 года"


def test_blank_line_runs_become_one_blank_line():
    assert normalize_text("\n\nА\n \n\n\t\nБ\n\nВ\n\n\n") == "А\n\nБ\n\nВ"


def test_nfc_composes_decomposed_letters():
    decomposed = "И\u0306ошкар-Ола, е\u0308лка"
    assert normalize_text(decomposed) == "Йошкар-Ола, ёлка"
    assert unicodedata.is_normalized("NFC", normalize_text(decomposed))


def test_accent_split_by_a_zero_width_space_still_composes():
    assert normalize_text("е\u200b\u0308") == "ё"


def test_seed_003_date_line_keeps_its_words():
    line = " 14-15 октября 2021 года                      г. Тараз"
    assert normalize_text(line) == "14-15 октября 2021 года г. Тараз"


def test_seeds_keep_every_word():
    for path in seed_paths():
        raw = path.read_text(encoding="utf-8")
        assert normalize_text(raw).split() == raw.split(), path.name


@settings(max_examples=500)
@given(st.text())
def test_idempotent(text):
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("аә \t\n\r\u00a0\u200b\u0301\x00-")))
def test_idempotent_on_whitespace_heavy_text(text):
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\t" not in once and "\n\n\n" not in once
    assert once == once.strip()
