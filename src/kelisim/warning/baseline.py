"""The expected count of a signal in a unit on a day, and how surprising the observed count is.

Two kinds of signal (docs/method.md, "The expected baseline"):

- rate signals (``conflict``, ``hostile``): a share of the unit's media volume. expected =
  rate × today's exposure × calendar multipliers, the rate pooled over the baseline days;
- a level signal (``attention``): a count with a weekly rhythm. expected = level × weekday
  factor × calendar multipliers, the weekday factors learnt from the baseline days (a public
  holiday is read as a Sunday).

The baseline days are the window's days except the last ``guard`` (a rise under way does not
feed its own baseline). A day that is itself surprising among them is capped at its 99.9%
quantile before the baseline is fitted again, so a past spike does not hide the next one.

The surprise is the negative-binomial upper tail of the observed count. Its size k combines the
day-to-day over-dispersion (method of moments, raised by one standard error of its estimate)
with the uncertainty of the baseline itself (rate or level, and the weekday factor).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from scipy import special, stats

from kelisim.warning.calendar import calendar_day, calendar_factors

SIGNALS = ("conflict", "hostile", "attention")
RATE_SIGNALS = ("conflict", "hostile")
SENSITIVITY = {"low": 1e-4, "medium": 1e-3, "high": 1e-2}
DAYS_PER_MONTH = 365.25 / 12

GUARD_DAYS = 7           # the last week before today is not part of its baseline
PRIOR_EVENTS = 0.5       # a: half an event, so that a quiet history does not expect zero
PRIOR_RATE = 0.01        # a/b of a rate signal: one document in a hundred
PRIOR_DAYS = 1.0         # b of the level signal: a prior of half an event a day
WEEKDAY_PRIOR_EVENTS = 20.0   # pseudo-events pulling a weekday factor toward its group's
WORKING, REST = 0, 1
WEEKDAY_GROUP = np.array([WORKING] * 5 + [REST] * 2)
MAX_INV_K = 2.0          # 1/k at most 2 (k >= 0.5): a few wild days must not erase every alarm
POISSON_INV_K = 1e-3     # 1/k below this (k > 1000) is read as Poisson
DISPERSION_MARGIN = 1.0  # standard errors added to the estimated 1/k
CAP_P = 1e-3             # a baseline day this surprising is capped at its 99.9% quantile
PASSES = 3               # fits on capped counts at most
TRIM = 2                 # days set aside to judge which days are wild


@dataclass(frozen=True)
class DayCount:
    """One unit's count of one signal on one day, with its media volume for rate signals."""

    day: date
    count: int
    exposure: float | None = None


@dataclass(frozen=True)
class Surprise:
    """How an observed count compares with its expected value, and what made that value."""

    signal: str
    day: date
    observed: int
    expected: float
    dispersion: float
    p_value: float
    z: float
    factors: dict[str, float]
    history_days: int


@dataclass(frozen=True)
class _Fit:
    """A baseline fitted on the baseline days: the rate (or level) per unit of base, 1/k, the
    weekday factors and the squared coefficients of variation of the estimates."""

    rate: float
    inv_k: float
    rate_cv2: float
    weekday: tuple[float, ...]
    weekday_cv2: tuple[float, ...]
    kept: np.ndarray
    mean: np.ndarray


@dataclass(frozen=True)
class _Pass:
    """One pass of the fit: rate, 1/k, events and base summed with their priors, each day's base
    and mean, the weekday factors."""

    rate: float
    inv_k: float
    events: float
    base_sum: float
    base: np.ndarray
    mean: np.ndarray
    weekday: np.ndarray


def alpha(sensitivity: str) -> float:
    """The one-sided significance level of a sensitivity; ValueError naming the choices."""
    if sensitivity not in SENSITIVITY:
        raise ValueError(f"unknown sensitivity {sensitivity!r}: choose one of {', '.join(SENSITIVITY)}")
    return SENSITIVITY[sensitivity]


def false_alarms_per_month(sensitivity: str, units: int, signals: int = 3) -> float:
    """The nominal false alarms a month when every unit-day-signal is tested at ``alpha``: an
    upper bound (the test is discrete and asks for ``min_count``; eval/baseline.py measures)."""
    return alpha(sensitivity) * units * signals * DAYS_PER_MONTH


def is_spike(surprise: Surprise, sensitivity: str = "medium", min_count: int = 3) -> bool:
    """Whether the count is a spike: p-value below the sensitivity's alpha and at least
    ``min_count`` documents."""
    return surprise.p_value < alpha(sensitivity) and surprise.observed >= min_count


def expected(signal: str, history: Sequence[DayCount], today: DayCount, kato: str | None = None,
             *, window: int = 56, min_history: int = 21, guard: int = GUARD_DAYS, span: int = 1,
             calendar: bool = True) -> Surprise | None:
    """The expected count of ``signal`` on ``today`` from the days before it, and its surprise.

    Args:
        signal: one of SIGNALS.
        history: the unit's days before ``today``, in any order, zeros included (a day missing
            is a day unknown, not a zero); days outside the window are ignored.
        today: the day to test; rate signals need its exposure (the unit's documents that day).
        kato: the unit's KATO code, for the anniversaries of incidents placed in it.
        window: how many days before ``today`` the baseline may look at.
        min_history: fewer baseline days than this is a warm-up: None.
        guard: the days before the tested ones left out of the baseline (0 keeps them).
        span: test the sum of ``today`` and the ``span`` − 1 days before it (from ``history``):
            a slow rise shows in a week's sum before any single day stands out.
        calendar: False ignores the calendar (multipliers, holidays read as Sundays); for the
            ablation in eval/baseline.py.

    Returns:
        The Surprise (expected value, p-value, z, the factors that made the expected value),
        or None during warm-up.
    """
    _check_signal(signal)
    if span < 1:
        raise ValueError("span must be at least 1 day")
    first = today.day - timedelta(days=span - 1)
    days = _days(history, today.day - timedelta(days=window), first - timedelta(days=guard))
    if len(days) < min_history:
        return None
    baseline = _Days.of(signal, days, kato, calendar)
    now = _Days.of(signal, [*_days(history, first, today.day), today], kato, calendar)
    if signal in RATE_SIGNALS:
        fit = _fit(baseline.counts, baseline.exposures * baseline.multipliers, None, PRIOR_EVENTS / PRIOR_RATE)
        bases = now.exposures * now.multipliers
    else:
        fit = _fit(baseline.counts, baseline.multipliers, baseline.classes, PRIOR_DAYS)
        bases = np.array(fit.weekday)[now.classes] * now.multipliers
    factors = _factors(signal, fit, now, today, kato, calendar)
    persistent = _persistent(fit, baseline.days, now.days) if span > 1 else 0.0
    return _surprise(signal, today.day, int(now.counts.sum()), factors, fit, fit.rate * bases, now.classes,
                     persistent, len(days))


@dataclass(frozen=True)
class _Days:
    """Days as arrays: counts, exposures (nan where none), calendar multipliers, weekday classes."""

    days: tuple[date, ...]
    counts: np.ndarray
    exposures: np.ndarray
    multipliers: np.ndarray
    classes: np.ndarray

    @classmethod
    def of(cls, signal: str, days: Sequence[DayCount], kato: str | None, calendar: bool) -> _Days:
        """The arrays of ``days``; ValueError for a negative count or a rate signal's day without
        its exposure."""
        terms = [_day_terms(signal, d.day, kato, calendar) for d in days]
        counts = np.array([d.count for d in days], dtype=float)
        exposures = np.array([d.exposure for d in days], dtype=float)  # None becomes nan
        if counts.min(initial=0) < 0:
            raise ValueError("counts must not be negative")
        if signal in RATE_SIGNALS and np.isnan(exposures).any():
            raise ValueError(f"{signal} is a rate: every day needs its exposure")
        return cls(tuple(d.day for d in days), counts, exposures,
                   np.array([t[0] for t in terms]), np.array([t[1] for t in terms], dtype=int))


def _factors(signal: str, fit: _Fit, now: _Days, today: DayCount, kato: str | None,
             calendar: bool) -> dict[str, float]:
    """The multipliers whose product is the expected count: for one day the rate (or level),
    the exposure (or weekday factor) and each calendar kind; for several days the sums and
    means of the days' terms (the calendar as one mean multiplier)."""
    if len(now.days) == 1:
        kinds = calendar_factors(signal, today.day, kato) if calendar else {}
        if signal in RATE_SIGNALS:
            return {"rate": fit.rate, "exposure": float(today.exposure), **kinds}
        return {"level": fit.rate, "weekday": fit.weekday[int(now.classes[0])], **kinds}
    weights = now.exposures if signal in RATE_SIGNALS else np.array(fit.weekday)[now.classes]
    total = float(weights.sum())
    mean_calendar = float((weights * now.multipliers).sum()) / total if total > 0 else 1.0
    if signal in RATE_SIGNALS:
        return {"rate": fit.rate, "exposure": total, "calendar": mean_calendar}
    return {"level": fit.rate, "days": float(len(now.days)), "weekday": total / len(now.days),
            "calendar": mean_calendar}


def upper_tail(observed: int, mean: float, size: float) -> float:
    """P(Y >= observed) for Y negative binomial with ``mean`` and ``size`` k (inf: Poisson), the
    same as scipy.stats.nbinom.sf(observed - 1, k, k / (k + mean))."""
    if observed <= 0:
        return 1.0
    if math.isinf(size):
        return float(special.gammainc(observed, mean))
    return float(special.betainc(observed, size, mean / (size + mean)))


def _surprise(signal: str, day: date, observed: int, factors: dict[str, float], fit: _Fit,
              means: np.ndarray, classes: np.ndarray, persistent: float, n: int) -> Surprise:
    """The observed count against the product of ``factors`` (the sum of the tested days'
    ``means``), under a negative binomial whose 1/k adds to the days' over-dispersion the
    baseline's own squared coefficient of variation (a Gamma-Poisson mixture: exact when the
    days are Poisson and the baseline a Gamma posterior). Of the days' 1/k, the ``persistent``
    part (a level that stays off for a week) does not average out over several days."""
    mean = math.prod(factors.values())
    total = float(means.sum())
    weekday_sums = np.bincount(classes, weights=means, minlength=7)
    daily = max(fit.inv_k - persistent, 0.0)
    spread = (daily * float((means * means).sum()) + persistent * total ** 2
              + float((weekday_sums ** 2 * np.array(fit.weekday_cv2)).sum())) / total ** 2 if total > 0 else 0.0
    size = 1.0 / (spread + fit.rate_cv2)
    if mean <= 0:
        return Surprise(signal, day, observed, 0.0, size, 1.0, 0.0, factors, n)
    z = (observed - mean) / math.sqrt(mean + mean * mean / size)
    return Surprise(signal, day, observed, mean, size, upper_tail(observed, mean, size), z, factors, n)


def _persistent(fit: _Fit, days: tuple[date, ...], tested: tuple[date, ...]) -> float:
    """The part of 1/k that persists over a week (a level drifting away from the baseline).

    The method of moments on the residuals summed over the baseline's weeks, against the same on
    single days, gives the variance of a week's level about the baseline; the tested days lie
    further from the baseline's middle than its weeks do, and a drift grows with the distance,
    so it is scaled by that ratio, then raised by a one-standard-error margin.
    """
    ordinals = np.array([day.toordinal() for day in days], dtype=float)
    weeks = ((ordinals.max() - ordinals) // 7).astype(int)
    residual, mean = fit.kept - fit.mean, fit.mean
    single = float((mean * mean).sum())
    weekly_means = np.bincount(weeks, weights=mean)
    together = float((weekly_means ** 2).sum())
    if together <= single or single <= 0:
        return 0.0
    weekly_excess = float((np.bincount(weeks, weights=residual) ** 2).sum() - mean.sum())
    daily_excess = float((residual * residual).sum() - mean.sum())
    persistent = max((weekly_excess - daily_excess) / (together - single), 0.0)
    middle = ordinals.mean()
    week_middles = np.bincount(weeks, weights=ordinals) / np.maximum(np.bincount(weeks), 1)
    reach = abs(np.mean([day.toordinal() for day in tested]) - middle) / max(np.abs(week_middles - middle).mean(), 1.0)
    return min(persistent * max(reach, 1.0) * (1 + DISPERSION_MARGIN * math.sqrt(2 / len(weekly_means))), MAX_INV_K)


def _fit(counts: np.ndarray, scale: np.ndarray, classes: np.ndarray | None, prior_base: float) -> _Fit:
    """The rate per unit of ``scale`` (times weekday factors when ``classes`` are given) and 1/k,
    robust to a few wild days.

    A wild day inflates the dispersion it is judged by (masking), so when some day is out of a
    Poisson's reach the days with the TRIM largest residuals are first set to their expected
    value; days surprising against that fit are capped at their (1 − CAP_P) quantile, and the
    fit is repeated on the capped counts until the caps settle (PASSES at most).
    """
    fit = _fit_once(counts, scale, classes, prior_base)
    if not (_tails(counts, fit.mean, 0.0) < CAP_P).any():
        return _finish(fit, counts, scale, classes)
    residual = (counts - fit.mean) / np.sqrt(np.maximum(fit.mean, 1e-9))
    trimmed = counts.copy()
    wildest = np.argsort(residual)[-TRIM:]
    trimmed[wildest] = np.minimum(counts[wildest], fit.mean[wildest])
    fit = _fit_once(trimmed, scale, classes, prior_base)
    kept = _capped(counts, fit.mean, fit.inv_k)
    for _ in range(PASSES):
        fit = _fit_once(kept, scale, classes, prior_base)
        capped = _capped(counts, fit.mean, fit.inv_k)
        if np.array_equal(capped, kept):
            break
        kept = capped
    return _finish(fit, kept, scale, classes)


def _fit_once(counts: np.ndarray, scale: np.ndarray, classes: np.ndarray | None, prior_base: float) -> _Pass:
    """One fit: weekday factors (level signals), the rate with its prior, the days' means, 1/k."""
    weekday = _weekday_factors(counts, scale, classes) if classes is not None else np.ones(7)
    base = scale * weekday[classes] if classes is not None else scale
    events, base_sum = float(counts.sum()) + PRIOR_EVENTS, float(base.sum()) + prior_base
    mean = base * (events / base_sum)
    inv_k = _dispersion(counts, mean, 8 if classes is not None else 1)
    return _Pass(events / base_sum, inv_k, events, base_sum, base, mean, weekday)


def _finish(fit: _Pass, kept: np.ndarray, scale: np.ndarray, classes: np.ndarray | None) -> _Fit:
    """The final fit with the squared coefficients of variation of its estimates."""
    rate_cv2 = 1.0 / fit.events + fit.inv_k * float((fit.base * fit.base).sum()) / fit.base_sum ** 2
    weekday_cv2 = _weekday_cv2(kept, scale, classes, fit.inv_k) if classes is not None else (0.0,) * 7
    return _Fit(fit.rate, fit.inv_k, rate_cv2, tuple(fit.weekday.tolist()), weekday_cv2, kept, fit.mean)


def _weekday_factors(counts: np.ndarray, scale: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """Seven weekday factors averaging 1 over the days, each shrunk by WEEKDAY_PRIOR_EVENTS
    pseudo-events toward its group's (working days, rest days), itself shrunk toward 1."""
    adjusted = counts / scale
    per_day = adjusted.sum() / len(adjusted)
    sums = np.bincount(classes, weights=adjusted, minlength=7)
    days = np.bincount(classes, minlength=7)
    group_sums = np.bincount(WEEKDAY_GROUP, weights=sums)
    group_days = np.bincount(WEEKDAY_GROUP, weights=days)
    prior = ((group_sums + WEEKDAY_PRIOR_EVENTS) / (group_days * per_day + WEEKDAY_PRIOR_EVENTS))
    factors = (sums + WEEKDAY_PRIOR_EVENTS * prior[WEEKDAY_GROUP]) / (days * per_day + WEEKDAY_PRIOR_EVENTS)
    return factors * (len(classes) / factors[classes].sum())


def _weekday_cv2(counts: np.ndarray, scale: np.ndarray, classes: np.ndarray, inv_k: float) -> tuple[float, ...]:
    """The squared coefficient of variation of each weekday factor: from its days' events (and
    the shrinkage's pseudo-events) and their over-dispersion."""
    sums = np.bincount(classes, weights=counts / scale, minlength=7)
    days = np.maximum(np.bincount(classes, minlength=7), 1)
    return tuple(((1 + inv_k * sums / days) / (sums + WEEKDAY_PRIOR_EVENTS)).tolist())


def _dispersion(counts: np.ndarray, mean: np.ndarray, parameters: int) -> float:
    """1/k of a negative binomial by the method of moments on the days' residuals (``parameters``
    fitted), plus DISPERSION_MARGIN standard errors of that estimate, clamped to [0, MAX_INV_K];
    0 (Poisson) when the days vary no more than a Poisson would."""
    n = len(counts)
    squares = float((mean * mean).sum())
    if n <= parameters or squares <= 0:
        return 0.0
    excess = float(((counts - mean) ** 2 * n / (n - parameters) - mean).sum()) / squares
    inv_k = max(excess, 0.0)
    # The moment estimate is noisy (its sd about sqrt(2/n)·(1/mean + 1/k)); erring low would
    # understate every tail, so it is raised by a margin.
    inv_k += DISPERSION_MARGIN * math.sqrt(2 / n) * (n / float(mean.sum()) + inv_k)
    return 0.0 if inv_k < POISSON_INV_K else min(inv_k, MAX_INV_K)


def _capped(counts: np.ndarray, mean: np.ndarray, inv_k: float) -> np.ndarray:
    """The counts, each day more surprising than CAP_P cut to its (1 − CAP_P) quantile."""
    wild = _tails(counts, mean, inv_k) < CAP_P
    if not wild.any():
        return counts
    capped = counts.copy()
    if inv_k == 0:
        capped[wild] = stats.poisson.ppf(1 - CAP_P, mean[wild])
    else:
        size = 1.0 / inv_k
        capped[wild] = stats.nbinom.ppf(1 - CAP_P, size, size / (size + mean[wild]))
    return capped


def _tails(observed: np.ndarray, mean: np.ndarray, inv_k: float) -> np.ndarray:
    """upper_tail over arrays of counts and means sharing one 1/k."""
    at_least_one = np.maximum(observed, 1.0)  # P(Y >= 0) = 1, and the functions want a > 0
    if inv_k == 0:
        tail = special.gammainc(at_least_one, mean)
    else:
        size = 1.0 / inv_k
        tail = special.betainc(at_least_one, size, mean / (size + mean))
    return np.where(observed > 0, tail, 1.0)


def _days(history: Sequence[DayCount], start: date, end: date) -> list[DayCount]:
    """The history's days in [start, end), each day at most once."""
    days = [d for d in history if start <= d.day < end]
    if len({d.day for d in days}) != len(days):
        raise ValueError("history holds a day twice")
    return days


def _check_signal(signal: str) -> None:
    """ValueError naming the signals for an unknown one."""
    if signal not in SIGNALS:
        raise ValueError(f"unknown signal {signal!r}: choose one of {', '.join(SIGNALS)}")


@lru_cache(maxsize=65536)
def _day_terms(signal: str, day: date, kato: str | None, calendar: bool) -> tuple[float, int]:
    """A day's calendar multiplier for ``signal`` and its weekday class (a holiday is a Sunday)."""
    if not calendar:
        return 1.0, day.weekday()
    multiplier = math.prod(calendar_factors(signal, day, kato).values())
    return multiplier, 6 if calendar_day(day).holidays else day.weekday()
