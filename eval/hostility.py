"""Measure hostility detection (kelisim.understanding.hostility) on hand-labelled real texts and
print the figures as Markdown.

The sample, ``eval/hostility_sample.tsv``, was labelled by reading each text before the rules
were tuned: 190 RuEthnoHate dev texts drawn by their most negative attitude label (110 with a
−1, 50 all 0, 30 with a +1 and no −1; seed 20260401), the 50 factRuEval dev documents in which
the ethnic matcher finds a group or collective mention of people, and the five seeds. Each row
has the source, the id (text_id or file name), the split (``dev`` or ``test`` by the first byte
of SHA-256 of "source:id": tuned on dev, only measured on test), the hand label (hostile 0/1),
the kinds found and a one-line reason. Texts are read from the shared data folder, never copied.

Figures: precision, recall and F1 of ``hostile`` on dev and test; per kind (is the text called
hostile with that kind among the kinds that counted, against the kinds of the label); the seeds;
the speed of ``detect()``; every error with the label's reason and the evidence.
Run: ``.venv/bin/python eval/hostility.py [--data ../shared/data] [--errors dev|test|all]``.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import random
import re
import sys
import time
from pathlib import Path

from kelisim.ethnic import EthnicMatcher
from kelisim.reading.document import TextView
from kelisim.understanding.hostility import KINDS, HostilityDetector
from kelisim.understanding.model import Hostility

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLE = Path(__file__).resolve().parent / "hostility_sample.tsv"
COLUMNS = ("source", "id", "split", "hostile", "kinds", "reason")
SPLITS = ("dev", "test")
SPEED_RUNS = 3
SAMPLE_SEED, STRATA = 20260401, ((-1, 110), (0, 50), (1, 30))
SPEED_PARTS = (("social", {"ruethnohate"}), ("news", {"factru", "seed"}))
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def clean(text: str) -> str:
    """A RuEthnoHate text without its HTML, as eval/ethnic.py reads it."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", text)))


def read_sample(path: Path = SAMPLE) -> list[dict[str, str]]:
    """The labelled rows of the sample file (each row's split is checked against its id)."""
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    assert tuple(header.split("\t")) == COLUMNS, header
    rows = [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines if line]
    assert all(row["split"] == split_of(row["source"], row["id"]) for row in rows)
    return rows


def draw(data: Path = DATA, seeds: Path = SEEDS) -> list[tuple[str, str]]:
    """The (source, id) pairs the sample was drawn as: RuEthnoHate texts by their most negative
    label (STRATA, seed SAMPLE_SEED), the factRuEval documents where the ethnic matcher finds a
    group or collective mention of people, and the seeds. The factRuEval part follows the
    matcher, so a later matcher may draw a little differently from the labelled file."""
    labels: dict[int, set[int]] = {}
    for line in (data / "ruethnohate" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        labels.setdefault(record["text_id"], set()).add(record["class"])
    strata: dict[int, list[int]] = {-1: [], 0: [], 1: []}
    for text_id in sorted(labels):
        found = labels[text_id]
        strata[-1 if -1 in found else 1 if 1 in found else 0].append(text_id)
    rng, drawn = random.Random(SAMPLE_SEED), []
    for label, size in STRATA:
        drawn += [("ruethnohate", str(t)) for t in sorted(rng.sample(strata[label], size))]
    matcher = EthnicMatcher.load()
    for path in sorted((data / "factru-dev").glob("*.txt")):
        mentions = matcher.find(TextView.of(path.read_text(encoding="utf-8"), "ru"))
        if any(m.kind in ("group", "collective") and m.person for m in mentions):
            drawn.append(("factru", path.name))
    return drawn + [("seed", path.name) for path in sorted(seeds.glob("*.txt"))]


def split_of(source: str, id: str) -> str:
    """dev or test, by the first byte of SHA-256 of "source:id" (stable across runs)."""
    return "dev" if hashlib.sha256(f"{source}:{id}".encode()).digest()[0] % 2 == 0 else "test"


def texts(rows: list[dict[str, str]], data: Path = DATA, seeds: Path = SEEDS) -> dict[tuple[str, str], str]:
    """The text of every sampled row, by (source, id)."""
    wanted = {row["id"] for row in rows if row["source"] == "ruethnohate"}
    found: dict[tuple[str, str], str] = {}
    for line in (data / "ruethnohate" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if str(record["text_id"]) in wanted:
            found.setdefault(("ruethnohate", str(record["text_id"])), clean(record["text"]))
    for row in rows:
        folder = {"factru": data / "factru-dev", "seed": seeds}.get(row["source"])
        if folder is not None:
            found[(row["source"], row["id"])] = (folder / row["id"]).read_text(encoding="utf-8")
    return found


def detect_all(corpus: dict[tuple[str, str], str], timed: bool = True,
               ) -> tuple[dict[tuple[str, str], Hostility], dict[str, float]]:
    """The detector's reading of every text, and the milliseconds per 3 KB that detect() takes
    on top of tokenisation and ethnic matching (which reading does anyway): the best of
    SPEED_RUNS passes after a first one that fills the word caches, on the social-media texts
    (dense with group mentions and slurs, the worst case) and on the news texts; ``timed=False``
    skips the timing passes."""
    matcher, detector = EthnicMatcher.load(), HostilityDetector.load()
    prepared = {key: (view, matcher.find(view)) for key, view in
                ((key, TextView.of(text, "ru")) for key, text in corpus.items())}
    found = {key: detector.detect(view, mentions) for key, (view, mentions) in prepared.items()}
    speed: dict[str, float] = {}
    for name, sources in SPEED_PARTS if timed else ():
        part = [(view, mentions) for key, (view, mentions) in prepared.items() if key[0] in sources]
        per_3kb = 1000 * 3000 / sum(len(view.text) for view, _ in part)
        speed[name] = round(per_3kb * min(_timed(lambda v, m: detector.detect(v, m), part)
                                          for _ in range(SPEED_RUNS)), 3)
        speed[f"{name}_matcher"] = round(per_3kb * min(_timed(lambda v, m: matcher.find(v), part)
                                                       for _ in range(SPEED_RUNS)), 3)
    return found, speed


def _timed(run, part: list) -> float:
    started = time.perf_counter()
    for view, mentions in part:
        run(view, mentions)
    return time.perf_counter() - started


def prf(pairs: list[tuple[bool, bool]]) -> dict:
    """Precision, recall and F1 of (gold, predicted) pairs, with the counts."""
    tp = sum(g and p for g, p in pairs)
    fp = sum(p and not g for g, p in pairs)
    fn = sum(g and not p for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(pairs), "gold": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def _names(found: Hostility, kind: str) -> bool:
    """Whether the detector calls a text hostile and names ``kind`` among the kinds that counted."""
    return found.hostile and kind in found.kinds


def evaluate(data: Path = DATA, sample_path: Path = SAMPLE, seeds: Path = SEEDS, timed: bool = True) -> dict:
    """Every figure: hostile P/R/F1 by split, per kind by split, the seeds, speed (unless
    ``timed=False``) and the errors."""
    rows = read_sample(sample_path)
    found, speed = detect_all(texts(rows, data, seeds), timed)
    result: dict = {"n": len(rows), "ms_per_3kb": speed, "errors": []}
    for split in SPLITS:
        part = [(row, found[(row["source"], row["id"])]) for row in rows if row["split"] == split]
        result[split] = prf([(row["hostile"] == "1", got.hostile) for row, got in part])
        result[split]["by_kind"] = {kind: prf([(kind in row["kinds"].split(","), _names(got, kind))
                                               for row, got in part]) for kind in KINDS}
    result["seeds_hostile"] = sum(found[(r["source"], r["id"])].hostile for r in rows if r["source"] == "seed")
    result["seeds"] = sum(r["source"] == "seed" for r in rows)
    news = [r for r in rows if r["source"] in ("factru", "seed")]
    result["news"], result["news_hostile"] = len(news), sum(found[(r["source"], r["id"])].hostile for r in news)
    for row in rows:
        got = found[(row["source"], row["id"])]
        if got.hostile != (row["hostile"] == "1"):
            result["errors"].append({**row, "score": got.score, "found": list(got.kinds),
                                     "evidence": [(e.text, e.kind, e.weight, e.context) for e in got.evidence]})
    return result


def fingerprint(data: Path = DATA, sample_path: Path = SAMPLE, seeds: Path = SEEDS) -> str:
    """SHA-256 over the sample file and every text it names, in sample order."""
    rows = read_sample(sample_path)
    digest = hashlib.sha256(sample_path.read_bytes())
    corpus = texts(rows, data, seeds)
    for row in rows:
        digest.update(f"\0{row['source']}:{row['id']}\0".encode() + corpus[(row["source"], row["id"])].encode())
    return digest.hexdigest()


def markdown(result: dict) -> str:
    """The figures as Markdown tables."""
    lines = ["| split | texts | hostile (gold) | precision | recall | F1 |", "|---|---|---|---|---|---|"]
    lines += [f"| {s} | {result[s]['n']} | {result[s]['gold']} | {result[s]['precision']:.3f} | "
              f"{result[s]['recall']:.3f} | {result[s]['f1']:.3f} |" for s in SPLITS]
    lines += ["", "| kind | split | gold | precision | recall | F1 |", "|---|---|---|---|---|---|"]
    for kind in KINDS:
        for s in SPLITS:
            k = result[s]["by_kind"][kind]
            lines.append(f"| {kind} | {s} | {k['gold']} | {k['precision']:.3f} | {k['recall']:.3f} | {k['f1']:.3f} |")
    lines += ["", (f"Seeds hostile: {result['seeds_hostile']} of {result['seeds']}; news texts (factRuEval and "
                   f"seeds) hostile: {result['news_hostile']} of {result['news']}.")]
    if result["ms_per_3kb"]:
        ms = result["ms_per_3kb"]
        lines.append(f"detect(), ms per 3 KB on top of tokenisation and ethnic matching: {ms['social']:.3f} on "
                     f"social-media texts, {ms['news']:.3f} on news (the ethnic matcher itself, for scale: "
                     f"{ms['social_matcher']:.3f} and {ms['news_matcher']:.3f}).")
    return "\n".join(lines)


def errors_markdown(result: dict, split: str) -> str:
    """Every error of a split (or all), with the label's reason and the evidence found."""
    lines = ["", f"## Errors ({split})", ""]
    for e in result["errors"]:
        if split in ("all", e["split"]):
            what = "missed" if e["hostile"] == "1" else "false alarm"
            evidence = "; ".join(f"{t} {k} {w:g}{' ' + c if c else ''}" for t, k, w, c in e["evidence"]) or "none"
            lines.append(f"- {what} {e['source']} {e['id']} ({e['split']}, score {e['score']}, "
                         f"gold {e['kinds'] or '-'}): {e['reason']} — found: {evidence}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures; --errors dev|test|all lists the errors of that split; --draw prints
    the ids the sample is drawn as (to label a fresh one) and stops."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--errors", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--draw", action="store_true", help="print source, id and split of a fresh draw")
    args = parser.parse_args(argv)
    if args.draw:
        print("\n".join(f"{source}\t{id}\t{split_of(source, id)}" for source, id in draw(args.data)))
        return 0
    result = evaluate(args.data)
    print(f"corpus sha256: {fingerprint(args.data)}\n")
    print(markdown(result))
    print(errors_markdown(result, args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
