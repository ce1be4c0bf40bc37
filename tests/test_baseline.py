"""The expected baseline and the surprise test, on hand-made histories and a seeded simulation."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from scipy import stats

from kelisim.warning import baseline
from kelisim.warning.baseline import (
    PRIOR_EVENTS,
    PRIOR_RATE,
    DayCount,
    alpha,
    expected,
    false_alarms_per_month,
    is_spike,
    upper_tail,
)
from kelisim.warning.calendar import calendar_effects

KORDAI, ALMATY = "314800000", "750000000"
QUIET = date(2023, 10, 10)  # a Tuesday; the 56 days before it hold no calendar effect


def days_before(today: date, counts: list[int], exposure: float | None = None) -> list[DayCount]:
    """A history ending the day before ``today``, oldest first."""
    start = today - timedelta(days=len(counts))
    return [DayCount(start + timedelta(days=i), c, exposure) for i, c in enumerate(counts)]


def test_constant_rate_expects_rate_times_exposure():
    history = days_before(QUIET, [2] * 56, 100.0)
    found = expected("conflict", history, DayCount(QUIET, 2, 250.0), ALMATY)
    used = 56 - baseline.GUARD_DAYS
    rate = (2 * used + PRIOR_EVENTS) / (100.0 * used + PRIOR_EVENTS / PRIOR_RATE)
    assert found.history_days == used
    assert found.factors == pytest.approx({"rate": rate, "exposure": 250.0})
    assert found.expected == pytest.approx(rate * 250.0)


def test_a_weekday_pattern_is_learnt():
    counts = [4 if (QUIET - timedelta(days=56 - i)).weekday() >= 5 else 10 for i in range(56)]
    history = days_before(QUIET, counts)
    tuesday = expected("attention", history, DayCount(QUIET, 10))
    saturday = expected("attention", history + days_before(QUIET + timedelta(days=4), [10] * 4),
                        DayCount(QUIET + timedelta(days=4), 4))
    assert tuesday.expected == pytest.approx(10, rel=0.1)
    assert saturday.expected == pytest.approx(4, rel=0.15)
    assert saturday.factors["weekday"] < 0.6
    assert tuesday.factors["weekday"] > 1.1


def test_an_anniversary_raises_the_expected_value_in_its_unit_only():
    today = date(2024, 2, 7)
    history = days_before(today, [3] * 56)
    kordai = expected("attention", history, DayCount(today, 6), KORDAI)
    almaty = expected("attention", history, DayCount(today, 6), ALMATY)
    assert kordai.factors["anniversary:kordai-2020"] == 1.5
    assert kordai.expected == pytest.approx(1.5 * almaty.expected)
    assert kordai.p_value > almaty.p_value
    history = days_before(today, [2] * 56, 100.0)
    assert expected("conflict", history, DayCount(today, 2, 100.0), KORDAI).factors[
        "anniversary:kordai-2020"] == 1.3


def test_the_calendar_off_ablation_drops_the_multipliers():
    today = date(2024, 2, 7)
    found = expected("attention", days_before(today, [3] * 56), DayCount(today, 6), KORDAI, calendar=False)
    assert set(found.factors) == {"level", "weekday"}


def test_the_factors_multiply_to_the_expected_value():
    today = date(2024, 5, 1)  # the Day of Unity: attention ×2 and a rest day
    found = expected("attention", days_before(today, [5, 6, 7, 3, 2, 6, 5] * 8), DayCount(today, 9))
    assert found.factors["holiday:unity_day"] == 2.0
    assert math.prod(found.factors.values()) == pytest.approx(found.expected)


def test_warm_up_returns_none():
    needed = 21 + baseline.GUARD_DAYS
    assert expected("attention", days_before(QUIET, [1] * (needed - 1)), DayCount(QUIET, 1)) is None
    assert expected("attention", days_before(QUIET, [1] * needed), DayCount(QUIET, 1)) is not None
    assert expected("attention", days_before(QUIET, [1] * 21), DayCount(QUIET, 1), guard=0) is not None


def test_zero_exposure_is_never_a_spike():
    found = expected("hostile", days_before(QUIET, [1] * 56, 50.0), DayCount(QUIET, 9, 0.0))
    assert (found.expected, found.p_value) == (0.0, 1.0)
    assert not is_spike(found, "high")


def test_the_p_value_is_scipys_negative_binomial_tail():
    found = expected("conflict", days_before(QUIET, [1, 3, 2, 0, 2, 4, 2] * 8, 80.0), DayCount(QUIET, 7, 80.0))
    k = found.dispersion
    assert found.p_value == pytest.approx(stats.nbinom.sf(6, k, k / (k + found.expected)), rel=1e-9)
    assert upper_tail(7, 2.5, math.inf) == pytest.approx(stats.poisson.sf(6, 2.5), rel=1e-12)
    assert upper_tail(0, 2.5, 3.0) == 1.0


def test_a_clear_spike_is_flagged_and_an_ordinary_day_is_not():
    history = days_before(QUIET, [2, 1, 3, 2, 2, 1, 2] * 8, 100.0)
    assert is_spike(expected("conflict", history, DayCount(QUIET, 15, 100.0)), "medium")
    assert not is_spike(expected("conflict", history, DayCount(QUIET, 3, 100.0)), "high")


def test_min_count_keeps_a_tiny_count_from_being_a_spike():
    found = expected("conflict", days_before(QUIET, [0] * 56, 5.0), DayCount(QUIET, 2, 5.0))
    assert found.p_value < alpha("high")
    assert not is_spike(found, "high") and is_spike(found, "high", min_count=2)


def test_overdispersed_history_gives_a_larger_p_value_than_a_steady_one():
    steady = days_before(QUIET, [3] * 56, 100.0)
    bursty = days_before(QUIET, [0, 0, 9, 0, 1, 8, 3] * 8, 100.0)  # the same mean, 3 a day
    calm, wild = (expected("conflict", h, DayCount(QUIET, 10, 100.0)) for h in (steady, bursty))
    assert calm.expected == pytest.approx(wild.expected)
    assert wild.dispersion < calm.dispersion
    assert wild.p_value > 10 * calm.p_value


def test_a_past_spike_hardly_moves_the_baseline():
    plain = days_before(QUIET, [3, 2, 4, 3, 2, 3, 4] * 8, 100.0)
    spiked = plain[:20] + [DayCount(plain[20].day, 60, 100.0)] + plain[21:]
    before, after = (expected("conflict", h, DayCount(QUIET, 3, 100.0)) for h in (plain, spiked))
    assert after.expected == pytest.approx(before.expected, rel=0.1)
    assert after.expected / before.expected < 1.1 < (sum(d.count for d in spiked[:49]) / sum(d.count for d in plain[:49]))


def test_a_week_of_raised_counts_shows_in_the_weekly_sum_before_any_single_day():
    steady = [1, 0, 2, 1, 1, 0, 1] * 9
    raised = days_before(QUIET - timedelta(days=6), steady, 100.0) + [
        DayCount(QUIET - timedelta(days=6 - i), 3, 100.0) for i in range(6)]
    today = DayCount(QUIET, 3, 100.0)
    days = [*raised[-6:], today]
    assert not any(is_spike(expected("conflict", [d for d in raised if d.day < day.day], day), "medium")
                   for day in days)
    week = expected("conflict", raised, today, span=7)
    assert week.observed == 21
    assert week.factors["exposure"] == 700.0
    assert week.expected == pytest.approx(math.prod(week.factors.values()))
    assert week.expected == pytest.approx(7 * 6 / 7, rel=0.15)
    assert is_spike(week, "medium")


def test_errors_name_the_choices():
    with pytest.raises(ValueError, match="low, medium, high"):
        alpha("extreme")
    with pytest.raises(ValueError, match="conflict, hostile, attention"):
        expected("anger", [], DayCount(QUIET, 1))
    with pytest.raises(ValueError, match="exposure"):
        expected("conflict", days_before(QUIET, [1] * 56), DayCount(QUIET, 1, 10.0))
    with pytest.raises(ValueError, match="twice"):
        expected("attention", days_before(QUIET, [1] * 56) * 2, DayCount(QUIET, 1))
    with pytest.raises(ValueError, match="span"):
        expected("attention", days_before(QUIET, [1] * 56), DayCount(QUIET, 1), span=0)


def test_nominal_false_alarms_per_month():
    assert false_alarms_per_month("medium", 229) == pytest.approx(1e-3 * 229 * 3 * 365.25 / 12)


def test_every_calendar_effect_is_a_known_kind_with_a_reason():
    for (kind, signal), (multiplier, why) in calendar_effects().items():
        assert kind.split(":")[0] in {"weekend", "holiday", "election", "anniversary"}
        assert signal in baseline.SIGNALS and 0.3 < multiplier < 3 and why.startswith("Prior.")


def test_false_alarms_under_the_null_stay_near_alpha():
    # 20 units x 200 days of over-dispersed counts (negative binomial, k = 2, mean 5 a day, an
    # exposure that varies), tested causally at "high" (alpha = 0.01): 20 x 144 = 2,880 tests.
    # A calibrated test gives at most about 29 alarms (binomial sd about 5; this seed gives 22);
    # the bound, 2.5 x alpha (72), is 8 sd above that, so the fixed seed is not flaky across
    # platforms, while a baseline that ignores over-dispersion (Poisson) gives about 250.
    rng = np.random.default_rng(20260501)
    alarms = tests = 0
    for _ in range(20):
        exposure = rng.uniform(60, 140, 200)
        mean = 0.05 * exposure
        counts = rng.negative_binomial(2.0, 2.0 / (2.0 + mean))
        series = [DayCount(QUIET + timedelta(days=i), int(c), float(e)) for i, (c, e) in enumerate(zip(counts, exposure))]
        for i in range(56, 200):
            found = expected("conflict", series[i - 56:i], series[i], ALMATY)
            tests += 1
            alarms += is_spike(found, "high")
    assert tests == 2880
    assert alarms <= 2.5 * alpha("high") * tests
