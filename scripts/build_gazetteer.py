"""Build the shipped Kazakhstan gazetteer (src/kelisim/places/data/) from the KATO csv.

Usage: python scripts/build_gazetteer.py [KATO_CSV] [--out-dir DIR]

Reads KATO (kato.csv with kato.source.json and LICENSE beside it), cleans the names,
validates the hierarchy and writes kato.tsv.gz (deterministic bytes) and SOURCE.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "kato" / "kato.csv"
DEFAULT_OUT = ROOT / "src" / "kelisim" / "places" / "data"

COLUMNS = (
    "code",
    "level",
    "name_ru",
    "name_kk",
    "raw_ru",
    "raw_kk",
    "kind_ru",
    "district_code",
    "region_code",
)
LEVELS = {
    "oblast": "region",
    "district": "district",
    "sub_district": "rural_district",
    "settlement": "settlement",
}
CITY_REGIONS = (
    "71",
    "75",
    "79",
)  # Astana, Almaty, Shymkent: city districts sit under the city
EXPECTED = {"rows": 15594, "region": 20, "district": 209}

# Russian abbreviations before the name, longest first: (prefix, kind_ru).
RU_PREFIXES = [
    ("с.о.", "сельский округ"),
    ("с.а.", "сельская администрация"),
    ("п.а.", "поселковая администрация"),
    ("г.а.", "городская администрация"),
    ("р.а.", "районная администрация"),
    ("кр.хоз.", "крестьянское хозяйство"),
    ("кр.хоз", "крестьянское хозяйство"),
    ("крес.пос.", "крестьянское поселение"),
    ("отг.ст.", "отгон"),
    ("Жив.точка", "животноводческая точка"),
    ("Жив.т.", "животноводческая точка"),
    ("рзд.", "разъезд"),
    ("ст.", "станция"),
    ("уч.", "участок"),
    ("отг.", "отгон"),
    ("Отд.", "отделение"),
    ("отд.", "отделение"),
    ("с.", "село"),
    ("п.", "посёлок"),
    ("г.", "город"),
    ("область ", "область"),
    ("район ", "район"),
    ("Район ", "район"),
]
# Russian abbreviations and kind words after the name: (suffix, kind_ru).
RU_SUFFIXES = [
    ("с.о.", "сельский округ"),
    ("с.о", "сельский округ"),
    ("с.а.", "сельская администрация"),
    ("п.а.", "поселковая администрация"),
    ("г.а.", "городская администрация"),
    ("Г.А.", "городская администрация"),
    ("р.а.", "районная администрация"),
    ("ст.", "станция"),
    ("с.", "село"),
    ("район", "район"),
    ("область", "область"),
]
# Kazakh abbreviations and kind words after the name (kinds are not shipped).
KK_SUFFIXES = [
    "а.о.",
    "а.о",
    "а.ә.",
    "а.ә",
    "к.ә.",
    "қ.ә.",
    "Қ.Ә.",
    "Г.А.",
    "шар.қож.",
    "шар.қонысы",
    "шаруаш.қонысы",
    "ст.ж.",
    "ауданы",
    "облысы",
    "а.",
    "а",
    "к.",
    "қ.",
    "ќ.",
    "ж.",
    "уч.",
    "ст.",
    "рзд.",
    "р.",
    "с.",
]
KK_PREFIXES = ["рзд.", "а."]


def _squash(text: str) -> str:
    """Collapse runs of whitespace and trim."""
    return re.sub(r"\s+", " ", text).strip()


def _strip_suffix(name: str, suffix: str) -> str | None:
    """The name without a trailing kind word/abbreviation, or None when it does not end so.

    The suffix must follow a space, or a dot ("атын.а.о.", "им.X"), so that words are not cut.
    """
    if not name.endswith(suffix) or len(name) == len(suffix):
        return None
    head = name[: -len(suffix)]
    if head.endswith(" "):
        return _squash(head)
    if head.endswith(".") and suffix[0].isalpha():
        return _squash(head)
    return None


def clean_ru(raw: str) -> tuple[str, str]:
    """(clean name, kind_ru) of a Russian KATO name."""
    name = _squash(re.sub(r"\s+\.$", ".", raw))
    kind = ""
    for prefix, prefix_kind in RU_PREFIXES:
        rest = name[len(prefix) :]
        if name.startswith(prefix) and rest.strip() and not rest.startswith("о."):
            name, kind = _squash(rest), prefix_kind
            break
    for suffix, suffix_kind in RU_SUFFIXES:
        head = _strip_suffix(name, suffix)
        if head:
            name, kind = head, kind or suffix_kind
            break
    return name, kind


def clean_kk(raw: str) -> str:
    """The clean name of a Kazakh KATO name."""
    name = _squash(re.sub(r"\s+\.$", ".", raw))
    for prefix in KK_PREFIXES:
        if name.startswith(prefix) and name[len(prefix) :].strip():
            name = _squash(name[len(prefix) :])
            break
    for _ in range(2):  # "Ақоба а. а." repeats the suffix
        for suffix in KK_SUFFIXES:
            head = _strip_suffix(name, suffix)
            if head and (
                suffix != "а" or head.endswith("ат.")
            ):  # "ат.а" lacks its last dot
                name = head
                break
    return name


def district_code(code: str, level: str) -> str:
    """The district a unit belongs to (itself for a district), or the city for city districts."""
    if level == "region":
        return ""
    if code[:2] in CITY_REGIONS:
        return code[:2] + "0000000"
    return code[:4] + "00000"


def build_rows(rows: list[dict[str, str]]) -> list[list[str]]:
    """The gazetteer rows, sorted by code, validated; raises ValueError on any problem."""
    out = []
    for row in rows:
        code = row["kato"].strip()
        if not re.fullmatch(r"\d{9}", code):
            raise ValueError(f"bad KATO code {code!r}")
        if row["level"] not in LEVELS:
            raise ValueError(f"{code}: unknown level {row['level']!r}")
        level = LEVELS[row["level"]]
        raw_ru, raw_kk = _squash(row["name_ru"]), _squash(row["name_kk"])
        name_ru, kind_ru = clean_ru(raw_ru)
        name_kk = clean_kk(raw_kk)
        region = code[:2] + "0000000"
        fields = [
            code,
            level,
            name_ru,
            name_kk,
            raw_ru,
            raw_kk,
            kind_ru,
            district_code(code, level),
            region,
        ]
        if not all(fields[2:6]):
            raise ValueError(f"{code}: empty name in {fields}")
        if any("\t" in f or "\n" in f for f in fields):
            raise ValueError(f"{code}: tab or newline in {fields}")
        out.append(fields)
    out.sort(key=lambda f: f[0])
    _validate(out)
    return out


def _validate(rows: list[list[str]]) -> None:
    """Check counts, unique codes and that every parent exists."""
    codes = {r[0] for r in rows}
    levels = [r[1] for r in rows]
    found = {
        "rows": len(rows),
        "region": levels.count("region"),
        "district": levels.count("district"),
    }
    if found != EXPECTED:
        raise ValueError(f"counts {found} != expected {EXPECTED}")
    if len(codes) != len(rows):
        raise ValueError("duplicate KATO codes")
    for r in rows:
        if r[1] == "region" and r[0] != r[8]:
            raise ValueError(f"{r[0]}: a region whose code is not its region code")
        for parent in (r[7], r[8]):
            if parent and parent not in codes:
                raise ValueError(f"{r[0]}: parent {parent} does not exist")
        if r[1] == "district" and r[7] != r[0]:
            raise ValueError(f"{r[0]}: district outside the code[:4] rule")


def write_tsv_gz(rows: list[list[str]], path: Path) -> None:
    """Write the rows as gzip TSV with fixed header fields, so the bytes are reproducible."""
    text = "\t".join(COLUMNS) + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    buffer = io.BytesIO()
    with gzip.GzipFile(
        filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0
    ) as gz:
        gz.write(text.encode("utf-8"))
    path.write_bytes(buffer.getvalue())


def source_md(csv_path: Path, rows: list[list[str]]) -> str:
    """The SOURCE.md text: provenance, checksum, licence, level mapping, how to rebuild."""
    meta = json.loads(
        (csv_path.parent / "kato.source.json").read_text(encoding="utf-8")
    )
    licence = (
        (csv_path.parent / "LICENSE").read_text(encoding="utf-8").strip().splitlines()
    )
    sha = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    by_level = {lv: sum(r[1] == lv for r in rows) for lv in LEVELS.values()}
    mapping = "\n".join(
        f"| `{k}` | `{v}` | {by_level[v]:,} |" for k, v in LEVELS.items()
    )
    return f"""# Gazetteer data: source and licence

`kato.tsv.gz` is built from KATO, the official classifier of administrative-territorial
units of the Republic of Kazakhstan (КАТО), edition **{meta["kato_version"]}**, actualised
**{meta["actualised_at"]}**, published by {meta["publisher"]} ({meta["listing_url"]}).
The classifier itself is an official state publication ({meta["approved"]}; in force from
{meta["in_force_from"]}).

- Input: `kato.csv` (compilation from GitHub siaarzh/kz-tax-rates, `data/kato.csv`),
  {csv_path.stat().st_size:,} bytes, {len(rows):,} rows,
  sha256 `{sha}`.
  (`kato.source.json` records sha256 `{meta["sha256"]}` / {meta["bytes"]:,} bytes, which
  do not match this csv; what they were computed over is not recorded, so the checksum
  above, of the csv actually used, is the one to verify against.)
- Compilation licence: {licence[0]} ({licence[2] if len(licence) > 2 else ""}).

## Levels

| KATO `level` | gazetteer `level` | rows |
|---|---|---|
{mapping}

KATO `type_code` (0 region, 1 urban, 2 rural, 3 city/town administration with rural
settlements, 4 district with urban settlements) is not shipped. `rural_district` is KATO's
second level under a district: rural districts (`с.о.`), but also town administrations
(`г.а.`, `п.а.`, `с.а.`), cities under a city administration (`г.`), and the city districts of Astana, Almaty
and Shymkent, whose `district_code` is their city (code[:2] + "0000000").

## Columns

`code, level, name_ru, name_kk, raw_ru, raw_kk, kind_ru, district_code, region_code`;
`name_*` are the names without the KATO abbreviations and kind words (see
`scripts/build_gazetteer.py`: RU_PREFIXES, RU_SUFFIXES, KK_SUFFIXES, KK_PREFIXES), `raw_*`
the names as published. UTF-8, tab-separated, sorted by code, gzip with mtime 0.

## Rebuild

    .venv/bin/python scripts/build_gazetteer.py ../shared/data/kato/kato.csv

Re-running on the same input gives byte-identical files (tests/test_gazetteer.py checks it).
"""


def main(argv: list[str] | None = None) -> int:
    """Build the gazetteer files; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    with args.csv.open(encoding="utf-8", newline="") as handle:
        rows = build_rows(list(csv.DictReader(handle)))
    args.out_dir.mkdir(parents=True, exist_ok=True)
    write_tsv_gz(rows, args.out_dir / "kato.tsv.gz")
    (args.out_dir / "SOURCE.md").write_text(source_md(args.csv, rows), encoding="utf-8")
    print(f"wrote {len(rows)} places to {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
