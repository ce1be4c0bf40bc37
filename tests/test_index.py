"""The tension index: its formula on hand-made documents, each part traceable to them."""

from datetime import date

import pytest

from kelisim.store.views import UnitDocument
from kelisim.warning.index import PSEUDO_VOLUME, compute, period_of, periods

DAY = date(2024, 3, 14)
KATO = "310000000"


def doc(doc_id, *, event=None, hostile=False, story=None, reprints=0, relevant=True, day=DAY):
    return UnitDocument(doc_id, KATO, day, relevant, event, hostile, story, event, relevant,
                        reprints)


def quiet(first_id, n):
    return [doc(first_id + i, relevant=False) for i in range(n)]


def test_a_clash_reported_by_three_outlets_counts_once_plus_its_reach():
    docs = [doc(1, event="violent_clash", story=7), doc(2, event="violent_clash", story=7),
            doc(3, event="violent_clash", story=7, reprints=1)] + quiet(10, 7)
    value = compute(docs, KATO, "region", "day", DAY, DAY)
    incidents, reach = value.component("incidents"), value.component("reach")
    assert incidents.points == 9 and incidents.stories == (7,)
    assert reach.points == pytest.approx(9 * 2)  # 4 reports: log2 4 = 2
    assert incidents.documents == (1, 2, 3)
    assert value.volume == 10 and value.documents == (1, 2, 3, *range(10, 17))
    assert value.value == pytest.approx(100 * 27 / (10 + PSEUDO_VOLUME), abs=0.01)


def test_the_same_clash_weighs_less_where_more_is_written():
    clash = [doc(1, event="violent_clash", story=7)]
    small = compute(clash + quiet(10, 5), KATO, "region", "day", DAY, DAY)
    big = compute(clash + quiet(10, 500), KATO, "region", "day", DAY, DAY)
    assert small.value > 10 * big.value
    assert small.raw == big.raw == 9


def test_hostile_documents_each_add_points_and_are_listed():
    docs = [doc(1, hostile=True, event="hate_speech"), doc(2, hostile=True, event="hate_speech")]
    value = compute(docs, KATO, "region", "day", DAY, DAY)
    assert value.component("hostility").documents == (1, 2)
    assert value.component("hostility").points == 4
    assert value.component("incidents").points == 10  # two single-document stories


def test_dialogue_lowers_the_index_but_not_below_zero():
    docs = [doc(1, event="protest_rally", story=3), doc(2, event="mediation_reconciliation", story=4)]
    value = compute(docs, KATO, "region", "day", DAY, DAY)
    assert value.component("deescalation").points == 5 and value.component("deescalation").stories == (4,)
    assert value.raw == pytest.approx(3 - 5)
    assert value.value == 0


def test_irrelevant_documents_count_only_as_volume():
    value = compute(quiet(1, 4), KATO, "region", "day", DAY, DAY)
    assert value.value == 0 and value.volume == 4
    assert all(not c.documents for c in value.components)


def test_documents_outside_the_period_do_not_count():
    docs = [doc(1, event="violent_clash", story=1, day=date(2024, 3, 1))]
    assert compute(docs, KATO, "region", "day", DAY, DAY).volume == 0


def test_periods_are_iso_weeks_and_calendar_months():
    assert period_of(date(2024, 3, 14), "week") == (date(2024, 3, 11), date(2024, 3, 17))
    assert period_of(date(2024, 2, 10), "month") == (date(2024, 2, 1), date(2024, 2, 29))
    assert periods(date(2024, 1, 30), date(2024, 3, 2), "month")[-1] == (date(2024, 3, 1), date(2024, 3, 31))
    with pytest.raises(ValueError, match="day, week, month"):
        period_of(DAY, "year")
