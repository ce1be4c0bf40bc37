"""Measure the attitude model on RuEthnoHate by cross-validation and print the figures as Markdown.

Five folds split by ``text_id`` (GroupKFold: no text in both train and test). Compared side by
side: the majority class, the model with ethnonyms masked (the shipped one) and without masking.
Also: training time and the shipped model's prediction speed (pairs per second, one core).
Run: ``.venv/bin/python eval/attitude.py [--data ../shared/data] [--folds 5] [--no-unmasked]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from kelisim.understanding import training as TRAIN
from kelisim.understanding.attitude import AttitudeModel
from kelisim.understanding.features import Config, strip_html

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
LABELS = TRAIN.LABELS
_SPEED_PAIRS = 300
figures = TRAIN.figures


def load(data: Path = DATA) -> list[dict]:
    """The RuEthnoHate records under a shared data folder."""
    return TRAIN.load_records(TRAIN.data_path(data))


def fingerprint(data: Path = DATA) -> str:
    """SHA-256 of the RuEthnoHate file."""
    return TRAIN.fingerprint(TRAIN.data_path(data))


def _model(records: list[dict], y: np.ndarray, groups: np.ndarray, folds: int, mask: bool) -> dict:
    started = time.perf_counter()
    x = TRAIN.matrix(TRAIN.pairs_of(records), Config(mask=mask))
    featurised = time.perf_counter()
    predicted = TRAIN.cross_validate(x, y, groups, folds)
    done = time.perf_counter()
    result = figures(y, predicted)
    result["features_s"] = round(featurised - started, 1)
    result["cv_fit_s"] = round(done - featurised, 1)
    return result


def speed(records: list[dict], n: int = _SPEED_PAIRS) -> float:
    """Pairs per second of the shipped model's predict on real texts (one core)."""
    model = AttitudeModel.load()
    pairs = [(strip_html(r["text"])[0], r["ethnic_group"]) for r in records[:n]]
    model.predict(*pairs[0])
    started = time.perf_counter()
    model.predict_many(pairs)
    return round(len(pairs) / (time.perf_counter() - started), 1)


def evaluate(records: list[dict], folds: int = TRAIN.FOLDS, unmasked: bool = True) -> dict:
    """Cross-validated figures of the baseline, the masked model and (optionally) the unmasked one."""
    y, groups, _weights = TRAIN.arrays(TRAIN.pairs_of(records))
    majority = int(np.bincount(y + 1).argmax()) - 1
    result = {"n": len(records), "texts": len(set(groups.tolist())), "folds": folds,
              "baseline": figures(y, np.full_like(y, majority)),
              "masked": _model(records, y, groups, folds, True)}
    if unmasked:
        result["unmasked"] = _model(records, y, groups, folds, False)
    result["pairs_per_s"] = speed(records)
    return result


def markdown(result: dict) -> str:
    """The figures as Markdown tables."""
    names = [name for name in ("baseline", "masked", "unmasked") if name in result]
    lines = [f"RuEthnoHate dev: {result['n']} pairs, {result['texts']} texts, "
             f"{result['folds']}-fold CV split by text_id.", "",
             "| model | macro-F1 | " + " | ".join(f"{c} P / R / F1" for c in ("−1", "0", "+1")) + " |",
             "|---|---|---|---|---|"]
    for name in names:
        r = result[name]
        cells = [f"{r['per_class'][str(c)]['precision']:.3f} / {r['per_class'][str(c)]['recall']:.3f} / "
                 f"{r['per_class'][str(c)]['f1']:.3f}" for c in LABELS]
        lines.append(f"| {name} | {r['macro_f1']:.3f} | " + " | ".join(cells) + " |")
    for name in names[1:]:
        r = result[name]
        lines += ["", f"Confusion ({name}; rows truth −1/0/+1, columns predicted): {r['confusion']}; "
                      f"features {r['features_s']} s, {result['folds']} fits {r['cv_fit_s']} s."]
    lines += ["", f"Shipped model speed: {result['pairs_per_s']} pairs/s (one core, texts of ~400 chars)."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=TRAIN.FOLDS)
    parser.add_argument("--no-unmasked", action="store_true")
    args = parser.parse_args(argv)
    print(markdown(evaluate(load(args.data), args.folds, not args.no_unmasked)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
