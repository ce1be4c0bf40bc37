"""Russian NER on factRuEval-2016 dev: Kelisim's reader side by side with plain natasha.

Gold: every Person, Org, Location and LocOrg object of the ``.objects`` files, as the character
range from its first to its last span (LocOrg counts as LOC); an object nested inside another
(«Москвы» inside «мэрии Москвы») is dropped, so both systems face the outermost mention, as
natasha's own benchmark does. Both systems read the same texts in the same run; figures are
token-level (each word labelled with the type of the span covering it, natasha's convention)
and exact-span precision, recall and F1 per type (span ends compared without quotation marks).

Run: ``.venv/bin/python eval/ner.py [--data ../shared/data]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import razdel

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
TYPES = ("PER", "ORG", "LOC")
_NAME_START = re.compile(r"(?<![\w-])[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9«\"]")
_QUOTE_EDGE = frozenset("«»\"“”„' ")
_GOLD_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}


@dataclass(frozen=True)
class Span:
    """A typed character range of a document."""

    type: str
    start: int
    end: int


@dataclass(frozen=True)
class Document:
    """A factRuEval document and its gold spans."""

    name: str
    text: str
    gold: tuple[Span, ...]


def documents(data: Path) -> list[Document]:
    """The factRuEval dev documents with their outermost gold spans, in name order."""
    folder = data / "factru-dev"
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        spans = _read_spans(txt.with_suffix(".spans"))
        gold = _outermost(_read_objects(txt.with_suffix(".objects"), spans))
        docs.append(Document(txt.stem, text, tuple(gold)))
    return docs


def _read_spans(path: Path) -> dict[str, tuple[int, int]]:
    """Span id → (start, end) from a ``.spans`` file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#")[0].split()
        if len(parts) >= 4:
            found[parts[0]] = (int(parts[2]), int(parts[2]) + int(parts[3]))
    return found


def _read_objects(path: Path, spans: dict[str, tuple[int, int]]) -> list[Span]:
    """Typed objects, each as the range from its first span's start to its last span's end."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("#")[0].split()
        if len(parts) < 3 or parts[1] not in _GOLD_TYPES:
            continue
        ranges = [spans[s] for s in parts[2:] if s in spans]
        if ranges:
            found.append(Span(_GOLD_TYPES[parts[1]], min(r[0] for r in ranges), max(r[1] for r in ranges)))
    return found


def _outermost(spans: list[Span]) -> list[Span]:
    """Distinct spans not nested inside another span."""
    unique = sorted(set(spans), key=lambda s: (s.start, -s.end))
    return [s for s in unique if not any(o != s and o.start <= s.start and s.end <= o.end
                                         and (o.start, o.end) != (s.start, s.end) for o in unique)]


def fingerprint(data: Path) -> str:
    """A hash of the evaluation texts and annotations, so a gate notices when they change."""
    digest = hashlib.sha256()
    for path in sorted((data / "factru-dev").glob("*")):
        if path.suffix in (".txt", ".spans", ".objects"):
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def natasha_spans(docs: list[Document]) -> tuple[list[list[Span]], float]:
    """Plain natasha as its README shows it, one document at a time; spans and seconds."""
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    began = time.perf_counter()
    found = []
    for doc in docs:
        nat = Doc(doc.text)
        nat.segment(segmenter)
        nat.tag_ner(tagger)
        found.append([Span(s.type, s.start, s.stop) for s in nat.spans if s.type in TYPES])
    return found, time.perf_counter() - began


def kelisim_spans(docs: list[Document]) -> tuple[list[list[Span]], float]:
    """Kelisim's reader over the same texts (verbatim, Russian); entity spans and seconds."""
    from kelisim.reading.reader import Reader, TextInput

    reader = Reader.load()
    began = time.perf_counter()
    readings = reader.read_batch([TextInput(doc.name, doc.text, "ru") for doc in docs])
    found = [[Span(e.type, e.start, e.end) for e in r.entities] + _outlets(r) for r in readings]
    return found, time.perf_counter() - began


def _outlets(reading) -> list[Span]:
    """The outlets a text credits, as ORG spans: Kelisim records them under ``attribution``
    rather than among the actors in ``entities``, and factRuEval annotates them as organisations.
    The outlet's name is the attribution without its leading lower-case cue words
    («передает Интерфакс» → «Интерфакс»)."""
    spans = []
    for item in reading.attribution:
        for match in _NAME_START.finditer(item.text):
            spans.append(Span("ORG", item.start + match.start(), item.end))
            break
    return spans


def score(docs: list[Document], predicted: list[list[Span]]) -> dict:
    """Token-level and exact-span precision, recall and F1 per type."""
    tokens, spans = Counter(), Counter()
    for doc, pred in zip(docs, predicted, strict=True):
        _count_tokens(doc, pred, tokens)
        gold_set = {_core(doc.text, s) for s in doc.gold}
        pred_set = {_core(doc.text, s) for s in _outermost(pred)}
        for kind in TYPES:
            g = {s for s in gold_set if s[0] == kind}
            p = {s for s in pred_set if s[0] == kind}
            spans[kind, "tp"] += len(g & p)
            spans[kind, "fp"] += len(p - g)
            spans[kind, "fn"] += len(g - p)
    return {"token": _prf(tokens), "span": _prf(spans)}


def _core(text: str, span: Span) -> tuple[str, int, int]:
    """A span without quotation marks and spaces at its ends: the gold of «Яблоко» stops before
    the closing mark, and whether a name's quotes are part of it is a convention, not a fact."""
    start, end = span.start, span.end
    while start < end and text[start] in _QUOTE_EDGE:
        start += 1
    while end > start and text[end - 1] in _QUOTE_EDGE:
        end -= 1
    return span.type, start, end


def _count_tokens(doc: Document, pred: list[Span], counts: Counter) -> None:
    """Count, per type, words labelled alike (tp), only by the system (fp), only by gold (fn)."""
    for token in razdel.tokenize(doc.text):
        if not any(ch.isalnum() for ch in token.text):
            continue
        gold = _label(doc.gold, token.start, token.stop)
        guess = _label(pred, token.start, token.stop)
        if gold and gold == guess:
            counts[gold, "tp"] += 1
            continue
        if guess:
            counts[guess, "fp"] += 1
        if gold:
            counts[gold, "fn"] += 1


def _label(spans: list[Span] | tuple[Span, ...], start: int, end: int) -> str | None:
    for span in spans:
        if span.start <= start and end <= span.end:
            return span.type
    return None


def _prf(counts: Counter) -> dict:
    figures = {}
    for kind in TYPES:
        tp, fp, fn = counts[kind, "tp"], counts[kind, "fp"], counts[kind, "fn"]
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figures[kind] = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
                         "tp": tp, "fp": fp, "fn": fn}
    return figures


def evaluate(data: Path) -> dict:
    """Both systems on the same documents: figures, and seconds each took."""
    docs = documents(data)
    nat, nat_seconds = natasha_spans(docs)
    kel, kel_seconds = kelisim_spans(docs)
    return {"documents": len(docs), "gold": Counter(s.type for d in docs for s in d.gold),
            "natasha": score(docs, nat), "kelisim": score(docs, kel),
            "seconds": {"natasha": round(nat_seconds, 2), "kelisim": round(kel_seconds, 2)}}


def markdown(result: dict) -> str:
    """The figures as a Markdown table."""
    lines = [f"factRuEval-2016 dev: {result['documents']} documents, gold mentions "
             + ", ".join(f"{k} {v}" for k, v in sorted(result["gold"].items())), "",
             "| level | type | natasha P | natasha R | natasha F1 | Kelisim P | Kelisim R | Kelisim F1 |",
             "|---|---|---|---|---|---|---|---|"]
    for level in ("token", "span"):
        for kind in TYPES:
            n, k = result["natasha"][level][kind], result["kelisim"][level][kind]
            lines.append(f"| {level} | {kind} | {n['precision']:.3f} | {n['recall']:.3f} | {n['f1']:.3f} "
                         f"| {k['precision']:.3f} | {k['recall']:.3f} | **{k['f1']:.3f}** |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = parser.parse_args()
    result = evaluate(args.data)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else markdown(result))


if __name__ == "__main__":
    sys.exit(main())
