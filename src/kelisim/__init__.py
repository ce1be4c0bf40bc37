"""Kelisim: early warning of interethnic tension in Kazakhstan's media."""

__version__ = "0.1.0"
