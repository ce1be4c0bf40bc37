"""Measure detect_language on Kazakh and Russian gold text and print the figures as Markdown.

Kazakh: KazNERD validation sentences (tokens joined), alone and in 5-sentence paragraphs.
Russian: factRuEval-2016 dev documents and their sentences, RuEthnoHate dev texts (tags out).
Run: ``.venv/bin/python eval/language.py [--data ../shared/data]``.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

from kelisim.clean.language import detect_language

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LABELS = ("ru", "kk", "mixed", "en", "other")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[«\"“(]?[А-ЯЁӘҒҚҢӨҰҮҺІA-Z0-9])")
_TAG = re.compile(r"<[^>]+>")
_MIN_SENTENCE_CHARS = 20


def kaznerd_sentences(path: Path) -> list[str]:
    """Sentences of a token-per-line IOB2 file, tokens joined by spaces."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            tokens.append(line.split()[0])
        elif tokens:
            sentences.append(" ".join(tokens))
            tokens = []
    return sentences + ([" ".join(tokens)] if tokens else [])


def paragraphs(sentences: list[str], size: int = 5) -> list[str]:
    """Consecutive sentences glued into paragraphs of ``size``."""
    return [" ".join(sentences[i:i + size]) for i in range(0, len(sentences), size)]


def factru_documents(folder: Path) -> list[str]:
    """The texts of the factRuEval documents, in file-name order."""
    return [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, those under 20 characters dropped (headings, bylines)."""
    parts = (s.strip() for line in text.splitlines() for s in _SENTENCE_END.split(line))
    return [s for s in parts if len(s) >= _MIN_SENTENCE_CHARS]


def ruethnohate_texts(path: Path) -> list[str]:
    """Distinct texts of RuEthnoHate, HTML tags and entities removed."""
    texts: dict[int, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.setdefault(row["text_id"], html.unescape(_TAG.sub(" ", row["text"])))
    return list(texts.values())


def corpora(data: Path = DATA) -> dict[str, tuple[str, list[str]]]:
    """Every evaluation set: name → (true language, texts)."""
    kk = kaznerd_sentences(data / "kaznerd" / "IOB2_valid.txt")
    ru_docs = factru_documents(data / "factru-dev")
    return {
        "kk_sentence": ("kk", kk),
        "kk_paragraph": ("kk", paragraphs(kk)),
        "ru_document": ("ru", ru_docs),
        "ru_sentence": ("ru", [s for doc in ru_docs for s in split_sentences(doc)]),
        "ru_social": ("ru", ruethnohate_texts(data / "ruethnohate" / "dev.jsonl")),
    }


def fingerprint(data: Path = DATA) -> str:
    """SHA-256 over the evaluation files, so a changed corpus is noticed."""
    digest = hashlib.sha256()
    files = [data / "kaznerd" / "IOB2_valid.txt", data / "ruethnohate" / "dev.jsonl",
             *sorted((data / "factru-dev").glob("*.txt"))]
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def evaluate(sets: dict[str, tuple[str, list[str]]]) -> dict[str, dict]:
    """Accuracy, confusion and speed of detect_language on each set."""
    results = {}
    for name, (truth, texts) in sets.items():
        start = time.perf_counter()
        predicted = Counter(detect_language(text) for text in texts)
        seconds = time.perf_counter() - start
        results[name] = {
            "truth": truth,
            "n": len(texts),
            "accuracy": predicted[truth] / len(texts),
            "confusion": dict(predicted),
            "texts_per_second": len(texts) / seconds if seconds else float("inf"),
        }
    return results


def markdown(results: dict[str, dict]) -> str:
    """The results as a Markdown table."""
    head = "| set | true | n | accuracy | " + " | ".join(f"→{l}" for l in LABELS) + " | texts/s |"
    rule = "|" + "---|" * (5 + len(LABELS))
    rows = [head, rule]
    for name, r in results.items():
        cells = " | ".join(str(r["confusion"].get(label, 0)) for label in LABELS)
        rows.append(f"| {name} | {r['truth']} | {r['n']} | {r['accuracy']:.2%} | {cells} | "
                    f"{r['texts_per_second']:,.0f} |")
    return "\n".join(rows)


def errors(sets: dict[str, tuple[str, list[str]]], name: str, limit: int) -> list[str]:
    """Up to ``limit`` texts of one set that were misclassified, with the wrong label."""
    truth, texts = sets[name]
    wrong = ((detect_language(t), t) for t in texts)
    return [f"{label}\t{text[:200]}" for label, text in wrong if label != truth][:limit]


def main(argv: list[str] | None = None) -> int:
    """Print the language figures (and some errors with --errors N)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--errors", type=int, default=0, help="show N errors per set")
    args = parser.parse_args(argv)
    sets = corpora(args.data)
    print(f"corpus sha256: {fingerprint(args.data)}\n")
    print(markdown(evaluate(sets)))
    for name in sets if args.errors else ():
        print(f"\n## {name}\n" + "\n".join(errors(sets, name, args.errors)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
