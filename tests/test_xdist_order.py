"""The order xdist hands files out in: the slowest named files exist, and come first."""

from pathlib import Path
from types import SimpleNamespace

from tests.xdist_order import SLOWEST, slowest_first

TESTS = Path(__file__).resolve().parent


def test_every_slow_file_named_exists():
    assert [name for name in SLOWEST if not (TESTS / name).is_file()] == []
    assert len(set(SLOWEST)) == len(SLOWEST)


def test_the_slowest_files_come_first_and_each_file_keeps_its_order():
    def item(name: str, test: str) -> SimpleNamespace:
        return SimpleNamespace(path=TESTS / name, test=test)

    items = [item("test_a.py", "1"), item(SLOWEST[1], "1"), item("test_a.py", "2"),
             item(SLOWEST[0], "1"), item(SLOWEST[1], "2"), item("test_b.py", "1")]
    slowest_first(items)
    assert [(i.path.name, i.test) for i in items] == [
        (SLOWEST[0], "1"), (SLOWEST[1], "1"), (SLOWEST[1], "2"),
        ("test_a.py", "1"), ("test_a.py", "2"), ("test_b.py", "1")]
