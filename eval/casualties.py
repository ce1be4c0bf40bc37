"""Measure the casualty counts (kelisim.understanding.casualties) and print the figures as Markdown.

The sample (``eval/casualties_sample.tsv``) holds real sentences, labelled by hand before the
cues were tuned: factRuEval dev news, KazNERD Kazakh sentences (often twice: numbers in words and
in digits), RuEthnoHate posts, the seeds (``*``: the whole cleaned seed; otherwise a line of the
raw seed 002, whose news ticker states casualties) and one whole factRuEval document (``*``). Each
row gives the killed, injured and detained counts a careful reader takes from the text (empty:
not stated; 0: stated as none), including tricky negatives: years, money, ages, percentages,
times and things counted near a casualty word. Rows are split dev (tuned on) and test (measured
only) by a stable hash of source and document, so the sentences of one document and the two
versions of one KazNERD sentence fall in the same split.

Per kind and split: precision and recall of "the text states a count of this kind", their F1, and
exact-value accuracy where both the label and the prediction have a value; and the share of rows
whose three values are all right. Speed: ms per 3 KB over the seeds and the factRuEval texts.

Run: ``.venv/bin/python eval/casualties.py [--data ../shared/data] [--errors dev|test|all]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
import time
from pathlib import Path

from kelisim.clean.pipeline import clean_text
from kelisim.reading.document import TextView
from kelisim.understanding.casualties import KINDS, Casualties, find_casualties

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SEEDS = ROOT.parent / "shared" / "seeds"
SAMPLE = Path(__file__).resolve().parent / "casualties_sample.tsv"
COLUMNS = ("source", "id", "sentence", "killed", "injured", "detained", "split", "reason")
WHOLE = "*"


def split_of(source: str, item: str) -> str:
    """dev or test, by a stable hash of the source and the document (the id before any «#»)."""
    document = item.split("#")[0]
    digest = int(hashlib.sha1(f"{source}:{document}".encode()).hexdigest(), 16)
    return "dev" if digest % 2 == 0 else "test"


def sample(path: Path = SAMPLE) -> list[dict[str, str]]:
    """The labelled rows, checked: the header, no repeated id, values are whole numbers."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows and tuple(rows[0]) == COLUMNS, f"{path}: header must be {COLUMNS}"
    assert len({(r["source"], r["id"]) for r in rows}) == len(rows), "an id repeats"
    for row in rows:
        assert row["split"] in ("dev", "test") and all(row[k] == "" or row[k].isdigit() for k in KINDS), row
        if row["source"] != "kaznerd":
            assert row["split"] == split_of(row["source"], row["id"]), row
    return rows


def text_of(row: dict[str, str], data: Path, seeds: Path) -> tuple[str, str]:
    """The text a row labels and its language: the sentence itself, or a whole document."""
    language = "kk" if row["source"] == "kaznerd" else "ru"
    if row["sentence"] != WHOLE:
        return row["sentence"], language
    if row["source"] == "seed":
        raw = next(seeds.glob(f"{row['id']}_*.txt")).read_text(encoding="utf-8")
        return clean_text(raw, "text").text, language
    return (data / "factru-dev" / f"{row['id'].split('#')[0]}.txt").read_text(encoding="utf-8"), language


def truth(row: dict[str, str]) -> dict[str, int | None]:
    return {kind: int(row[kind]) if row[kind] else None for kind in KINDS}


def figures(pairs: list[tuple[dict, Casualties]]) -> dict:
    """Per kind precision, recall, F1 and exact-value accuracy; rows with all three right."""
    result = {"n": len(pairs)}
    for kind in KINDS:
        both = [(t[kind], getattr(p, kind)) for t, p in pairs]
        found = sum(1 for t, p in both if t is not None and p is not None)
        predicted = sum(1 for _, p in both if p is not None)
        labelled = sum(1 for t, _ in both if t is not None)
        precision = found / predicted if predicted else 0.0
        recall = found / labelled if labelled else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        exact = sum(1 for t, p in both if t is not None and p is not None and t == p)
        result[kind] = {"labelled": labelled, "predicted": predicted, "precision": round(precision, 3),
                        "recall": round(recall, 3), "f1": round(f1, 3),
                        "exact": round(exact / found, 3) if found else 0.0}
    right = sum(all(t[k] == getattr(p, k) for k in KINDS) for t, p in pairs)
    result["rows_right"] = round(right / len(pairs), 3) if pairs else 0.0
    return result


def speed(texts: list[tuple[str, str]], runs: int = 5) -> float:
    """find_casualties's own time (tokens made beforehand, warm, best of ``runs``), ms per 3 KB."""
    views = [TextView.of(text, language) for text, language in texts]
    for view in views:
        find_casualties(view)
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for view in views:
            find_casualties(view)
        best = min(best, time.process_time() - started)
    return round(best * 1000 * 3000 / sum(len(v.text) for v in views), 3)


def fingerprint(data: Path = DATA, seeds: Path = SEEDS, path: Path = SAMPLE) -> str:
    """SHA-256 over the sample file and every text it names, in sample order."""
    digest = hashlib.sha256(path.read_bytes())
    for row in sample(path):
        text, language = text_of(row, data, seeds)
        digest.update(f"\0{row['source']}:{row['id']}:{language}\0{text}".encode())
    return digest.hexdigest()


def evaluate(data: Path = DATA, seeds: Path = SEEDS, timed: bool = True) -> dict:
    """Figures per split, the rows that went wrong and (unless ``timed=False``) speed."""
    rows = sample()
    predictions = [find_casualties(TextView.of(*text_of(r, data, seeds))) for r in rows]
    result: dict = {"errors": [], "ms_per_3kb": None}
    for split in ("dev", "test"):
        result[split] = figures([(truth(r), p) for r, p in zip(rows, predictions, strict=True)
                                 if r["split"] == split])
    for row, found in zip(rows, predictions, strict=True):
        if any(truth(row)[k] != getattr(found, k) for k in KINDS):
            result["errors"].append((row["split"], row["source"], row["id"], _show(truth(row)),
                                     _show({k: getattr(found, k) for k in KINDS}), row["reason"]))
    if timed:
        texts = [(p.read_text(encoding="utf-8"), "ru") for p in sorted(seeds.glob("0*.txt"))]
        texts += [(p.read_text(encoding="utf-8"), "ru") for p in sorted((data / "factru-dev").glob("*.txt"))]
        result["ms_per_3kb"] = speed(texts)
    return result


def _show(values: dict) -> str:
    return " / ".join("–" if values[k] is None else str(values[k]) for k in KINDS)


def markdown(result: dict, errors: str | None = None) -> str:
    """The figures as Markdown."""
    lines = ["| split | kind | labelled | predicted | precision | recall | F1 | exact value |",
             "|---|---|---|---|---|---|---|---|"]
    for split in ("dev", "test"):
        for kind in KINDS:
            f = result[split][kind]
            lines.append(f"| {split} | {kind} | {f['labelled']} | {f['predicted']} | {f['precision']:.2f} | "
                         f"{f['recall']:.2f} | {f['f1']:.2f} | {f['exact']:.2f} |")
    lines += ["", "| split | rows | all three right |", "|---|---|---|"]
    lines += [f"| {s} | {result[s]['n']} | {result[s]['rows_right']:.3f} |" for s in ("dev", "test")]
    if result["ms_per_3kb"] is not None:
        lines += ["", (f"Speed (one core, warm, tokens made beforehand): {result['ms_per_3kb']} ms per 3 KB "
                       "over the seeds and the factRuEval texts.")]
    if errors:
        lines += ["", "| split | source | id | truth k/i/d | predicted k/i/d | reason |", "|---|---|---|---|---|---|"]
        lines += ["| " + " | ".join(e) + " |" for e in result["errors"] if errors in ("all", e[0])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--seeds", type=Path, default=SEEDS)
    parser.add_argument("--errors", choices=("dev", "test", "all"), help="list the rows that went wrong")
    args = parser.parse_args(argv)
    print(markdown(evaluate(args.data, args.seeds), args.errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
