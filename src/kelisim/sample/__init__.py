"""The bundled sample corpus: the five seed articles Kelisim started from."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from importlib import resources

from kelisim.records import RawItem


def sample_names() -> list[str]:
    """File names of the sample articles, in order."""
    folder = resources.files(__name__)
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".txt"))


def sample_items() -> Iterator[RawItem]:
    """The sample articles as raw items, keyed by file name so any install ingests them once."""
    folder = resources.files(__name__)
    now = datetime.now(timezone.utc)
    for name in sample_names():
        yield RawItem(origin=f"sample:{name}", body=(folder / name).read_bytes(), kind="text",
                      fetched_at=now, meta={"path": f"sample/{name}"})
