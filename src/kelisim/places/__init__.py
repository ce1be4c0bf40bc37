"""Places in Kazakhstan: the KATO gazetteer (``Gazetteer.load()``), what KATO lacks (old names,
border changes, places abroad) and the matcher that finds places in a text
(``PlaceMatcher.load().find(view)``)."""

from kelisim.places.gazetteer import Gazetteer, Place
from kelisim.places.history import History, place_ref, unit_name
from kelisim.places.matcher import PlaceMatcher

__all__ = ["Gazetteer", "History", "Place", "PlaceMatcher", "place_ref", "unit_name"]
