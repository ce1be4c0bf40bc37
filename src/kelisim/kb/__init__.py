"""The knowledge base of Kazakhstani institutions, people and office holders (see
docs/knowledge-base.md)."""

from kelisim.kb.base import KnowledgeBase
from kelisim.kb.records import Holding, KbEntry, KbMention, Person
from kelisim.kb.tables import KbError

__all__ = ["Holding", "KbEntry", "KbError", "KbMention", "KnowledgeBase", "Person"]
