"""Coverage-guided fuzzing of Kelisim's parsers with atheris (see fuzz/README.md)."""
