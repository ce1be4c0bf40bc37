"""Attitude of a text toward one ethnic group it mentions: −1 negative, 0 neutral, +1 positive.

A linear model over hashed, ethnonym-masked features (:mod:`kelisim.understanding.features`),
trained on RuEthnoHate by ``scripts/train_attitude.py`` and shipped as numpy arrays in
``data/attitude.npz`` (attribution in ``data/SOURCE.md``). Inference needs numpy only.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

import numpy as np

from kelisim.understanding.features import Config, strip_html, vector

__all__ = ["AttitudeModel"]


class AttitudeModel:
    """The shipped attitude classifier; build it with :meth:`AttitudeModel.load`."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray, config: Config,
                 meta: dict) -> None:
        self._coef = np.ascontiguousarray(coef.T.astype(np.float32))  # columns × classes: one gather per text
        self._intercept = intercept.astype(np.float32)
        self.classes = tuple(int(c) for c in classes)
        self.config = config
        self.meta = meta  # data_sha256, trained, cv

    @classmethod
    def load(cls) -> AttitudeModel:
        """The shipped model, read once per process."""
        return _load()

    @classmethod
    def from_file(cls, path) -> AttitudeModel:
        """A model written by ``scripts/train_attitude.py``."""
        with np.load(path, allow_pickle=False) as npz:
            config = Config(**json.loads(str(npz["config"])))
            if config.version != Config().version:
                raise ValueError(f"{path}: features version {config.version}, code has {Config().version}")
            meta = {"data_sha256": str(npz["data_sha256"]), "trained": str(npz["trained"]),
                    "cv": json.loads(str(npz["cv"]))}
            return cls(npz["coef"], npz["intercept"], npz["classes"], config, meta)

    def scores(self, text: str, group: str, mentions: list[tuple[int, int]] | None = None) -> np.ndarray:
        """The linear score of each class."""
        columns, values = vector(text, group, mentions, self.config)
        return values @ self._coef[columns] + self._intercept

    def predict(self, text: str, group: str,
                mentions: list[tuple[int, int]] | None = None) -> tuple[int, float, dict[int, float]]:
        """The attitude of ``text`` toward ``group`` (a lexicon id such as «казах»), its
        probability, and every class's probability. ``mentions`` are optional (start, end)
        spans of the group's mentions in ``text``, in addition to those the matcher finds.
        HTML remnants are stripped first (offsets then refer to the stripped text)."""
        if "<" in text:
            text, _bold = strip_html(text)
        # One-vs-rest log-loss model: each class's sigmoid, normalised to sum to 1 (as sklearn does).
        p = 1.0 / (1.0 + np.exp(-self.scores(text, group, mentions).astype(np.float64)))
        p = p / p.sum() if p.sum() > 0 else np.full(len(p), 1.0 / len(p))
        best = int(np.argmax(p))
        probabilities = {label: float(v) for label, v in zip(self.classes, p)}
        return self.classes[best], float(p[best]), probabilities

    def predict_many(self, pairs) -> list[tuple[int, float, dict[int, float]]]:
        """:meth:`predict` over (text, group) or (text, group, mentions) tuples."""
        return [self.predict(*pair) for pair in pairs]


@lru_cache(maxsize=1)
def _load() -> AttitudeModel:
    with resources.as_file(resources.files("kelisim.understanding") / "data" / "attitude.npz") as path:
        return AttitudeModel.from_file(path)
