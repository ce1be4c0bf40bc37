"""Places in Kazakhstan: the KATO gazetteer (``Gazetteer.load()``)."""

from kelisim.places.gazetteer import Gazetteer, Place

__all__ = ["Gazetteer", "Place"]
