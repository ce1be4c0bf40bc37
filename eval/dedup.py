"""Measure near-duplicate detection on the generated reprint set (eval/dedup_set.py).

Usage: .venv/bin/python eval/dedup.py [--shingles 3 4 5] [--thresholds 0.3 0.4 ...]
       [--jaccard-only] [--detail 0.6]

The originals go into a NearDuplicateIndex; every reprint must come back as its original and
no negative may come back at all. Per reprint kind: precision, recall and F1 of that kind's
reprints against all the negatives; overall: all reprints against all the negatives.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dedup_set import EDITS, DedupSet, build  # noqa: E402

from kelisim.config import IngestOptions  # noqa: E402
from kelisim.dedup import SHINGLE_SIZE, NearDuplicateIndex, content_hash, signature  # noqa: E402

DEFAULT_THRESHOLD = IngestOptions().near_duplicate_threshold
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
POSITIVE_KINDS = (*EDITS, "natural_repost", "natural_rewrite")
NEGATIVE_KINDS = ("neg_same_topic", "neg_other", "neg_quote", "neg_template", "neg_ticker")
MIN_ROWS_FOR_PRECISION = 20


@dataclass
class Report:
    """Outcome counts per query kind at one threshold, and the lookup speed."""

    threshold: float
    found: Counter = field(default_factory=Counter)  # reprints matched to their original
    wrong: Counter = field(default_factory=Counter)  # queries matched to another document
    total: Counter = field(default_factory=Counter)
    queries_per_s: float = 0.0

    def scores(self, kinds: tuple[str, ...] = POSITIVE_KINDS) -> tuple[float, float, float]:
        """Precision, recall and F1 of the given reprint kinds against all the negatives."""
        tp = sum(self.found[k] for k in kinds)
        fp = sum(self.wrong[k] for k in (*kinds, *NEGATIVE_KINDS))
        n = sum(self.total[k] for k in kinds)
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / n if n else 1.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def rate(self, kind: str) -> float:
        """Recall of a reprint kind, or the false-positive rate of a negative kind."""
        hits = self.wrong[kind] if kind in NEGATIVE_KINDS else self.found[kind]
        return hits / self.total[kind] if self.total[kind] else 0.0


@dataclass
class Signed:
    """The evaluation set with every text's signature, and the signing speed."""

    data: DedupSet
    originals: list[bytes]
    queries: list[bytes]
    signatures_per_s: float


def sign(data: DedupSet, shingle_size: int = SHINGLE_SIZE) -> Signed:
    """Compute the signatures of all originals and queries, timed."""
    start = time.perf_counter()
    originals = [signature(d.text, shingle_size=shingle_size) for d in data.originals]
    queries = [signature(q.text, shingle_size=shingle_size) for q in data.queries]
    elapsed = time.perf_counter() - start
    return Signed(data, originals, queries, (len(originals) + len(queries)) / elapsed)


def evaluate(signed: Signed, threshold: float, containment: bool = True) -> Report:
    """Index the originals, look up every query, count the outcomes per kind."""
    index = NearDuplicateIndex(threshold, containment=containment)
    for doc_id, sig in enumerate(signed.originals):
        index.add(doc_id, sig)
    keys = [d.key for d in signed.data.originals]
    report = Report(threshold)
    start = time.perf_counter()
    matches = [index.find(sig) for sig in signed.queries]
    report.queries_per_s = len(matches) / (time.perf_counter() - start)
    for query, match in zip(signed.data.queries, matches):
        report.total[query.kind] += 1
        if match is not None and keys[match.doc_id] == query.expected:
            report.found[query.kind] += 1
        elif match is not None:
            report.wrong[query.kind] += 1
    return report


def exact_hash_recall(data: DedupSet, kind: str = "format") -> float:
    """Share of the reprints of a kind whose content hash equals their original's."""
    hashes = {d.key: content_hash(d.text) for d in data.originals}
    queries = [q for q in data.queries if q.kind == kind]
    return sum(content_hash(q.text) == hashes[q.expected] for q in queries) / len(queries)


def print_sweep(reports: list[Report]) -> None:
    """Recall per reprint kind, false-positive rate per negative kind, P/R/F1 per threshold."""
    print(f"{'kind':<16}{'n':>5}" + "".join(f"{r.threshold:>7.2f}" for r in reports))
    for kind in (*POSITIVE_KINDS, *NEGATIVE_KINDS):
        cells = "".join(f"{r.rate(kind):>7.3f}" for r in reports)
        print(f"{kind:<16}{reports[0].total[kind]:>5}{cells}")
    for i, name in enumerate(("precision", "recall", "F1")):
        print(f"{name:<21}" + "".join(f"{r.scores()[i]:>7.3f}" for r in reports))


def print_detail(report: Report) -> None:
    """Precision, recall and F1 per reprint kind (against all negatives) at one threshold."""
    negatives = sum(report.total[k] for k in NEGATIVE_KINDS)
    print(f"\nat threshold {report.threshold}: each reprint kind against all {negatives} negatives")
    print(f"{'kind':<16}{'n':>5}{'P':>7}{'R':>7}{'F1':>7}{'wrong':>7}")
    for kind in POSITIVE_KINDS:
        p, r, f = report.scores((kind,))
        few = report.total[kind] < MIN_ROWS_FOR_PRECISION  # too few for P to mean anything
        cells = f"{'-':>7}{r:>7.3f}{'-':>7}" if few else f"{p:>7.3f}{r:>7.3f}{f:>7.3f}"
        print(f"{kind:<16}{report.total[kind]:>5}{cells}{report.wrong[kind]:>7}")
    p, r, f = report.scores()
    n = sum(report.total[k] for k in POSITIVE_KINDS)
    print(f"{'overall':<16}{n:>5}{p:>7.3f}{r:>7.3f}{f:>7.3f}")
    for kind in NEGATIVE_KINDS:
        print(f"{kind:<16}{report.total[kind]:>5}  false positives {report.wrong[kind]}")


def main(argv: list[str] | None = None) -> None:
    """Print the sweep for each shingle size, the detail at one threshold, and the speed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shingles", type=int, nargs="+", default=[SHINGLE_SIZE])
    parser.add_argument("--thresholds", type=float, nargs="+", default=list(THRESHOLDS))
    parser.add_argument("--detail", type=float, default=DEFAULT_THRESHOLD,
                        help="threshold of the per-kind table (default: the shipped one)")
    parser.add_argument("--jaccard-only", action="store_true", help="verify without containment")
    args = parser.parse_args(argv)
    data = build()
    print(f"set {data.fingerprint}: {len(data.originals)} originals, {len(data.queries)} queries")
    print(f"exact content hash, 'format' reprints: recall {exact_hash_recall(data):.3f}")
    for size in args.shingles:
        signed = sign(data, size)
        reports = [evaluate(signed, t, not args.jaccard_only) for t in args.thresholds]
        verify = "Jaccard" if args.jaccard_only else "max(Jaccard, containment)"
        print(f"\nword {size}-shingles, {verify}: {signed.signatures_per_s:,.0f} signatures/s, "
              f"{min(r.queries_per_s for r in reports):,.0f}+ queries/s")
        print_sweep(reports)
        print_detail(evaluate(signed, args.detail, not args.jaccard_only))


if __name__ == "__main__":
    main()
