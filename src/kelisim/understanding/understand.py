"""Understanding a read document: what it means for interethnic relations, and why.

Runs after extraction, on the same tokens: the tension score, hostility, the attitude toward
each group, the event and, last, relevance, which weighs what the others found. Every decision
carries its evidence (docs/method.md). The models and dictionaries are loaded once per process.
"""

from __future__ import annotations

from functools import lru_cache

from kelisim.reading.document import TextView
from kelisim.reading.model import Reading
from kelisim.understanding.attitude import AttitudeModel
from kelisim.understanding.event import EventClassifier
from kelisim.understanding.hostility import HostilityDetector
from kelisim.understanding.relevance import RelevanceScorer
from kelisim.understanding.tension import TensionScorer


class Understander:
    """Fills the decisions of readings; build it with ``Understander.load()``."""

    def __init__(self, tension: TensionScorer, hostility: HostilityDetector,
                 events: EventClassifier, relevance: RelevanceScorer) -> None:
        """Use these loaded scorers; the attitude model is the one in force when reading."""
        self.tension, self.hostility = tension, hostility
        self.events, self.relevance = events, relevance

    @property
    def attitude(self) -> AttitudeModel:
        """The attitude model in force (a trained one may replace the shipped one)."""
        return AttitudeModel.load()

    @classmethod
    def load(cls) -> Understander:
        """The shipped scorers and models, loaded once per process."""
        return _load()

    def understand(self, view: TextView, reading: Reading) -> Reading:
        """Fill ``reading``'s decisions from the view it was read from; returns it."""
        reading.tension = self.tension.score(view)
        reading.hostility = self.hostility.detect(view, reading.ethnic)
        reading.attitudes = self.attitude.toward_groups(view, reading.ethnic)
        reading.event = self.events.classify(view, reading)
        reading.relevance = self.relevance.score(view, reading)
        return reading


@lru_cache(maxsize=1)
def _load() -> Understander:
    AttitudeModel.load()  # in memory before workers fork, like the scorers
    return Understander(TensionScorer.load(), HostilityDetector.load(), EventClassifier.load(),
                        RelevanceScorer.load())
