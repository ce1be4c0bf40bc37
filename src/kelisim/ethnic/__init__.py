"""Ethnic groups, collective and social categories, and slurs: the lexicon behind ethnonym search,
and the matcher that finds them in Russian and Kazakh text."""

from kelisim.ethnic.lexicon import Category, EthnicGroup, Lexicon, LexiconError, Slur
from kelisim.ethnic.matcher import EthnicMatcher, kazakh_forms

__all__ = ["Category", "EthnicGroup", "EthnicMatcher", "Lexicon", "LexiconError", "Slur", "kazakh_forms"]
