"""Training the attitude model: from RuEthnoHate, plus analysts' corrections when there are any.

Logistic regression (one-vs-rest, trained by SGD with log loss: ten times faster than lbfgs for
the same cross-validated macro-F1 within 0.002) over the features of
:mod:`kelisim.understanding.features` (ethnonyms masked), one binary model per class with class
weights balanced so that the class counts as much as the rest. Each class's model sees the hashed
columns scaled by their naive-Bayes log-count ratio for that class (NB-SVM, Wang & Manning 2012);
the ratios are folded into the written coefficients, so prediction is unchanged: one dot product
per class. Only numpy arrays are written: the coefficients (float16),
intercepts, class labels, the feature configuration, the data's SHA-256, the training date and
the cross-validated figures (folds split by text, so no text is in both train and test). The
training data are never copied into the model.

scikit-learn and scipy are imported here only: reading documents needs numpy alone.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from kelisim.understanding.features import BITS, Config, strip_html, vector, width

LABELS = (-1, 0, 1)
ALPHA = 3e-5  # chosen by 5-fold CV among 1e-5, 3e-5, 1e-4 (docs/attitude.md)
EPOCHS = 50
NB_SMOOTHING = 0.03  # added to each hashed column's class sums; 5-fold CV among 0.01, 0.03, 0.1, 1
FOLDS = 5
CORRECTION_WEIGHT = 5.0  # an analyst's correction is in-domain and rare: it counts as five pairs


class TrainingDataError(ValueError):
    """The training data are missing or malformed."""


@dataclass(frozen=True)
class Pair:
    """One training pair: a text, the group, the attitude, the fold key (pairs of one text share
    it and stay in one fold: RuEthnoHate's ``text_id``, minus the document id for a
    correction), the group's mention spans when known, and the sample weight."""

    text: str
    group: str
    label: int
    fold: int
    mentions: tuple[tuple[int, int], ...] = ()
    weight: float = 1.0


def data_path(data: Path) -> Path:
    """The RuEthnoHate file under a shared data folder."""
    return Path(data) / "ruethnohate" / "dev.jsonl"


def fingerprint(path: Path) -> str:
    """SHA-256 of a data file: a model records which data it was trained on."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def load_records(path: Path) -> list[dict]:
    """The raw RuEthnoHate records (text, ethnic_group, class, text_id), in file order."""
    path = Path(path)
    if not path.is_file():
        raise TrainingDataError(f"no training data at {path}: give the folder that holds "
                                "ruethnohate/dev.jsonl (docs/attitude.md)")
    records = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                _ = record["text"], record["ethnic_group"], int(record["class"]), int(record["text_id"])
            except (ValueError, KeyError, TypeError) as error:
                raise TrainingDataError(f"{path}:{number}: not a RuEthnoHate record ({error})") from error
            records.append(record)
    if not records:
        raise TrainingDataError(f"{path} holds no records")
    return records


def pairs_of(records: Sequence[dict]) -> list[Pair]:
    """RuEthnoHate records as pairs (HTML remnants stripped: ``<b>`` marks one mention, often
    not the target's, and is not used)."""
    return [Pair(strip_html(r["text"])[0], r["ethnic_group"], int(r["class"]), int(r["text_id"]))
            for r in records]


def matrix(pairs: Sequence[Pair], config: Config = Config()) -> sparse.csr_matrix:
    """The feature matrix of the pairs (hashed columns, then the dense embedding columns)."""
    rows, cols, vals = [], [], []
    for i, pair in enumerate(pairs):
        columns, values = vector(pair.text, pair.group, list(pair.mentions) or None, config)
        rows.append(np.full(len(columns), i))
        cols.append(columns)
        vals.append(values)
    return sparse.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                             shape=(len(pairs), width(config)))


class OneVsRest:
    """A fitted one-vs-rest linear model: ``coef_`` (classes × columns, the NB ratios folded
    in), ``intercept_`` and ``classes_``, as :func:`export` writes them."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray) -> None:
        self.coef_, self.intercept_, self.classes_ = coef, intercept, classes

    def decision_function(self, x: sparse.csr_matrix) -> np.ndarray:
        return np.asarray(x @ self.coef_.T) + self.intercept_

    def predict(self, x: sparse.csr_matrix) -> np.ndarray:
        return self.classes_[np.argmax(self.decision_function(x), axis=1)]


def log_count_ratios(x: sparse.csr_matrix, positive: np.ndarray, weights: np.ndarray,
                     columns: int, smoothing: float = NB_SMOOTHING) -> np.ndarray:
    """The naive-Bayes log-count ratio of each of the first ``columns`` (hashed, non-negative)
    columns for one class against the rest, from the weighted column sums; 1 for the others."""
    hashed = x[:, :columns]
    p = smoothing + np.asarray(hashed.T @ (weights * positive)).ravel()
    q = smoothing + np.asarray(hashed.T @ (weights * ~positive)).ravel()
    return np.concatenate([np.log((p / p.sum()) / (q / q.sum())), np.ones(x.shape[1] - columns)])


def fit(x: sparse.csr_matrix, y: np.ndarray, weights: np.ndarray | None = None,
        alpha: float = ALPHA, smoothing: float = NB_SMOOTHING, hashed: int = 1 << BITS) -> OneVsRest:
    """One balanced binary logistic regression per class, over the features with the first
    ``hashed`` columns scaled by that class's log-count ratios; deterministic (fixed seed, fixed
    number of epochs). Averaged SGD: plain SGD's cross-validated macro-F1 moved by ±0.004 with
    the shuffling seed (0.630, 0.625, 0.622), enough to hide what one added correction does;
    averaged, ±0.001."""
    weights = np.ones(x.shape[0]) if weights is None else np.asarray(weights, dtype=np.float64)
    classes = np.unique(y)
    coef, intercept = [], []
    for label in classes:
        positive = y == label
        ratios = log_count_ratios(x, positive, weights, hashed, smoothing)
        model = SGDClassifier(loss="log_loss", alpha=alpha, class_weight="balanced", max_iter=EPOCHS,
                              tol=1e-4, random_state=0, average=True)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # 50 epochs are enough: CV says so
            model.fit((x @ sparse.diags(ratios)).tocsr(), positive.astype(np.int64), sample_weight=weights)
        coef.append(model.coef_[0] * ratios)
        intercept.append(model.intercept_[0])
    return OneVsRest(np.array(coef), np.array(intercept), classes)


def cross_validate(x: sparse.csr_matrix, y: np.ndarray, groups: np.ndarray, folds: int = FOLDS,
                   alpha: float = ALPHA, extra: tuple[sparse.csr_matrix, np.ndarray, np.ndarray] | None = None,
                   weights: np.ndarray | None = None) -> np.ndarray:
    """Out-of-fold predictions, folds split by text; ``weights`` of the rows (default 1).
    ``extra`` (features, labels, weights) are added to every training fold and never tested on."""
    predicted = np.zeros_like(y)
    weights = np.ones(len(y)) if weights is None else weights
    for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
        x_train, y_train, w_train = x[train], y[train], weights[train]
        if extra is not None:
            x_train = sparse.vstack([x_train, extra[0]]).tocsr()
            y_train = np.concatenate([y_train, extra[1]])
            w_train = np.concatenate([w_train, extra[2]])
        predicted[test] = fit(x_train, y_train, w_train, alpha).predict(x[test])
    return predicted


def figures(y: np.ndarray, predicted: np.ndarray) -> dict:
    """Macro-F1, per-class precision, recall and F1, and the confusion matrix (rows: truth)."""
    p, r, f, n = precision_recall_fscore_support(y, predicted, labels=list(LABELS), zero_division=0)
    return {
        "n": int(len(y)),
        "macro_f1": round(float(f1_score(y, predicted, labels=list(LABELS), average="macro",
                                         zero_division=0)), 4),
        "accuracy": round(float(np.mean(y == predicted)), 4) if len(y) else 0.0,
        "per_class": {str(label): {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                                   "f1": round(float(f[i]), 4), "n": int(n[i])}
                      for i, label in enumerate(LABELS)},
        "confusion": confusion_matrix(y, predicted, labels=list(LABELS)).tolist(),
    }


def arrays(pairs: Sequence[Pair]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Labels, fold keys and weights of the pairs."""
    return (np.array([p.label for p in pairs], dtype=np.int64),
            np.array([p.fold for p in pairs], dtype=np.int64),
            np.array([p.weight for p in pairs], dtype=np.float64))


def export(model: OneVsRest, config: Config, digest: str, cv: dict, out: Path) -> None:
    """Write the model as plain numpy arrays (no pickles), compressed, atomically."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial.npz")
    np.savez_compressed(
        partial,
        coef=model.coef_.astype(np.float16),
        intercept=model.intercept_.astype(np.float32),
        classes=model.classes_.astype(np.int64),
        config=np.array(json.dumps(dataclasses.asdict(config), sort_keys=True)),
        data_sha256=np.array(digest),
        trained=np.array(datetime.date.today().isoformat()),
        cv=np.array(json.dumps(cv, sort_keys=True)),
    )
    os.replace(partial, out)


def train(pairs: Sequence[Pair], digest: str, out: Path, folds: int = FOLDS, cv: bool = True,
          config: Config = Config()) -> dict:
    """Fit on every pair, write the model to ``out`` and return its cross-validated figures
    (``cv=False`` skips them)."""
    x = matrix(pairs, config)
    y, groups, weights = arrays(pairs)
    found = figures(y, cross_validate(x, y, groups, folds)) if cv else {}
    return fit_and_export(x, y, weights, digest, found, out, folds, config)


def fit_and_export(x: sparse.csr_matrix, y: np.ndarray, weights: np.ndarray, digest: str,
                   measured: dict, out: Path, folds: int = FOLDS, config: Config = Config()) -> dict:
    """Fit on every row and write the model with the training settings and the figures
    ``measured`` for it; returns what was recorded."""
    found = {"folds": folds, "alpha": ALPHA, "epochs": EPOCHS, "nb_smoothing": NB_SMOOTHING, **measured}
    export(fit(x, y, weights), config, digest, found, out)
    return found
