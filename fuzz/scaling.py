"""How each parser's time grows on huge single lines: linear, or worse?

    .venv/bin/python fuzz/scaling.py [--parser NAME] [--size 4000] [--factor 4]

Every parser reads lines made of one unit repeated (``"> "``, ``"# "``, ``"а"``, ``"«"`` …), at
a size and at ``factor`` times that size; CPU times are compared. Linear code grows by the
factor, quadratic code by its square: a growth above ``factor * 2.5`` is reported as
super-linear. Times are measured, never asserted (the machine may be busy); the report goes
to standard output and ``build/fuzz/scaling.json``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

UNITS = ("а", "a", "Аа ", "1", "1.", "14 октября ", "2021-", " ", "\t", "> ", "- ", "* ", "# ",
         "#", "_", "*", "**", "~~", "`", "[", "](", "![", "<", "</", "<b>", "&", "&#", "\\",
         "=", "-", "---\n", "«", "»", "„", "\"", "—", ", ", ". ", ": ", "Кордай ", "Жамбыл ",
         "область ", "по словам ", "сказал ", "что ", "- Иван, ", "\u202e", "Кa", "http://a.kz/",
         "USD ", "👁 ", "Читайте также: ", ";", "|", "{", "[1,", "\"a\":", "қазан ", "**a ",
         "*a ", "_a ", "~~a ", "`a ", "``", "[a](", "<a ", "<http:", "a\n", "> a\n", "# a\n",
         "a\n---\n", "title: a\n")
REFERENCE = datetime(2024, 5, 14, tzinfo=timezone.utc)


def parsers() -> dict[str, Callable[[str], object]]:
    """Each parser as a function of one string."""
    from kelisim import clean
    from kelisim.clean.chrome import strip_chrome
    from kelisim.reading.document import TextView
    from kelisim.sources.files import read_jsonl_stream
    from kelisim.understanding.dates import find_dates

    def quiet(function: Callable[[str], object]) -> Callable[[str], object]:
        def call(text: str) -> object:
            try:
                return function(text)
            except clean.CleaningError:
                return None
        return call

    return {
        "decode": quiet(lambda t: clean.decode(t.encode())),
        "normalize": clean.normalize_text,
        "chrome": strip_chrome,
        "language": clean.detect_language,
        "markdown": clean.extract_markdown,
        "html": quiet(lambda t: clean.extract_html(f"<html><body><p>{t}</p></body></html>")),
        "clean_text": quiet(lambda t: clean.clean_text(t, "text")),
        "parse_date": lambda t: clean.parse_date(t, REFERENCE),
        "find_date_in_text": lambda t: clean.find_date_in_text(t, REFERENCE, head_chars=len(t)),
        "textview": lambda t: TextView.of(t),
        "event_dates": lambda t: find_dates(TextView.of(t, "ru", REFERENCE.date())),
        "jsonl": lambda t: list(read_jsonl_stream('{"text": "' + t.replace("\\", "/")
                                                  .replace('"', "'") + '"}')),
        **_matchers(),
    }


def _matchers() -> dict[str, Callable[[str], object]]:
    from fuzz.t_reading import ethnic, kb, places
    from kelisim.reading.attribution import find_attribution
    from kelisim.reading.document import TextView
    from kelisim.reading.quotes import find_quotes

    def quotes(text: str) -> object:
        view = TextView.of(text)
        return find_quotes(view, [], find_attribution(view))

    return {"places": lambda t: places().find(TextView.of(t)),
            "ethnic": lambda t: ethnic().find(TextView.of(t)),
            "kb": lambda t: kb().find(TextView.of(t)), "quotes": quotes}


def cpu_time(function: Callable[[str], object], text: str, budget: float) -> float:
    """The least CPU time of a few calls (one call when it is slow)."""
    best = float("inf")
    spent = 0.0
    while spent < budget:
        start = time.process_time()
        function(text)
        took = time.process_time() - start
        best, spent = min(best, took), spent + took
        if took > budget / 3:
            break
    return best


def measure(name: str, function: Callable[[str], object], size: int, factor: int) -> list[dict]:
    """Growth of one parser's time on every unit; the super-linear ones flagged."""
    rows = []
    for unit in UNITS:
        small = unit * max(1, size // len(unit))
        function(small)  # caches and lazy tables first: they are no part of the growth
        base = cpu_time(function, small, 0.3)
        if base > 5:
            rows.append({"parser": name, "unit": unit, "small": base, "growth": None,
                         "superlinear": True})
            continue
        large = cpu_time(function, small * factor, 0.5)
        growth = large / max(base, 1e-4)
        rows.append({"parser": name, "unit": unit, "chars": len(small), "small": round(base, 4),
                     "large": round(large, 4), "growth": round(growth, 1),
                     "superlinear": growth > factor * 2.5 and large > 0.05})
    return rows


def main(argv: list[str] | None = None) -> int:
    """Measure, print the super-linear cases, write the whole table as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--parser", help="one parser (default: all)")
    parser.add_argument("--size", type=int, default=4000, help="characters of the small line")
    parser.add_argument("--factor", type=int, default=4)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "fuzz" / "scaling.json")
    args = parser.parse_args(argv)
    table = parsers()
    names = [args.parser] if args.parser else list(table)
    rows = []
    for name in names:
        found = measure(name, table[name], args.size, args.factor)
        rows += found
        bad = [r for r in found if r["superlinear"]]
        worst = max(found, key=lambda r: r["growth"] or 1e9)
        print(f"{name}: worst growth x{worst['growth']} on {worst['unit']!r}; "
              f"super-linear on {[r['unit'] for r in bad] or 'none'}", flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 1 if any(r["superlinear"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
