"""Ethnic groups, collective and social categories, and slurs: the lexicon behind ethnonym search."""

from kelisim.ethnic.lexicon import Category, EthnicGroup, Lexicon, LexiconError, Slur

__all__ = ["Category", "EthnicGroup", "Lexicon", "LexiconError", "Slur"]
