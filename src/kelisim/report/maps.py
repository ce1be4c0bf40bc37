"""The report's map as SVG, drawn from the shipped region shapes: the report's region outlined,
its neighbours shaded by their tension index, the rest of the country in grey for context."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from html import escape

from kelisim.places.shapes import regions_geojson
from kelisim.report.model import RegionShade
from kelisim.report.texts import Texts

WIDTH = 680
MAX_HEIGHT = 420
PAD = 0.06  # of the framed span, on each side
LAT0 = 48.0  # the country's middle latitude: east-west distances shrink by its cosine
OTHER, NONE, EDGE, OWN_EDGE, INK = "#f3f4f6", "#cfd5dd", "#ffffff", "#1d2733", "#1d2733"
LOW, HIGH = (254, 240, 217), (179, 0, 0)  # the shade of the lowest and the highest index
FONT = "DejaVu Sans, Noto Sans, Liberation Sans, Arial, sans-serif"


def map_svg(shades: Sequence[RegionShade], texts: Texts) -> str:
    """The map as an <svg> element, framed on the report's region and its neighbours."""
    features = regions_geojson()["features"]
    by_code = {s.kato: s for s in shades}
    framed = [f for f in features if f["properties"]["kato"] in by_code] or features
    box = _frame(framed)
    scale = min(WIDTH / (box[2] - box[0]), MAX_HEIGHT / (box[3] - box[1]))
    height = round((box[3] - box[1]) * scale)
    top = max((s.value for s in shades), default=0.0)

    def point(lon: float, lat: float) -> str:
        x, y = _project(lon, lat)
        return f"{(x - box[0]) * scale:.1f},{(y - box[1]) * scale:.1f}"

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="map" role="img" '
             f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
             f'font-family="{FONT}" font-size="11"><title>{escape(texts("section_map"))}</title>']
    for feature in sorted(features, key=lambda f: f["properties"]["kato"] in by_code):
        shade = by_code.get(feature["properties"]["kato"])
        parts.append(_region_path(feature, shade, top, point))
    own = [f for f in features if by_code.get(f["properties"]["kato"]) and
           by_code[f["properties"]["kato"]].own]
    parts += [_region_path(f, None, top, point, outline=True) for f in own]
    parts += [_label(f, by_code[f["properties"]["kato"]], texts, point) for f in framed
              if f["properties"]["kato"] in by_code]
    parts.append("</svg>")
    return "\n".join(parts)


def legend_html(texts: Texts) -> str:
    """The map's legend: the colour ramp and the grey of regions without documents."""
    ramp = ", ".join(_hex(shade_color(t)) for t in (0.0, 0.5, 1.0))
    return (f'<div class="legend"><span>{escape(texts("map_low"))}</span>'
            f'<span class="ramp" style="background: linear-gradient(to right, {ramp})"></span>'
            f'<span>{escape(texts("map_high"))}</span>'
            f'<span class="swatch" style="background: {NONE}"></span>'
            f'<span>{escape(texts("map_none"))}</span></div>')


def shade_color(t: float) -> tuple[int, int, int]:
    """The colour of a share ``t`` (0..1) of the highest index on the map."""
    t = min(1.0, max(0.0, t))
    return tuple(round(a + (b - a) * t) for a, b in zip(LOW, HIGH))


def _hex(rgb: Iterable[int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _project(lon: float, lat: float) -> tuple[float, float]:
    return lon * math.cos(math.radians(LAT0)), -lat


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        polygons = [polygons]
    return [ring for polygon in polygons for ring in polygon]


def _frame(features: Sequence[dict]) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for feature in features:
        for ring in _rings(feature["geometry"]):
            for lon, lat in ring:
                x, y = _project(lon, lat)
                xs.append(x)
                ys.append(y)
    pad = PAD * max(max(xs) - min(xs), max(ys) - min(ys))
    return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad


def _region_path(feature: dict, shade: RegionShade | None, top: float, point,
                 outline: bool = False) -> str:
    path = " ".join("M" + " L".join(point(lon, lat) for lon, lat in ring) + " Z"
                    for ring in _rings(feature["geometry"]))
    if outline:
        return (f'<path d="{path}" fill="none" stroke="{OWN_EDGE}" stroke-width="2.5" '
                f'stroke-linejoin="round"/>')
    if shade is None:
        fill = OTHER
    elif not shade.volume:
        fill = NONE
    else:
        fill = _hex(shade_color(shade.value / top if top else 0.0))
    code = escape(feature["properties"]["kato"])
    return (f'<path data-kato="{code}" d="{path}" fill="{fill}" fill-rule="evenodd" '
            f'stroke="{EDGE}" stroke-width="1"/>')


def _label(feature: dict, shade: RegionShade, texts: Texts, point) -> str:
    x, y = (float(v) for v in point(*feature["properties"]["label"]).split(","))
    name = escape(shade.name)
    value = texts.number(shade.value) if shade.volume else "—"
    weight = "bold" if shade.own else "normal"
    text = (f'<tspan x="{x:.1f}" dy="0">{name}</tspan>'
            f'<tspan x="{x:.1f}" dy="13">{escape(value)}</tspan>')
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-weight="{weight}" '
            f'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" fill="#ffffff">'
            f'{text}</text>'
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-weight="{weight}" '
            f'fill="{INK}">{text}</text>')
