"""The event taxonomy ships as data, loads with its checks, and is documented type by type."""

from pathlib import Path

import pytest

from kelisim.understanding.taxonomy import event_type, event_types

METHOD = (Path(__file__).resolve().parents[1] / "docs" / "method.md").read_text(encoding="utf-8")


def test_taxonomy_loads_with_labels_and_weights():
    types = event_types()
    assert len(types) == 14 and types[-1].id == "other"
    assert all(t.ru and t.en and t.definition and -10 <= t.goldstein <= 10 for t in types)
    assert event_type("violent_clash").goldstein < 0 < event_type("mediation_reconciliation").goldstein
    assert event_type("meeting_conference").goldstein > 0


@pytest.mark.parametrize("kind", [t.id for t in event_types()])
def test_every_type_is_documented(kind):
    row = next(line for line in METHOD.splitlines() if line.startswith(f"| `{kind}` |"))
    assert event_type(kind).ru in row and event_type(kind).en in row


def test_unknown_type_names_the_known_ones():
    with pytest.raises(KeyError, match="violent_clash"):
        event_type("riot")
