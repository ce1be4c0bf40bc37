"""Measure the expected baseline and the surprise test (kelisim.warning.baseline) on simulated
counts, and print the figures as Markdown.

A simulation, not real data: every unit of the shipped gazetteer (the 20 regions and their 209
districts) gets a media volume (three big cities, regions of tens of documents a day, districts
of a few), a conflict and a hostile rate per document, an attention level, and a
negative-binomial size per signal (k from 1.5 to 30). Days follow a weekly rhythm (a public
holiday is a Sunday), the calendar effects of ``calendar_effects.tsv`` (so the calendar is right
by construction), and a slow random drift of volume, rates and level (an AR(1) in logs, sd 15%).

- Null: every unit-day-signal of 2023-2024 tested causally with a 56-day window ("on"). False
  alarms per 1,000 tests and per month for all 229 units, at each sensitivity, next to the
  nominal alpha. On a subset (the regions and every fifth district) the same data with the
  calendar ignored ("off"), with over-dispersion ignored ("poisson"), and the 7-day-sum test
  ("week", ``span=7``); and how far the expected value is from the true mean, by kind of day.
- Anniversaries: replicates of the Kordai district and the Zhambyl region tested on 7-8
  February, calendar on and off.
- Power: a district's (or region's) conflict or hostile rate rising linearly to ×2, ×4, ×8 over
  10 days, then held 10 days: the share detected and the median delay, daily and weekly test.

Run: ``.venv/bin/python eval/baseline.py [--episodes 200] [--workers N] [--seed S] [--districts N]``.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from kelisim.places.gazetteer import Gazetteer
from kelisim.warning import baseline
from kelisim.warning.baseline import (
    RATE_SIGNALS,
    SENSITIVITY,
    SIGNALS,
    DayCount,
    alpha,
    expected,
    false_alarms_per_month,
    is_spike,
)
from kelisim.warning.calendar import calendar_day, calendar_factors

START, END, WARM = date(2023, 1, 1), date(2024, 12, 31), 56
WEEKDAY = np.array([1.1, 1.1, 1.1, 1.1, 1.0, 0.6, 0.5])   # Monday … Sunday; holidays are Sundays
CITIES = {"750000000": 300.0, "710000000": 250.0, "790000000": 100.0}   # Almaty, Astana, Shymkent
RAMPS, RAMP_DAYS, HOLD_DAYS, WEEK = (2, 4, 8), 10, 10, 7
ANNIVERSARY_UNITS = ("314800000", "310000000")   # the Kordai district, the Zhambyl region
SUBSET_MODES = ("off", "poisson", "week")
MODES = ("on", "on (subset)", *SUBSET_MODES)
DAY_TYPES = ("ordinary", "holiday", "election", "anniversary")
NULL_HEADER = ("| mode | sensitivity | alpha ×1000 | false alarms /1,000 tests | regions | districts | "
               "cities | per month (these units) | nominal per month |")
POWER_HEADER = ("| level | signal | ×rate | usual count a day | test | sensitivity | episodes | "
                "found in 10 days | in 20 days | median delay |")


@dataclass(frozen=True)
class Unit:
    """A simulated unit: its volume a day, rates per document, attention level and NB sizes."""

    kato: str
    level: str
    volume: float
    rate: dict[str, float]
    attention: float
    size: dict[str, float]


def draw_unit(kato: str, level: str, rng: np.random.Generator) -> Unit:
    """A unit with media volume like real outlets' coverage: cities big, districts small."""
    if kato in CITIES:
        volume = CITIES[kato]
    elif level == "region":
        volume = float(rng.lognormal(math.log(60), 0.5))
    else:
        volume = float(np.clip(rng.lognormal(math.log(5), 0.9), 0.3, 80))
    rate = {"conflict": float(rng.lognormal(math.log(0.03), 0.4)),
            "hostile": float(rng.lognormal(math.log(0.015), 0.5))}
    size = {signal: float(math.exp(rng.uniform(math.log(1.5), math.log(30)))) for signal in SIGNALS}
    attention = volume * float(rng.lognormal(math.log(0.08), 0.4))
    return Unit(kato, "city" if kato in CITIES else level, volume, rate, attention, size)


def day_type(day: date, kato: str) -> str:
    """ordinary, holiday, election or anniversary (of an incident in the unit), the last first."""
    cal = calendar_day(day)
    if any(kind.startswith("anniversary:") for kind in cal.kinds(kato)):
        return "anniversary"
    return "election" if cal.elections else "holiday" if cal.holidays else "ordinary"


def drift(n: int, rng: np.random.Generator) -> np.ndarray:
    """A slow multiplicative drift: exp of an AR(1) with phi 0.98 and stationary sd 0.15."""
    phi, sd = 0.98, 0.15
    steps = rng.normal(0.0, sd * math.sqrt(1 - phi * phi), n)
    values = np.empty(n)
    values[0] = rng.normal(0.0, sd)
    for i in range(1, n):
        values[i] = phi * values[i - 1] + steps[i]
    return np.exp(values)


def nb(mean: np.ndarray, size: float, rng: np.random.Generator) -> np.ndarray:
    """Negative-binomial draws of the given means and size."""
    return rng.negative_binomial(size, size / (size + np.asarray(mean, dtype=float)))


def simulate(unit: Unit, days: list[date], rng: np.random.Generator, ramp: tuple[str, np.ndarray] | None = None,
             ) -> tuple[dict[str, list[DayCount]], dict[str, np.ndarray]]:
    """Counts of every signal on ``days`` and their true means; ``ramp`` = (signal, multiplier
    per day) plants a rise."""
    classes = np.array([6 if calendar_day(day).holidays else day.weekday() for day in days])
    exposure = nb(unit.volume * WEEKDAY[classes] * drift(len(days), rng), 30.0, rng)
    series, truth = {}, {}
    for signal in SIGNALS:
        calendar = np.array([math.prod(calendar_factors(signal, day, unit.kato).values()) for day in days])
        planted = ramp[1] if ramp and ramp[0] == signal else 1.0
        if signal in RATE_SIGNALS:
            truth[signal] = unit.rate[signal] * exposure * calendar * drift(len(days), rng) * planted
            counts = nb(truth[signal], unit.size[signal], rng)
            series[signal] = [DayCount(d, int(c), float(e)) for d, c, e in zip(days, counts, exposure)]
        else:
            truth[signal] = unit.attention * WEEKDAY[classes] * calendar * drift(len(days), rng)
            counts = nb(truth[signal], unit.size[signal], rng)
            series[signal] = [DayCount(d, int(c)) for d, c in zip(days, counts)]
    return series, truth


@contextmanager
def poisson_only():
    """Within the block the baseline ignores over-dispersion (the "Poisson" ablation)."""
    saved = baseline.MAX_INV_K
    baseline.MAX_INV_K = 0.0
    try:
        yield
    finally:
        baseline.MAX_INV_K = saved


def surprise(signal: str, series: list[DayCount], i: int, kato: str, mode: str):
    """The surprise of day ``i`` from the WARM days before it, in an evaluation mode."""
    if mode == "poisson":
        with poisson_only():
            return expected(signal, series[i - WARM:i], series[i], kato)
    return expected(signal, series[i - WARM:i], series[i], kato, calendar=mode != "off",
                    span=WEEK if mode == "week" else 1)


def null_unit(job: tuple[int, str, str, int, tuple[str, ...]]) -> Counter:
    """Tests, false alarms and |log(expected / true mean)| of one simulated unit under the null:
    a Counter keyed by (mode, level, signal, day type, "tests", "log_error", "scored" or a
    sensitivity)."""
    index, kato, level, seed, modes = job
    rng = np.random.default_rng([seed, index])
    unit = draw_unit(kato, level, rng)
    days = [START - timedelta(days=WARM) + timedelta(days=i) for i in range((END - START).days + 1 + WARM)]
    (series, truth), tally = simulate(unit, days, rng), Counter()
    for signal in SIGNALS:
        for i in range(WARM, len(days)):
            kind = day_type(days[i], kato)
            for mode in modes:
                found = surprise(signal, series[signal], i, kato, mode)
                # The subset's "on" is kept apart too, so that the ablations compare like with like.
                for tag in (mode, "on (subset)") if mode == "on" and "off" in modes else (mode,):
                    score(tally, (tag, unit.level, signal, kind), found, truth[signal][i])
    return tally


def score(tally: Counter, key: tuple, found, truth: float) -> None:
    """Count one test: its alarms at each sensitivity and how far its expected value is from the
    truth (``log_error`` summed over ``scored`` tests)."""
    tally[(*key, "tests")] += 1
    for name in SENSITIVITY:
        tally[(*key, name)] += is_spike(found, name)
    if found.expected > 0 and truth > 0:
        tally[(*key, "log_error")] += abs(math.log(found.expected / truth))
        tally[(*key, "scored")] += 1


def anniversary_unit(job: tuple[int, str, int]) -> Counter:
    """Tests and false alarms on 7-8 February 2023 and 2024 of one replicate of an anniversary
    unit, calendar on and off."""
    index, kato, seed = job
    rng = np.random.default_rng([seed, 7, index])
    unit = draw_unit(kato, "region" if kato.endswith("0000000") else "district", rng)
    tally = Counter()
    for year in (2023, 2024):
        days = [date(year, 2, 9) - timedelta(days=WARM + 2) + timedelta(days=i) for i in range(WARM + 2)]
        series, _ = simulate(unit, days, rng)
        for signal in SIGNALS:
            for i in (WARM, WARM + 1):
                for mode in ("on", "off"):
                    found = surprise(signal, series[signal], i, kato, mode)
                    tally[(mode, unit.level, signal, "tests")] += 1
                    for name in SENSITIVITY:
                        tally[(mode, unit.level, signal, name)] += is_spike(found, name)
    return tally


def ramp_episode(job: tuple[int, str, str, str, int, int]) -> dict:
    """One planted rise: for the daily and the weekly test, the first day (1 = first day of the
    ramp) each sensitivity flags it."""
    index, kato, level, signal, factor, seed = job
    rng = np.random.default_rng([seed, factor, SIGNALS.index(signal), index])
    unit = draw_unit(kato, level, rng)
    first = START + timedelta(days=int(rng.integers(0, (END - START).days - RAMP_DAYS - HOLD_DAYS)))
    days = [first - timedelta(days=WARM) + timedelta(days=i) for i in range(WARM + RAMP_DAYS + HOLD_DAYS)]
    steps = np.arange(1, RAMP_DAYS + HOLD_DAYS + 1)
    planted = np.concatenate([np.ones(WARM), 1 + (factor - 1) * np.minimum(steps, RAMP_DAYS) / RAMP_DAYS])
    series = simulate(unit, days, rng, (signal, planted))[0][signal]
    delays: dict[tuple[str, str], int | None] = {(t, n): None for t in ("day", "week") for n in SENSITIVITY}
    for i in range(WARM, len(days)):
        for test, mode in (("day", "on"), ("week", "week")):
            found = surprise(signal, series, i, kato, mode)
            for name in SENSITIVITY:
                if delays[(test, name)] is None and is_spike(found, name):
                    delays[(test, name)] = i - WARM + 1
    return {"level": unit.level, "signal": signal, "factor": factor,
            "base": unit.rate[signal] * unit.volume, "delays": delays}


def units_of(gazetteer: Gazetteer, districts: int | None) -> list[tuple[str, str]]:
    """(KATO, level) of the 20 regions and their districts (the first ``districts`` if given)."""
    found = [(place.code, "region") for place in gazetteer.regions()]
    all_districts = [(place.code, "district") for place in gazetteer if place.level == "district"]
    return found + all_districts[:districts]


def run(function, jobs: list, workers: int) -> list:
    """``function`` over ``jobs``, in worker processes when ``workers`` > 1."""
    if workers <= 1:
        return [function(job) for job in jobs]
    with ProcessPoolExecutor(workers) as pool:
        return list(pool.map(function, jobs, chunksize=max(1, len(jobs) // (workers * 8))))


def evaluate(episodes: int = 200, workers: int = 1, seed: int = 20260501, districts: int | None = None,
             replicates: int = 300) -> dict:
    """Every figure: false alarms under the null (the calendar on for every unit; the ablations
    and the weekly test on the regions and every fifth district), how far the expected value is
    from the truth, false alarms on anniversaries, and the power against planted rises."""
    units = units_of(Gazetteer.load(), districts)
    subset = [i for i, (_, level) in enumerate(units) if level == "region" or i % 5 == 0]
    jobs = [(i, kato, level, seed, ("on", *SUBSET_MODES) if i in subset else ("on",))
            for i, (kato, level) in enumerate(units)]
    null = sum(run(null_unit, jobs, workers), Counter())
    anniversaries = sum(run(anniversary_unit, [(i, kato, seed) for kato in ANNIVERSARY_UNITS
                                               for i in range(replicates)], workers), Counter())
    pool = {lvl: [k for k, l in units if l == lvl and k not in CITIES] for lvl in ("district", "region")}
    jobs = [(i, pool[lvl][i % len(pool[lvl])], lvl, signal, factor, seed) for lvl in ("district", "region")
            for signal in RATE_SIGNALS for factor in RAMPS for i in range(episodes)]
    counts = {"on": len(units), **dict.fromkeys(MODES[1:], len(subset))}
    return {"units": len(units), "subset": len(subset), "days": (END - START).days + 1,
            "null": null_figures(null, counts), "accuracy": accuracy_figures(null),
            "anniversary": anniversary_figures(anniversaries),
            "power": power_figures(run(ramp_episode, jobs, workers))}


def tallied(tally: Counter, key_filter, name: str) -> float:
    """The sum of the tally's ``name`` entries over the keys that pass ``key_filter``."""
    return sum(v for k, v in tally.items() if k[-1] == name and key_filter(k))


def null_figures(tally: Counter, units: dict[str, int]) -> dict:
    """False alarms per 1,000 tests and per month, by mode, sensitivity, level, signal, day type."""
    months = ((END - START).days + 1) / baseline.DAYS_PER_MONTH
    figures = {}
    for mode in [m for m in MODES if m in {k[0] for k in tally}]:
        for name in SENSITIVITY:
            tests = tallied(tally, lambda k, m=mode: k[0] == m, "tests")
            alarms = tallied(tally, lambda k, m=mode: k[0] == m, name)
            row = {"alpha": alpha(name), "tests": tests, "alarms": alarms, "per_1000": 1000 * alarms / tests,
                   "per_month": alarms / months, "nominal_per_month": false_alarms_per_month(name, units[mode])}
            for group, position in (("level", 1), ("signal", 2), ("day", 3)):
                for value in sorted({k[position] for k in tally}):
                    def chosen(k, m=mode, p=position, v=value):
                        return k[0] == m and k[p] == v
                    t = tallied(tally, chosen, "tests")
                    row[f"{group}:{value}"] = 1000 * tallied(tally, chosen, name) / t if t else float("nan")
            figures[f"{mode}/{name}"] = row
    return figures


def accuracy_figures(tally: Counter) -> dict:
    """Mean |log(expected / true mean)| by calendar mode, signal and day type (the subset)."""
    figures = {}
    for mode in ("on (subset)", "off"):
        for signal in SIGNALS:
            for kind in DAY_TYPES:
                def chosen(k, m=mode, s=signal, d=kind):
                    return k[0] == m and k[2] == s and k[3] == d and k[1] != "city"
                scored = tallied(tally, chosen, "scored")
                figures[f"{mode}/{signal}/{kind}"] = (tallied(tally, chosen, "log_error") / scored
                                                      if scored else float("nan"))
    return figures


def anniversary_figures(tally: Counter) -> dict:
    """False alarms per 1,000 tests on anniversary days, calendar on and off, per signal."""
    figures = {}
    for mode in ("on", "off"):
        for name in SENSITIVITY:
            for signal in SIGNALS:
                def chosen(k, m=mode, s=signal):
                    return k[0] == m and k[2] == s
                tests = tallied(tally, chosen, "tests")
                figures[f"{mode}/{name}/{signal}"] = {"tests": tests,
                                                      "per_1000": 1000 * tallied(tally, chosen, name) / tests}
    return figures


def power_figures(results: list[dict]) -> dict:
    """Share detected within the ramp and within ramp + hold, median delay, by level, signal,
    factor, test and sensitivity; for districts also by their usual count a day."""
    figures: dict[tuple, list] = {}
    for result in results:
        groups = [(result["level"], result["signal"], result["factor"], "all")]
        if result["level"] == "district":
            groups.append((result["level"], "both", result["factor"], size_band(result["base"])))
        for group in groups:
            for (test, name), delay in result["delays"].items():
                figures.setdefault((*group, test, name), []).append(delay)
    order = {name: i for i, name in enumerate(SENSITIVITY)}
    keys = sorted(figures, key=lambda k: (k[0], k[1], k[2], k[3], k[4], order[k[5]]))
    return {"/".join(map(str, key)): summary(figures[key]) for key in keys}


def size_band(base: float) -> str:
    """The band of a unit's usual count a day: under 0.2, 0.2 to 1, 1 or more."""
    return "under 0.2" if base < 0.2 else "0.2 to 1" if base < 1 else "1 or more"


def summary(delays: list[int | None]) -> dict:
    """Episodes, share found within the ramp and within ramp + hold, median delay of those found."""
    found = [d for d in delays if d is not None]
    return {"episodes": len(delays), "in_ramp": sum(d <= RAMP_DAYS for d in found) / len(delays),
            "in_20_days": len(found) / len(delays),
            "median_delay": statistics.median(found) if found else None}


def markdown(results: dict) -> str:
    """The figures as Markdown tables."""
    null = results["null"]
    lines = [(f"{results['units']} units, {results['days']} days, 3 signals; off, poisson and week on "
             f"{results['subset']} of them (the regions and every fifth district)\n"),
             NULL_HEADER, "|---|---|---|---|---|---|---|---|---|"]
    for key, row in null.items():
        mode, name = key.split("/")
        cells = [row.get(f"level:{level}", float("nan")) for level in ("region", "district", "city")]
        lines.append(f"| {mode} | {name} | {row['alpha'] * 1000:g} | {row['per_1000']:.3f} | "
                     + " | ".join(f"{c:.3f}" for c in cells)
                     + f" | {row['per_month']:.1f} | {row['nominal_per_month']:.0f} |")
    lines += ["", "False alarms /1,000 tests by signal and kind of day:", "",
              "| mode | sensitivity | " + " | ".join(SIGNALS) + " | " + " | ".join(DAY_TYPES) + " |",
              "|---|---|" + "---|" * (len(SIGNALS) + len(DAY_TYPES))]
    for key, row in null.items():
        cells = [row.get(f"signal:{s}", float("nan")) for s in SIGNALS]
        cells += [row.get(f"day:{d}", float("nan")) for d in DAY_TYPES]
        lines.append(f"| {key.replace('/', ' | ')} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    lines += ["", "Mean |log(expected / true mean)| (regions and districts of the subset):", "",
              "| calendar | signal | " + " | ".join(DAY_TYPES) + " |", "|---|---|" + "---|" * len(DAY_TYPES)]
    for mode in ("on (subset)", "off"):
        for signal in SIGNALS:
            cells = [results["accuracy"][f"{mode}/{signal}/{kind}"] for kind in DAY_TYPES]
            lines.append(f"| {mode} | {signal} | " + " | ".join(f"{c:.3f}" for c in cells) + " |")
    lines += ["", ("Anniversaries (7-8 February, Kordai district and Zhambyl region replicates), "
              "false alarms /1,000 tests:"), "",
              "| calendar | sensitivity | " + " | ".join(SIGNALS) + " |", "|---|---|" + "---|" * len(SIGNALS)]
    for mode in ("on", "off"):
        for name in SENSITIVITY:
            cells = [results["anniversary"][f"{mode}/{name}/{s}"]["per_1000"] for s in SIGNALS]
            lines.append(f"| {mode} | {name} | " + " | ".join(f"{c:.1f}" for c in cells) + " |")
    lines += ["", POWER_HEADER, "|---|---|---|---|---|---|---|---|---|---|"]
    for key, row in results["power"].items():
        level, signal, factor, band, test, name = key.split("/")
        delay = "–" if row["median_delay"] is None else f"{row['median_delay']:g}"
        lines.append(f"| {level} | {signal} | ×{factor} | {band} | {test} | {name} | {row['episodes']} | "
                     f"{row['in_ramp']:.0%} | {row['in_20_days']:.0%} | {delay} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=200, help="planted rises per level, signal and factor")
    parser.add_argument("--replicates", type=int, default=300, help="replicates of each anniversary unit")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=20260501)
    parser.add_argument("--districts", type=int, help="only the first N districts (quicker)")
    args = parser.parse_args(argv)
    print(markdown(evaluate(args.episodes, args.workers, args.seed, args.districts, args.replicates)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
