"""dates._kk_month: the Kazakh month a token starts with, the same as the plain loop it replaces."""

from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.text.tokens import Token
from kelisim.understanding.dates import _KK_MONTHS, _kk_month

_WORDS = st.one_of(st.sampled_from(_KK_MONTHS), st.text(alphabet="қаңтрпнузсәуімлшқыркүйекжоабвгд", max_size=12))


def _plain(word: str) -> int | None:
    """The loop before the one-test pre-check: kept here as the reference."""
    return next((n for n, name in enumerate(_KK_MONTHS, start=1) if word.startswith(name)), None)


@settings(max_examples=500, deadline=None)
@given(_WORDS, st.text(alphabet="аданыңғы", max_size=5))
def test_kk_month_as_plain_loop(word, suffix):
    text = word + suffix
    assert _kk_month([Token(0, len(text), text)], 0) == _plain(Token(0, len(text), text).lower)


def test_kk_month_named():
    assert _kk_month([Token(0, 7, "Ақпанда")], 0) == 2
    assert _kk_month([Token(0, 5, "ақпа")], 0) is None
    assert _kk_month([], 0) is None
