"""Files are written whole or not at all, and a failed write leaves nothing behind."""

from __future__ import annotations

import pytest

from kelisim.atomic import replacing, write_bytes


def test_a_complete_write_replaces_the_file_and_leaves_no_partial(tmp_path):
    target = tmp_path / "export.jsonl"
    target.write_text("old\n", encoding="utf-8")
    with replacing(target, encoding="utf-8") as handle:
        handle.write("new\n")
        assert target.read_text(encoding="utf-8") == "old\n"  # not replaced before the end
    assert target.read_text(encoding="utf-8") == "new\n"
    assert list(tmp_path.iterdir()) == [target]


def test_a_failed_write_keeps_the_old_file_and_removes_the_partial(tmp_path):
    target = tmp_path / "report.pdf"
    write_bytes(target, b"%PDF old")
    with pytest.raises(OSError, match="No space left"):
        with replacing(target, mode="wb") as handle:
            handle.write(b"%PDF half")
            raise OSError(28, "No space left on device")
    assert target.read_bytes() == b"%PDF old"
    assert list(tmp_path.iterdir()) == [target]
