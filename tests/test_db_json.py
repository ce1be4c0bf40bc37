"""The store's JSON text: the prebuilt encoder and the object spliced from serialised members
give exactly what json.dumps gives, so that stored JSON does not depend on the way it was made."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from kelisim.store import db

SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
           | st.text() | st.sampled_from(["дунгане", "қазақ", "«америкосы»", "\x00\n\"\\"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)


def dumps(value) -> str:
    """What SQLAlchemy stored before: the engine's serializer was json.dumps with these options."""
    return json.dumps(value, ensure_ascii=False, default=str)


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_json_text_is_json_dumps(value):
    assert db.json_text(value) == dumps(value)


@settings(max_examples=200, deadline=None)
@given(VALUES, VALUES)
def test_an_object_of_serialised_members_is_the_objects_json(group, mention):
    spliced = db.json_object_text(group=db.json_text(group), mention=db.json_text(mention))
    assert spliced == dumps({"group": group, "mention": mention})


def test_values_json_does_not_know_are_stored_as_their_strings():
    value = {"day": date(2021, 10, 14), "at": datetime(2021, 10, 14, 9, 30, tzinfo=UTC),
             "nested": [{1.5: (1, 2)}]}
    assert db.json_text(value) == dumps(value)
    assert db.json_text("строка") == '"строка"'


def test_serialised_text_is_stored_as_it_is_and_other_values_serialised():
    assert db._serialize(db.JsonText('{"a": 1}')) == '{"a": 1}'
    assert db._serialize('{"a": 1}') == '"{\\"a\\": 1}"'  # a string is a JSON string
    assert db._serialize({"a": 1}) == '{"a": 1}'
