"""The reader: one pass over a batch of documents that finds entities, places, ethnic groups,
quotes and the outlet each text credits, then understands it (kelisim.understanding).

Models and dictionaries are loaded once per process (load a Reader before forking workers).
The neural NER runs over the sentences of the whole batch at once; everything else is
dictionary lookups on the tokens made once per document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from kelisim.ethnic.matcher import EthnicMatcher
from kelisim.kb import KnowledgeBase
from kelisim.places.matcher import PlaceMatcher
from kelisim.reading import entities as ent
from kelisim.reading.attribution import find_attribution, lower_tokens
from kelisim.reading.document import TextView
from kelisim.reading.model import Entity, Reading
from kelisim.reading.ner import NerModel, NerSpan, may_name
from kelisim.reading.quotes import find_quotes
from kelisim.understanding.attitude import AttitudeModel
from kelisim.understanding.understand import Understander
from kelisim.workers import settle

NER_LANGUAGES = frozenset({"ru", "mixed"})  # the model is Russian; Kazakh gets the dictionaries
READER_VERSION = "3"  # 2: the tension score; 3: relevance, event, hostility, attitude


def reader_version() -> str:
    """The version stored with each reading: the code's, and the attitude model's when it was
    trained here by ``kelisim train`` (documents read by another model are read again)."""
    tag = AttitudeModel.load().tag
    return READER_VERSION if tag == "shipped" else f"{READER_VERSION}+{tag}"


@dataclass(frozen=True, slots=True)
class TextInput:
    """A text to read: its id, text, language and publication date."""

    id: str
    text: str
    language: str = "ru"
    published: date | None = None


class Reader:
    """Reads texts in batches; build one per process with ``Reader.load()``."""

    def __init__(self, ner: NerModel, places: PlaceMatcher, ethnic: EthnicMatcher, kb: KnowledgeBase,
                 understander: Understander) -> None:
        """Use these loaded models and dictionaries."""
        self.ner, self.places, self.ethnic, self.kb = ner, places, ethnic, kb
        self.understander = understander

    @classmethod
    def load(cls) -> Reader:
        """A reader with the shipped model and dictionaries (each loaded once per process, then
        frozen out of the garbage collector's scans: :func:`kelisim.workers.settle`)."""
        return _load_reader()

    def read(self, item: TextInput) -> Reading:
        """Read one text."""
        return self.read_batch([item])[0]

    def read_batch(self, items: Sequence[TextInput], understand: bool = True) -> list[Reading]:
        """Read several texts, tagging the sentences of all of them in one NER pass; with
        ``understand=False`` only extract (the decisions stay None)."""
        views = [TextView.of(item.text, item.language, item.published) for item in items]
        spans = self._tag(views)
        readings = [self._read(item, view, found) for item, view, found in zip(items, views, spans, strict=True)]
        if understand:
            for view, reading in zip(views, readings):
                self.understander.understand(view, reading)
        return readings

    def _tag(self, views: Sequence[TextView]) -> list[list[NerSpan]]:
        """The model's spans of every view whose language the model reads."""
        keys = [(i, j) for i, view in enumerate(views) if view.language in NER_LANGUAGES
                for j, sentence in enumerate(view.sentences) if may_name(sentence)]
        tagged = self.ner.tag([views[i].sentences[j] for i, j in keys])
        found: list[list[NerSpan]] = [[] for _ in views]
        for (i, j), spans in zip(keys, tagged, strict=True):
            found[i].extend(NerSpan(s.type, s.start, s.end, j, s.first, s.last) for s in spans)  # index within its view
        return found

    def _read(self, item: TextInput, view: TextView, spans: Sequence[NerSpan]) -> Reading:
        """Everything found in one view."""
        matches = [Entity(m.type, m.start, m.end, m.text, m.normal, m.kb_id) for m in self.kb.find(view)]
        tokens = view.tokens()
        lows = lower_tokens(view.text, tokens)  # for the credits and the quotes
        attribution = find_attribution(view, tokens, lows)
        entities = ent.merge(ent.from_spans(view, spans), matches)
        entities = ent.without_sources(entities, attribution)
        entities = ent.link_people(ent.with_kb_ids(entities, self._link(view.published)))
        places = self.places.find(view)
        return Reading(
            id=item.id, language=item.language, text=item.text, published=item.published,
            entities=ent.with_place_names(entities, places),
            places=places,
            ethnic=ent.outside_places(self.ethnic.find(view), places),
            quotes=find_quotes(view, entities, attribution, lows),
            attribution=attribution,
        )

    def _link(self, when: date | None):
        """The knowledge-base linker for entities of a document of this date."""
        return lambda normal, kind: self.kb.link(normal, kind, when)


@lru_cache(maxsize=1)
def _load_reader() -> Reader:
    reader = Reader(NerModel.load(), PlaceMatcher.load(), EthnicMatcher.load(), KnowledgeBase.load(),
                    Understander.load())
    settle()  # the models live as long as the process: out of the garbage collector's way
    return reader
