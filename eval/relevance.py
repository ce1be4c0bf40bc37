"""Measure relevance (kelisim.understanding.relevance) on hand-labelled real texts and print the
figures as Markdown.

The sample ``eval/relevance_sample.tsv`` lists texts by source and id with a label read by hand
(1: about interethnic relations, 0: not, or a group named only in passing) and a one-line reason;
it holds no text. Sources: the five seeds (``seeds/``), all 122 factRuEval dev news texts, 120
RuEthnoHate texts (a fixed random draw by text_id: 50 whose labels are all neutral, 35 with a
negative and 35 with a positive attitude) and 149 KazNERD validation sentences that carry an
ethnic NORP tag (one per distinct sentence; the split's sentences are shuffled, so a sentence is
the only unit of a document there is). Each row is ``dev`` or ``test`` by a hash of its source
and id; the rules were tuned on dev only.

The real Reader reads every text, then the scorer decides. Reported: precision, recall and F1 on
dev, test and both, per source, and every error with its score.
Run: ``.venv/bin/python eval/relevance.py [--data ../shared/data] [--errors dev|test|all]``.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

from kelisim.reading.document import TextView
from kelisim.reading.reader import Reader, TextInput
from kelisim.understanding.relevance import RelevanceScorer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
SAMPLE = Path(__file__).resolve().parent / "relevance_sample.tsv"
COLUMNS = ("source", "id", "split", "relevant", "reason")
LANGUAGE = {"seed": "ru", "factru": "ru", "ruethnohate": "ru", "kaznerd": "kk"}
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


def split_of(source: str, id_: str) -> str:
    """``dev`` or ``test``, by the first byte of SHA-256 of «source:id» (stable across runs)."""
    return "dev" if hashlib.sha256(f"{source}:{id_}".encode()).digest()[0] % 2 == 0 else "test"


def read_sample(path: Path = SAMPLE) -> list[dict[str, str]]:
    """The rows of the labelled sample; each row's split must be the one its id hashes to."""
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    assert tuple(header.split("\t")) == COLUMNS, header
    rows = [dict(zip(COLUMNS, line.split("\t"), strict=True)) for line in lines if line]
    for row in rows:
        assert row["split"] == split_of(row["source"], row["id"]), row
    return rows


def texts(rows: list[dict[str, str]], data: Path = DATA) -> dict[tuple[str, str], str]:
    """The text of every sample row, read from the shared data (seeds beside it)."""
    wanted = defaultdict(set)
    for row in rows:
        wanted[row["source"]].add(row["id"])
    found = {}
    for source, ids in wanted.items():
        found.update({(source, id_): text for id_, text in READERS[source](data, ids).items()})
    return found


def _seeds(data: Path, ids: set[str]) -> dict[str, str]:
    paths = {path.name[:3]: path for path in sorted((data.parent / "seeds").glob("*.txt"))}
    return {id_: paths[id_].read_text(encoding="utf-8") for id_ in ids}


def _factru(data: Path, ids: set[str]) -> dict[str, str]:
    return {id_: (data / "factru-dev" / f"{id_}.txt").read_text(encoding="utf-8") for id_ in ids}


def _ruethnohate(data: Path, ids: set[str]) -> dict[str, str]:
    """Texts by text_id, HTML removed as in eval/ethnic.py (<br/> as a line break)."""
    found = {}
    for line in (data / "ruethnohate" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if str(row["text_id"]) in ids:
            found.setdefault(str(row["text_id"]), html.unescape(_TAG.sub("", _BREAK.sub("\n", row["text"]))))
    return found


def _kaznerd(data: Path, ids: set[str]) -> dict[str, str]:
    """Sentences by their index in the file, tokens joined by spaces."""
    found, words, index = {}, [], 0
    for line in [*(data / "kaznerd" / "IOB2_valid.txt").read_text(encoding="utf-8").splitlines(), ""]:
        if line.split():
            words.append(line.split()[0])
            continue
        if words:
            if str(index) in ids:
                found[str(index)] = " ".join(words)
            index, words = index + 1, []
    return found


READERS = {"seed": _seeds, "factru": _factru, "ruethnohate": _ruethnohate, "kaznerd": _kaznerd}


def predict(rows: list[dict[str, str]], data: Path = DATA, reader: Reader | None = None) -> dict:
    """The scorer's Relevance for every row (keyed by source and id), with timings."""
    found = texts(rows, data)
    keys = [(row["source"], row["id"]) for row in rows]
    items = [TextInput(f"{s}:{i}", found[(s, i)], LANGUAGE[s]) for s, i in keys]
    reader = reader or Reader.load()
    started = time.perf_counter()
    readings = reader.read_batch(items)
    read_s = time.perf_counter() - started
    scorer = RelevanceScorer.load()
    views = [TextView.of(item.text, item.language) for item in items]
    started = time.perf_counter()
    results = {key: scorer.score(view, reading) for key, view, reading in zip(keys, views, readings, strict=True)}
    score_s = time.perf_counter() - started
    size = sum(len(item.text) for item in items)
    return {"results": results, "read_s": round(read_s, 1),
            "ms_per_3kb": round(score_s * 1000 * 3000 / size, 3)}


def figures(pairs: list[tuple[int, bool]]) -> dict:
    """Precision, recall and F1 of (label, decision) pairs."""
    tp = sum(1 for label, decided in pairs if label and decided)
    fp = sum(1 for label, decided in pairs if not label and decided)
    fn = sum(1 for label, decided in pairs if label and not decided)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"n": len(pairs), "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def evaluate(data: Path = DATA, sample_path: Path = SAMPLE, reader: Reader | None = None) -> dict:
    """Figures by split and by source, the seeds' decisions, every error, and speed."""
    rows = read_sample(sample_path)
    predicted = predict(rows, data, reader)
    results = predicted["results"]
    groups = defaultdict(list)
    errors = []
    for row in rows:
        key, label = (row["source"], row["id"]), int(row["relevant"])
        relevance = results[key]
        for name in ("all", row["split"], f"{row['split']}:{row['source']}", f"all:{row['source']}"):
            groups[name].append((label, relevance.relevant))
        if label != relevance.relevant:
            errors.append({**row, "score": relevance.score,
                           "evidence": sorted({f"{c.kind}:{c.cue}" for c in relevance.evidence})})
    return {"figures": {name: figures(pairs) for name, pairs in sorted(groups.items())},
            "seeds": {i: results[("seed", i)].relevant for s, i in results if s == "seed"},
            "errors": errors, "read_s": predicted["read_s"], "ms_per_3kb": predicted["ms_per_3kb"]}


def fingerprint(data: Path = DATA, sample_path: Path = SAMPLE) -> str:
    """SHA-256 over the labelled sample and the texts it names."""
    rows = read_sample(sample_path)
    digest = hashlib.sha256(sample_path.read_bytes())
    for key, text in sorted(texts(rows, data).items()):
        digest.update(f"{key[0]}:{key[1]}\0{text}\0".encode())
    return digest.hexdigest()


def markdown(result: dict) -> str:
    """The figures as a Markdown table."""
    lines = ["| set | n | relevant | precision | recall | F1 |", "|---|---|---|---|---|---|"]
    for name, f in result["figures"].items():
        lines.append(f"| {name} | {f['n']} | {f['positives']} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} |")
    lines += ["", f"Seeds relevant: {result['seeds']}",
              f"Reader: {result['read_s']} s for the sample; scorer: {result['ms_per_3kb']} ms per 3 KB."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures; --errors lists the errors of one split."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--errors", choices=("dev", "test", "all"), help="list the errors of this split")
    args = parser.parse_args(argv)
    result = evaluate(args.data)
    print(f"corpus sha256: {fingerprint(args.data)}\n")
    print(markdown(result))
    if args.errors:
        print(f"\n## Errors ({args.errors})\n")
        for error in result["errors"]:
            if args.errors in ("all", error["split"]):
                kind = "missed" if error["relevant"] == "1" else "false alarm"
                print(f"- {error['source']}:{error['id']} ({error['split']}, {kind}, score {error['score']}): "
                      f"{error['reason']} — {', '.join(error['evidence']) or 'no evidence'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
