"""Field mapping for record files (json, jsonl, csv): which field holds the text, the title…"""

from __future__ import annotations

from dataclasses import dataclass, field

FIELDS = ("text", "html", "title", "url", "date", "author", "id")
_DEFAULT_NAMES = {
    "text": ("text", "body", "content", "article", "message", "full_text"),
    "html": ("html", "content_html", "raw_html"),
    "title": ("title", "headline", "header", "name"),
    "url": ("url", "link", "href", "source_url"),
    "date": ("date", "published", "published_at", "pub_date", "pubdate", "datetime", "created_at"),
    "author": ("author", "authors", "byline"),
    "id": ("id", "guid", "uid", "doc_id", "document_id"),
}


class MappingError(ValueError):
    """A column mapping that names an unknown field or is malformed."""


@dataclass(frozen=True)
class FieldMap:
    """Which column or key holds each field; unmapped fields use the usual names."""

    explicit: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, spec: str | None) -> "FieldMap":
        """Parse ``text=body,title=headline`` into a mapping."""
        if not spec:
            return cls()
        pairs = {}
        for part in filter(None, (p.strip() for p in spec.split(","))):
            name, sep, column = part.partition("=")
            if not sep or not column.strip():
                raise MappingError(f"column mapping {part!r} is not of the form field=column")
            if name.strip() not in FIELDS:
                raise MappingError(f"unknown field {name.strip()!r}; known: {', '.join(FIELDS)}")
            pairs[name.strip()] = column.strip()
        return cls(pairs)

    def spec(self) -> str:
        """The mapping written back as ``field=column,…``."""
        return ",".join(f"{k}={v}" for k, v in self.explicit.items())

    def resolve(self, columns: list[str]) -> dict[str, str]:
        """Map each field to one of ``columns`` (explicit names first, then usual names)."""
        lowered = {c.lower().strip(): c for c in columns}
        resolved = {}
        for name in FIELDS:
            if name in self.explicit:
                if self.explicit[name] in columns:
                    resolved[name] = self.explicit[name]
                continue
            found = next((lowered[n] for n in _DEFAULT_NAMES[name] if n in lowered), None)
            if found is not None:
                resolved[name] = found
        return resolved

    def missing(self, columns: list[str]) -> list[str]:
        """Explicitly mapped columns that are not among ``columns``."""
        return [c for c in self.explicit.values() if c not in columns]
