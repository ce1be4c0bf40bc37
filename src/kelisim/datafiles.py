"""Reading the tab-separated data files shipped inside the package (lexicons, gazetteer
additions, the knowledge base, outlets): one reader, so every table is checked alike."""

from __future__ import annotations

import csv
import io
from importlib import resources


class DataFileError(ValueError):
    """A shipped data file is malformed: wrong header or a row with missing cells."""


def package_rows(package: str, path: str, columns: tuple[str, ...] | None = None,
                 error: type[ValueError] = DataFileError) -> list[dict[str, str]]:
    """The rows of the TSV at ``path`` (slash-separated) inside ``package``, cells stripped.

    With ``columns`` the header must be exactly those and every row must have every cell;
    ``error`` is the exception raised otherwise (a subclass of ValueError of the caller's own).
    """
    resource = resources.files(package)
    for part in path.split("/"):  # one part at a time: not every Traversable takes several
        resource = resource.joinpath(part)
    text = resource.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE)
    if columns is not None and tuple(reader.fieldnames or ()) != columns:
        raise error(f"{path}: header {reader.fieldnames} != expected {list(columns)}")
    rows = []
    for line, row in enumerate(reader, start=2):
        if columns is not None and (None in row or any(value is None for value in row.values())):
            raise error(f"{path}:{line}: expected {len(columns)} tab-separated cells")
        rows.append({key: (value or "").strip() for key, value in row.items() if key is not None})
    return rows
