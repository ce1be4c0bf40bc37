"""The index trend as an SVG chart drawn in Python: the weekly index as a line over the
weekly volume as bars, each with its own axis. No script, no network: it prints as it shows."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from kelisim.report.model import TrendPoint
from kelisim.report.texts import Texts

WIDTH, HEIGHT = 680, 250
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 30, 38
LINE, BAR, GRID, INK = "#b03a2e", "#c9d4e3", "#e3e6ea", "#333a44"
TICKS = 4  # gridlines above zero; axis tops are 4 × a round step, so every tick is round
FONT = "DejaVu Sans, Noto Sans, Liberation Sans, Arial, sans-serif"


def trend_svg(points: Sequence[TrendPoint], texts: Texts) -> str:
    """The chart as an <svg> element (an empty note when there is no week to draw)."""
    if not points:
        return f'<p class="empty">{escape(texts("chart_empty"))}</p>'
    top_index = TICKS * nice_ceiling(max(p.value for p in points) / TICKS)
    top_volume = TICKS * max(1.0, nice_ceiling(max(p.volume for p in points) / TICKS))
    band = (WIDTH - LEFT - RIGHT) / len(points)
    parts = [_open(texts), *_grid(top_index, top_volume, texts),
             *_bars(points, band, top_volume), _line(points, band, top_index),
             *_dots(points, band, top_index), *_dates(points, band, texts), _legend(texts),
             "</svg>"]
    return "\n".join(parts)


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 × 10^k at or above ``value`` (1 for nothing)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= value - 1e-9)


def _open(texts: Texts) -> str:
    title = escape(texts("chart_title"))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
            f'font-family="{FONT}" font-size="11"><title>{title}</title>')


def _y(value: float, top: float) -> float:
    return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * value / top


def _x(i: int, band: float) -> float:
    return LEFT + band * (i + 0.5)


def _grid(top_index: float, top_volume: float, texts: Texts) -> list[str]:
    lines = []
    for k in range(TICKS + 1):
        y = _y(top_index * k / TICKS, top_index)
        lines.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{GRID}" stroke-width="1"/>')
        lines.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{LINE}">'
                     f'{texts.number(round(top_index * k / TICKS, 2))}</text>')
        lines.append(f'<text x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}" fill="#6b7a90">'
                     f'{texts.number(round(top_volume * k / TICKS, 2))}</text>')
    return lines


def _bars(points: Sequence[TrendPoint], band: float, top: float) -> list[str]:
    width = max(2.0, band * 0.6)
    bars = []
    for i, point in enumerate(points):
        y = _y(point.volume, top)
        bars.append(f'<rect x="{_x(i, band) - width / 2:.1f}" y="{y:.1f}" width="{width:.1f}" '
                    f'height="{HEIGHT - BOTTOM - y:.1f}" fill="{BAR}"/>')
    return bars


def _line(points: Sequence[TrendPoint], band: float, top: float) -> str:
    path = " ".join(f"{_x(i, band):.1f},{_y(p.value, top):.1f}" for i, p in enumerate(points))
    return (f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2.5" '
            f'stroke-linejoin="round"/>')


def _dots(points: Sequence[TrendPoint], band: float, top: float) -> list[str]:
    return [f'<circle cx="{_x(i, band):.1f}" cy="{_y(p.value, top):.1f}" r="3" fill="{LINE}"/>'
            for i, p in enumerate(points)]


def _dates(points: Sequence[TrendPoint], band: float, texts: Texts) -> list[str]:
    every = max(1, math.ceil(len(points) / 9))  # about nine labels fit under the chart
    return [f'<text x="{_x(i, band):.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" '
            f'fill="{INK}">{p.start:%d.%m}</text>'
            for i, p in enumerate(points) if i % every == 0]


def _legend(texts: Texts) -> str:
    return (f'<g transform="translate({LEFT},14)">'
            f'<line x1="0" x2="18" y1="0" y2="0" stroke="{LINE}" stroke-width="2.5"/>'
            f'<text x="24" y="4" fill="{INK}">{escape(texts("chart_index"))}</text>'
            f'<rect x="120" y="-6" width="14" height="10" fill="{BAR}"/>'
            f'<text x="140" y="4" fill="{INK}">{escape(texts("chart_volume"))}</text></g>')
