"""What an ingest run did, counted: stored, linked, unchanged, skipped and why, cleaned away."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kelisim.records import CleanDocument, Skip

# Skips that are not a problem with the input: nothing new to store.
IGNORED_REASONS = frozenset({"unchanged", "media_only"})
MAX_LISTED_PROBLEMS = 500


@dataclass
class IngestSummary:
    """Counters of one ingest run; ``problems`` lists rejected inputs with their messages."""

    added: int = 0
    updated: int = 0
    reprints_exact: int = 0
    reprints_near: int = 0
    skipped: Counter = field(default_factory=Counter)
    problems: list[Skip] = field(default_factory=list)
    languages: Counter = field(default_factory=Counter)
    removed_lines: int = 0
    removed_chars: int = 0
    duplicate_paragraphs: int = 0
    removed_by_kind: Counter = field(default_factory=Counter)

    @property
    def processed(self) -> int:
        """Items seen in the run, whatever became of them."""
        stored = self.added + self.updated + self.reprints_exact + self.reprints_near
        return stored + sum(self.skipped.values())

    @property
    def rejected(self) -> int:
        """Inputs refused because something was wrong with them."""
        return sum(n for reason, n in self.skipped.items() if reason not in IGNORED_REASONS)

    def count_skip(self, skip: Skip) -> None:
        """Count a skipped input, and list it if it is a problem."""
        self.skipped[skip.reason] += 1
        if skip.reason not in IGNORED_REASONS and len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(skip)

    def count_stored(self, doc: CleanDocument, outcome: str) -> None:
        """Count a stored document: ``added``, ``updated``, ``reprints_exact`` or ``reprints_near``."""
        setattr(self, outcome, getattr(self, outcome) + 1)
        if outcome in ("added", "updated"):
            self.languages[doc.lang] += 1
            report = doc.cleaning
            self.removed_lines += report.removed_lines
            self.removed_chars += report.removed_chars
            self.duplicate_paragraphs += report.duplicate_paragraphs
            self.removed_by_kind.update(report.removed_by_kind)

    def merge(self, other: "IngestSummary") -> None:
        """Add another summary's counts to this one."""
        for name in ("added", "updated", "reprints_exact", "reprints_near", "removed_lines",
                     "removed_chars", "duplicate_paragraphs"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("skipped", "languages", "removed_by_kind"):
            getattr(self, name).update(getattr(other, name))
        room = MAX_LISTED_PROBLEMS - len(self.problems)
        self.problems.extend(other.problems[:max(room, 0)])

    def as_dict(self) -> dict:
        """The counters as plain JSON-ready data (stored with the run)."""
        return {
            "processed": self.processed, "added": self.added, "updated": self.updated,
            "reprints_exact": self.reprints_exact, "reprints_near": self.reprints_near,
            "skipped": dict(self.skipped), "rejected": self.rejected,
            "languages": dict(self.languages), "removed_lines": self.removed_lines,
            "removed_chars": self.removed_chars,
            "duplicate_paragraphs": self.duplicate_paragraphs,
            "removed_by_kind": dict(self.removed_by_kind),
        }
