"""Source readers: each turns one kind of input into RawItem records (or Skips)."""

from __future__ import annotations

from pathlib import Path

SOURCE_KINDS = ("folder", "file", "telegram", "rss", "web", "sitemap")
_FEED_HINTS = ("rss", "atom", "feed", ".xml")


def guess_kind(location: str) -> str:
    """Guess a source's kind from its location (a path or a URL)."""
    lowered = location.lower()
    if lowered.startswith(("http://", "https://")):
        if "sitemap" in lowered:
            return "sitemap"
        return "rss" if any(hint in lowered for hint in _FEED_HINTS) else "web"
    path = Path(location).expanduser()
    if path.is_dir():
        return "folder"
    return "telegram" if path.name == "result.json" else "file"
