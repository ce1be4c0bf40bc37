"""Files written whole or not at all: the content goes to ``NAME.part`` and is renamed over
``NAME`` once complete, so a crash or a full disk never leaves a half-written file under the
real name, and a failed write leaves no partial file behind to fill the disk further."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


@contextmanager
def replacing(path: Path, **open_args) -> Iterator[IO]:
    """A handle on ``path``'s partial file (opened with ``open_args``, text "w" by default),
    renamed over ``path`` when the block ends without error and removed when it fails."""
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open(open_args.pop("mode", "w"), **open_args) as handle:
            yield handle
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_bytes(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` whole or not at all."""
    with replacing(path, mode="wb") as handle:
        handle.write(content)
