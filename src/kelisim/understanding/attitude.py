"""Attitude of a text toward one ethnic group it mentions: −1 negative, 0 neutral, +1 positive.

A linear model over hashed, ethnonym-masked features (:mod:`kelisim.understanding.features`),
trained on RuEthnoHate by ``scripts/train_attitude.py`` and shipped as numpy arrays in
``data/attitude.npz`` (attribution in ``data/SOURCE.md``). Inference needs numpy only.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from kelisim.config import default_models_dir
from kelisim.reading.document import TextView
from kelisim.reading.model import EthnicMention
from kelisim.understanding.features import Config, Masked, masked_words, strip_html, vector, word_columns
from kelisim.understanding.model import Cue, GroupAttitude

__all__ = ["AttitudeModel", "excerpt"]

WHOLE_TEXT_MAX = 1600  # the training texts are at most ~1,500 characters: longer ones are cut
CONTEXT_SENTENCES = 1  # sentences kept on each side of a sentence that names the group
LANGUAGES = frozenset({"ru", "mixed"})  # the model learned Russian
MODEL_FILE = "attitude.npz"
SHIPPED = "shipped"
_models: list[Path] = []  # the folder of trained models the shell chose (use_models_dir)
EVIDENCE_WORDS = 3  # words shown for a negative or positive attitude


class AttitudeModel:
    """The shipped attitude classifier; build it with :meth:`AttitudeModel.load`."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: np.ndarray, config: Config,
                 meta: dict, tag: str = SHIPPED) -> None:
        self._coef = np.ascontiguousarray(coef.T.astype(np.float32))  # columns × classes: one gather per text
        self._intercept = intercept.astype(np.float32)
        self.classes = tuple(int(c) for c in classes)
        self.config = config
        self.meta = meta  # data_sha256, trained, cv
        self.tag = tag  # "shipped", or the first hex digits of a trained model file's SHA-256
        self._pushes = {label: self._push_of(k) for k, label in enumerate(self.classes)}

    @classmethod
    def load(cls) -> AttitudeModel:
        """The model in force, read once per process: the one ``kelisim train`` wrote to the
        models folder (:func:`trained_path`) when there is one, else the shipped one."""
        return _load()

    @classmethod
    def from_file(cls, path, tag: str | None = None) -> AttitudeModel:
        """A model written by :func:`kelisim.understanding.training.export`; ``tag`` names it
        (by default the file's SHA-256, first 12 hex digits)."""
        if tag is None:
            tag = hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
        with np.load(path, allow_pickle=False) as npz:
            config = Config(**json.loads(str(npz["config"])))
            if config.version != Config().version:
                raise ValueError(f"{path}: features version {config.version}, code has {Config().version}")
            meta = {"data_sha256": str(npz["data_sha256"]), "trained": str(npz["trained"]),
                    "cv": json.loads(str(npz["cv"]))}
            return cls(npz["coef"], npz["intercept"], npz["classes"], config, meta, tag)

    def scores(self, text: str, group: str, mentions: list[tuple[int, int]] | None = None,
               found: Sequence[EthnicMention] | None = None) -> np.ndarray:
        """The linear score of each class."""
        return self._score(*vector(text, group, mentions, self.config, found))

    def _score(self, columns: np.ndarray, values: np.ndarray) -> np.ndarray:
        # np.take gathers rows several times faster than fancy indexing: the same values.
        return values @ np.take(self._coef, columns, axis=0) + self._intercept

    def predict(self, text: str, group: str, mentions: list[tuple[int, int]] | None = None,
                found: Sequence[EthnicMention] | None = None) -> tuple[int, float, dict[int, float]]:
        """The attitude of ``text`` toward ``group`` (a lexicon id such as «казах»), its
        probability, and every class's probability. ``mentions`` are optional (start, end)
        spans of the group's mentions in ``text``, in addition to those the matcher finds;
        ``found``, every ethnic mention of ``text`` when the caller has them (the matcher is
        not run again). HTML remnants are stripped first (offsets then refer to the stripped
        text, and ``found`` is ignored)."""
        if "<" in text:
            text, _bold = strip_html(text)
            found = None
        return self._classify(self.scores(text, group, mentions, found))

    def _classify(self, scores: np.ndarray) -> tuple[int, float, dict[int, float]]:
        # One-vs-rest log-loss model: each class's sigmoid, normalised to sum to 1 (as sklearn does).
        p = 1.0 / (1.0 + np.exp(-scores.astype(np.float64)))
        p = p / p.sum() if p.sum() > 0 else np.full(len(p), 1.0 / len(p))
        best = int(np.argmax(p))
        probabilities = {label: float(v) for label, v in zip(self.classes, p)}
        return self.classes[best], float(p[best]), probabilities

    def predict_many(self, pairs) -> list[tuple[int, float, dict[int, float]]]:
        """:meth:`predict` over (text, group) or (text, group, mentions) tuples."""
        return [self.predict(*pair) for pair in pairs]

    def toward_groups(self, view: TextView, ethnic: Sequence[EthnicMention]) -> dict[str, GroupAttitude]:
        """The attitude toward each group the text names as people (not «русский язык»), by
        group id; nothing for a language the model was not trained on. A long text is read
        in excerpts around the group's mentions (:func:`excerpt`)."""
        if view.language not in LANGUAGES:
            return {}
        groups = dict.fromkeys(m.group for m in ethnic if m.person)
        result = {}
        for group in groups:
            own = [m for m in ethnic if m.group == group and m.person]
            text, spans, found = excerpt(view, own, ethnic)
            masked = masked_words(text, group, spans, self.config.mask, found)
            features = vector(text, group, spans, self.config, found, masked)
            label, p, _ = self._classify(self._score(*features))
            evidence = ()
            if label != 0:
                pieces = excerpt_map(view, own)
                evidence = tuple(_in_document(cue, pieces, view.text)
                                 for cue in self.explain(text, group, label, spans, found, features=features,
                                                         masked=masked))
            result[group] = GroupAttitude(group, label, round(p, 3), evidence)
        return result

    def explain(self, text: str, group: str, label: int, mentions: list[tuple[int, int]] | None = None,
                found: Sequence[EthnicMention] | None = None, top: int = EVIDENCE_WORDS,
                features: tuple[np.ndarray, np.ndarray] | None = None,
                masked: Masked | None = None) -> list[Cue]:
        """The words whose own features (lemma, character n-grams, place beside the group) pushed
        the score of ``label`` most above the other classes' mean, strongest first; offsets
        index ``text`` (no HTML). An attribution for the analyst, not the whole of the decision:
        the mean embeddings and shared n-grams count too. ``features`` is the text's
        :func:`vector` and ``masked`` its masked words when the caller has them."""
        masked = masked or masked_words(text, group, mentions, self.config.mask, found)
        columns, values = features or vector(text, group, mentions, self.config, found, masked)
        words, wanted, sizes = word_columns(text, group, mentions, self.config, found, masked)
        push = _pushes(columns, values, self._pushes[label], wanted, sizes)
        positive = np.flatnonzero(push > 0)
        scored = [(round(weight, 3), i) for i, weight in zip(positive.tolist(), push[positive].tolist())]
        best = sorted(scored, key=lambda item: -item[0])[:top]  # stable: ties keep the text's order
        return [Cue(start, end, text[start:end], lemma, "attitude", weight)
                for weight, (start, end, lemma) in ((w, words[i]) for w, i in best)]

    def _push_of(self, k: int) -> np.ndarray:
        """Per column, how much a unit of it raises class ``k``'s score above the other classes'
        mean."""
        others = [j for j in range(len(self.classes)) if j != k]
        return self._coef[:, k] - self._coef[:, others].mean(axis=1)


def _pushes(columns: np.ndarray, values: np.ndarray, push: np.ndarray, wanted: np.ndarray,
            sizes: np.ndarray) -> np.ndarray:
    """Each word's push: the sum over its columns present in the vector of value × push.
    ``wanted`` are the words' columns laid end to end, ``sizes`` how many each word has."""
    scratch = _scratch(len(push))
    scratch[columns] = values * push[columns]
    try:
        contributions = scratch[wanted]  # zero for a column the vector does not have
    finally:
        scratch[columns] = 0.0
    return np.bincount(np.repeat(np.arange(len(sizes)), sizes), weights=contributions, minlength=len(sizes))


_local = threading.local()


def _scratch(size: int) -> np.ndarray:
    """A zeroed array of ``size`` floats, one per thread, kept zeroed by its user: a column's
    value is looked up in it instead of searching the vector's sorted columns."""
    scratch = getattr(_local, "scratch", None)
    if scratch is None or len(scratch) != size:
        scratch = _local.scratch = np.zeros(size)
    return scratch


def excerpt(view: TextView, own: Sequence[EthnicMention], ethnic: Sequence[EthnicMention],
            ) -> tuple[str, list[tuple[int, int]], list[EthnicMention]]:
    """The text the model reads for one group: the whole text when it is as short as the
    training texts, else the sentences naming the group with their neighbours, joined by line
    breaks. Returns the text, the group's mention spans and every ethnic mention, in its offsets."""
    if len(view.text) <= WHOLE_TEXT_MAX:
        return view.text, [(m.start, m.end) for m in own], list(ethnic)
    pieces = _pieces(view, own)
    parts, spans, found, size = [], [], [], 0
    for start, end in pieces:
        shift = size - start
        parts.append(view.text[start:end])
        spans += [(m.start + shift, m.end + shift) for m in own if start <= m.start and m.end <= end]
        found += [replace(m, start=m.start + shift, end=m.end + shift)
                  for m in ethnic if start <= m.start and m.end <= end]
        size += end - start + 1  # the line break that joins pieces
    return "\n".join(parts), spans, found


def excerpt_map(view: TextView, own: Sequence[EthnicMention]) -> list[tuple[int, int, int]]:
    """Where each piece of :func:`excerpt`'s text comes from: (start in the excerpt, start in
    the document, length)."""
    if len(view.text) <= WHOLE_TEXT_MAX:
        return [(0, 0, len(view.text))]
    found, size = [], 0
    for start, end in _pieces(view, own):
        found.append((size, start, end - start))
        size += end - start + 1
    return found


def _in_document(cue: Cue, pieces: list[tuple[int, int, int]], text: str) -> Cue:
    """A cue of an excerpt moved to the document's offsets."""
    for at, start, length in pieces:
        if at <= cue.start and cue.end <= at + length:
            shift = start - at
            return replace(cue, start=cue.start + shift, end=cue.end + shift,
                           text=text[cue.start + shift:cue.end + shift])
    raise ValueError(f"{cue.text!r} is not inside one piece of the excerpt")


def _pieces(view: TextView, own: Sequence[EthnicMention]) -> list[tuple[int, int]]:
    """Character ranges of the sentences around the group's mentions, merged where they touch."""
    sentences = view.sentences
    wanted: set[int] = set()
    for i, sentence in enumerate(sentences):
        if any(sentence.start <= m.start < sentence.end for m in own):
            wanted.update(range(max(0, i - CONTEXT_SENTENCES), min(len(sentences), i + CONTEXT_SENTENCES + 1)))
    ranges: list[tuple[int, int]] = []
    for i in sorted(wanted):
        if ranges and ranges[-1][1] == i:
            ranges[-1] = (ranges[-1][0], i + 1)
        else:
            ranges.append((i, i + 1))
    return [(sentences[a].start, sentences[b - 1].end) for a, b in ranges]


def use_models_dir(folder: Path | None) -> None:
    """Look for trained models in ``folder`` (None: the default, ``models`` in the user's data
    folder). The shells call it with ``Settings.models_dir`` before anything is read; worker
    processes forked afterwards inherit it."""
    if _models[-1:] != ([Path(folder)] if folder else []):
        _models[:] = [Path(folder)] if folder else []
        forget_loaded()


def forget_loaded() -> None:
    """Load the model in force again at the next use (after ``kelisim train`` wrote one)."""
    _load.cache_clear()


def models_dir() -> Path:
    """Where ``kelisim train`` writes models and reading looks for them."""
    return _models[-1] if _models else default_models_dir()


def trained_path() -> Path:
    """The file a trained attitude model is written to and read from."""
    return models_dir() / MODEL_FILE


@lru_cache(maxsize=1)
def _load() -> AttitudeModel:
    if trained_path().is_file():
        return AttitudeModel.from_file(trained_path())
    with resources.as_file(resources.files("kelisim.understanding") / "data" / MODEL_FILE) as path:
        return AttitudeModel.from_file(path, SHIPPED)
