"""`kelisim train`: retrain the attitude model from its training data plus the analysts'
corrections, and say how the figures changed.

Four figures, each cross-validated with folds split by text so that nothing is tested on what
it was trained on:

- on the training data (RuEthnoHate), before: trained on the data alone;
- on the training data, after: the corrections added to every training fold;
- on the corrections, before: what the model in force says of them now;
- on the corrections, after: folds over the corrected documents, each predicted by a model
  trained on the data and the other corrections.

The rule-based decisions (relevance, event type, hostility, tension label) are not trained; the
report gives how often the machine agreed with the analysts on each, so that a rule that keeps
being corrected shows. The new model is written to the models folder, where every process that
reads documents picks it up; stored documents are then read again (the reader version names
the model).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from kelisim.reading.document import TextView
from kelisim.reading.model import EthnicMention
from kelisim.store.corrections import in_force
from kelisim.understanding import training
from kelisim.understanding.attitude import AttitudeModel, excerpt, forget_loaded, trained_path

Progress = Callable[[str], None]
RULE_FIELDS = ("relevant", "event_type", "hostile", "tension_label")


@dataclass
class TrainReport:
    """What ``kelisim train`` did and measured."""

    data_pairs: int
    corrections: int  # attitude corrections used as training pairs
    data_before: dict  # cross-validated figures on the training data
    data_after: dict
    corrections_before: dict | None  # figures of the model in force on the corrections
    corrections_after: dict | None  # cross-validated over the corrected documents
    agreement: dict[str, tuple[int, int]] = field(default_factory=dict)  # field: (agreed, corrected)
    out: Path | None = None
    skipped: list[str] = field(default_factory=list)  # corrections that could not be used


def retrain(store, data: Path, out: Path | None = None, folds: int = training.FOLDS,
            progress: Progress | None = None) -> TrainReport:
    """Retrain on the data under ``data`` (``ruethnohate/dev.jsonl``) and the store's attitude
    corrections; write the model to ``out`` (default: the models folder) and report."""
    say = progress or (lambda _message: None)
    path = training.data_path(data)
    base = training.pairs_of(training.load_records(path))
    fixes, skipped = correction_pairs(store)
    say(f"{len(base)} training pairs, {len(fixes)} corrected attitudes; computing features")
    x = training.matrix(base)
    y, groups, _ = training.arrays(base)
    fx = training.matrix(fixes) if fixes else None
    fy, fgroups, fweights = training.arrays(fixes)
    say("cross-validating on the training data, before and after")
    before = training.figures(y, training.cross_validate(x, y, groups, folds))
    after = before if fx is None else training.figures(
        y, training.cross_validate(x, y, groups, folds, extra=(fx, fy, fweights)))
    report = TrainReport(len(base), len(fixes), before, after, None, None,
                         agreement=agreement(store), skipped=skipped)
    if fixes:
        say("measuring on the corrections")
        report.corrections_before = training.figures(fy, _predict_in_force(fixes))
        report.corrections_after = _corrections_cv(x, y, fx, fy, fgroups, fweights, folds)
    say("fitting the new model")
    report.out = out or trained_path()
    all_x = x if fx is None else sparse.vstack([x, fx]).tocsr()
    all_y = y if fx is None else np.concatenate([y, fy])
    weights = np.ones(len(y)) if fx is None else np.concatenate([np.ones(len(y)), fweights])
    training.fit_and_export(all_x, all_y, weights, training.fingerprint(path),
                            {**after, "corrections": len(fixes)}, report.out, folds)
    if report.out == trained_path():
        forget_loaded()  # this process reads with the new model from now on
    return report


def correction_pairs(store) -> tuple[list[training.Pair], list[str]]:
    """The attitude corrections in force as training pairs: each document read as the model
    reads it (the excerpt around the group), weighted ``CORRECTION_WEIGHT``."""
    pairs, skipped = [], []
    for item in in_force(store.corrections(field="attitude")):
        reading = store.get_reading(item.document_id)
        if reading is None:
            skipped.append(f"document {item.document_id}: not read, its attitude correction waits")
            continue
        ethnic = _mentions(reading)
        own = [m for m in ethnic if m.group == item.target and m.person]
        if not own:
            skipped.append(f"document {item.document_id}: names no {item.target!r} any more")
            continue
        view = TextView.of(reading["text"], reading["language"])
        text, spans, _found = excerpt(view, own, ethnic)
        pairs.append(training.Pair(text, item.target, int(item.value), -item.document_id,
                                   tuple(spans), training.CORRECTION_WEIGHT))
    return pairs, skipped


def _mentions(reading: dict) -> list[EthnicMention]:
    return [EthnicMention(g["group"], m["start"], m["end"], m["text"], g["kind"], m["slur"], m["person"])
            for g in reading.get("ethnic_groups") or [] for m in g["mentions"]]


def _predict_in_force(pairs: Sequence[training.Pair]) -> np.ndarray:
    model = AttitudeModel.load()
    return np.array([model.predict(p.text, p.group, list(p.mentions))[0] for p in pairs])


def _corrections_cv(x, y, fx, fy, fgroups, fweights, folds: int) -> dict | None:
    """Each corrected document predicted by a model trained on the data and the others."""
    k = min(folds, len(set(fgroups)))
    if k < 2:
        return None  # one corrected document: nothing to hold out against
    predicted = training.cross_validate(fx, fy, fgroups, k, extra=(x, y, np.ones(len(y))),
                                        weights=fweights)
    return training.figures(fy, predicted)


def agreement(store) -> dict[str, tuple[int, int]]:
    """For each rule-based decision: (how often the machine agreed, corrections in force)."""
    found: dict[str, Counter] = {name: Counter() for name in RULE_FIELDS}
    for item in in_force(store.corrections()):
        if item.field in found:
            found[item.field]["agreed" if item.machine == item.value else "changed"] += 1
    return {name: (c["agreed"], c["agreed"] + c["changed"]) for name, c in found.items()}
