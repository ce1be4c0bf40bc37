"""The one reader of the package's TSV data files: headers and cell counts are checked."""

import pytest

from kelisim import datafiles
from kelisim.datafiles import DataFileError, package_rows


class _Text:
    def __init__(self, text):
        self.text = text

    def joinpath(self, *parts):
        return self

    def read_text(self, encoding):
        return self.text


def test_rows_are_stripped_dicts():
    rows = package_rows("kelisim.reading", "data/outlets.tsv")
    assert rows and all(isinstance(v, str) and v == v.strip() for row in rows for v in row.values())


@pytest.mark.parametrize(("text", "message"), [
    ("a\tb\n1\t2\n", "header"),
    ("a\tc\n1\n", "expected 2 tab-separated cells"),
])
def test_malformed_files_are_refused(monkeypatch, text, message):
    monkeypatch.setattr(datafiles.resources, "files", lambda package: _Text(text))
    with pytest.raises(DataFileError, match=message):
        package_rows("kelisim", "data/x.tsv", ("a", "c"))
