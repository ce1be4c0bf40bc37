"""A mention's row is checked as the plain checks (kept here) checked it: the same row for a
good mention, the same error for a bad one, whatever the offsets and columns hold."""

import enum

from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.store import readings
from kelisim.store.errors import InvalidValueError

TEXT = "Токаев прибыл в Алматы. В Астане — 25 °C."


class Offset(enum.IntEnum):
    FOUR = 4


def _plain_is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _plain_check_span(doc_id, text, kind, start, end, said) -> None:
    if not (_plain_is_int(start) and _plain_is_int(end) and 0 <= start <= end <= len(text)):
        raise InvalidValueError(f"document {doc_id}: the {kind} {said!r} has offsets "
                                f"[{start!r}:{end!r}] outside its text of {len(text)} characters")
    if text[start:end] != said:
        raise InvalidValueError(f"document {doc_id}: the {kind} {said!r} at [{start}:{end}] does "
                                f"not match the stored text, which has {text[start:end]!r} there")


def _plain_row(doc_id, text, kind, item, columns, data, flag=False) -> tuple:
    start, end, said = item["start"], item["end"], item["text"]
    _plain_check_span(doc_id, text, kind, start, end, said)
    if kind == "quote":
        readings._check_speaker(doc_id, text, item)
    label, value, ref, region = columns
    for column, checked, limit in (("label", label, readings.LABEL_MAX),
                                   ("ref", ref, readings.REF_MAX),
                                   ("region_kato", region, readings.LABEL_MAX)):
        if checked is not None and (not isinstance(checked, str) or len(checked) > limit):
            raise InvalidValueError(f"document {doc_id}: the {kind} {said!r} has an invalid "
                                    f"{column} {checked!r} (a string of {limit} at most)")
    if value is not None:
        value = str(value)[: readings.VALUE_MAX]
    return (doc_id, kind, label, start, end, said, value, ref, region, flag, data)


def _outcome(make, *args):
    try:
        row = make(*args)
    except InvalidValueError as error:
        return "error", str(error)
    return "row", tuple(value.text if isinstance(value, readings.JsonText) else value
                        for value in row)


_OFFSETS = st.one_of(st.integers(-3, len(TEXT) + 3), st.sampled_from(
    [True, False, None, 4.0, "4", Offset.FOUR, 2**70]))
_COLUMN = st.one_of(st.none(), st.text(max_size=140), st.integers(), st.sampled_from([b"x", 1.5]))


@settings(max_examples=3000, deadline=None)
@given(_OFFSETS, _OFFSETS, st.booleans(), st.sampled_from(["entity", "place", "quote"]),
       st.tuples(_COLUMN, _COLUMN, _COLUMN, _COLUMN))
def test_row_is_the_plain_row(start, end, said_right, kind, columns):
    said = TEXT[start:end] if said_right and _plain_is_int(start) and _plain_is_int(end) else "x"
    item = {"start": start, "end": end, "text": said, "direct": True}
    assert _outcome(readings._row, 7, TEXT, kind, item, columns, "{}") == \
        _outcome(_plain_row, 7, TEXT, kind, item, columns, "{}")


@settings(max_examples=2000, deadline=None)
@given(_OFFSETS, _OFFSETS, st.text(max_size=5))
def test_span_check_is_the_plain_check(start, end, said):
    assert _outcome(lambda *a: readings._check_span(*a) or (), 3, TEXT, "quote", start, end,
                    said) == \
        _outcome(lambda *a: _plain_check_span(*a) or (), 3, TEXT, "quote", start, end, said)
