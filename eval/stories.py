"""Measure story clustering (kelisim.warning.stories) and print the figures as Markdown.

No corpus of our news is annotated with stories, so three tests are built from real texts.
Every document is cleaned as ingest cleans it and read by the real Reader, then clustered
incrementally with ``assign`` and ``Centroid.add`` as the pipeline does, in a fixed shuffled
order, all on one day: the window never separates them, only their content does.

- ``real``: the 122 factRuEval-2016 dev news texts and the five seeds, grouped into stories by
  hand before anything was tuned (``eval/stories_sample.tsv``, a reason per document): four
  stories of two documents, the rest alone, many of them neighbours in topic (the Kuril dispute
  in December and in February, two steps of Microsoft's antitrust case months apart, three
  Facebook items, chess). It measures mostly the false merges of different events of one kind.
- ``halves``: every text of at least ``MIN_SPLIT`` characters cut at the paragraph or sentence
  boundary nearest its middle into two documents, as if two outlets had each written a part;
  the halves of a text are one story. A harsh test: a second half is often background.
- ``lead``: every such text as a news flash (its first paragraphs, at least ``FLASH_CHARS``)
  and the body after it.

Each story is ``dev`` or ``test`` by the first byte of SHA-256 of its id; each split is clustered
on its own. The threshold is the one with the best mean pairwise F1 over the three dev sets among
those that keep the five seeds (on one day) five stories and join the two halves of seed 004
(``--sweep`` prints them all); test is measured only. Figures: pairwise precision, recall and F1
of the same-story decision, B-cubed F1, stories found, the false merges of ``real``, the seeds,
the speed of ``story_doc``. ``--idf-from-dev`` measures test with an idf table built without the
test texts (the shipped table saw every factRuEval text). ``--write-idf`` rebuilds the table.

Run: ``.venv/bin/python eval/stories.py [--shared ../shared] [--workers 4] [--sweep]``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import math
import random
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path

import razdel

from kelisim.analyze import read_texts
from kelisim.config import IngestOptions
from kelisim.prepare import clean_only, headline
from kelisim.reading.reader import TextInput
from kelisim.records import RawItem, Skip
from kelisim.text.terms import WORD, lemma
from kelisim.warning import stories as st

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = Path(__file__).resolve().parent / "stories_sample.tsv"
COLUMNS = ("doc", "story", "reason")
MIN_SPLIT, MIN_PART, FLASH_CHARS = 800, 300, 250
ORDER_SEED = 20260501
DAY = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
SWEEP = [round(0.15 + 0.01 * i, 2) for i in range(26)]
SETS = ("real", "halves", "lead")
SEEDS = ("000", "001", "002", "003", "004")
HALVES_SEED = "004"
IDF_FILE = ROOT / "src" / "kelisim" / "warning" / "data" / "story_idf.tsv"
MAX_LISTED_IDF = 0.8  # rarer lemmas are left out of the table: they count as 1
SENTENCE_ENDS = ("", ".", "!", "?", "…", "«", '"', "-", "—", "–")  # a word after these may be capitalised
# Words of Kazakhstani news that name no event, added by hand (idf 0), lemmatised as the text
# is: administrative words (the place itself is a KATO feature), the outlet's "reports", dates
# (time is the window's business, and «в пятницу» joins nothing).
HAND_STOPWORDS = """район область аким акимат республика казахстанский регион село город поселок
столица округ аудан облыс ауыл қала кент өңір сообщает передает пресс-служба агентство
корреспондент информагентство издание портал сайт
январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь
понедельник вторник среда четверг пятница суббота воскресенье вчера сегодня завтра накануне
қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан
дүйсенбі сейсенбі сәрсенбі бейсенбі жұма сенбі жексенбі кеше бүгін ертең""".split()


@dataclass(frozen=True)
class Item:
    """One document of a test set: an id, its gold story, its text."""

    id: str
    story: str
    text: str
    language: str


def load_sample(path: Path = SAMPLE) -> list[dict[str, str]]:
    """The hand grouping: a row per document (``seed:000``, ``factru:book_58``), story, reason."""
    with path.open(encoding="utf-8") as lines:
        rows = list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))
    if not rows or tuple(rows[0]) != COLUMNS:
        raise ValueError(f"{path}: expected the columns {COLUMNS}")
    return rows


def fingerprint(shared: Path = SHARED, path: Path = SAMPLE) -> str:
    """SHA-256 over the sample file and every text it names, in sample order."""
    digest = hashlib.sha256(path.read_bytes())
    for row in load_sample(path):
        digest.update(f"\0{row['doc']}\0".encode() + source_path(row["doc"], shared).read_bytes())
    return digest.hexdigest()


def source_path(doc: str, shared: Path) -> Path:
    """The file of a sample document."""
    source, name = doc.split(":", 1)
    if source == "seed":
        return next((shared / "seeds").glob(f"{name}_*.txt"))
    return shared / "data" / "factru-dev" / f"{name}.txt"


def cleaned(doc: str, shared: Path) -> tuple[str, str]:
    """A document's text and language as ingest cleans them."""
    path = source_path(doc, shared)
    found = clean_only(RawItem(origin=f"file:{path}", body=path.read_bytes()), IngestOptions())
    if isinstance(found, Skip):
        raise RuntimeError(f"{doc}: {found}")
    return found[0], found[1]


def split_id(story: str) -> str:
    """``dev`` or ``test``, by the first byte of SHA-256 of the story id."""
    return "dev" if hashlib.sha256(story.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def _boundaries(text: str) -> list[int]:
    """Where a text may be cut: after a line break or a sentence."""
    return sorted({i + 1 for i, ch in enumerate(text) if ch == "\n"} | {s.stop for s in razdel.sentenize(text)})


def halves(text: str) -> tuple[str, str] | None:
    """A text cut at the boundary nearest its middle; None if it is shorter than ``MIN_SPLIT``
    or a part would be under ``MIN_PART`` characters."""
    cuts = [c for c in _boundaries(text) if MIN_PART <= c <= len(text) - MIN_PART]
    if len(text) < MIN_SPLIT or not cuts:
        return None
    cut = min(cuts, key=lambda c: (abs(c - len(text) / 2), c))
    return text[:cut].strip(), text[cut:].strip()


def flash_and_body(text: str) -> tuple[str, str] | None:
    """The first paragraphs or sentences (at least ``FLASH_CHARS``) and the rest, or None."""
    cuts = [c for c in _boundaries(text) if FLASH_CHARS <= c <= len(text) - MIN_PART]
    if len(text) < MIN_SPLIT or not cuts:
        return None
    return text[:cuts[0]].strip(), text[cuts[0]:].strip()


def build_sets(rows: list[dict[str, str]], shared: Path) -> dict[str, list[Item]]:
    """The three test sets from the hand-grouped documents."""
    sets: dict[str, list[Item]] = {name: [] for name in SETS}
    for row in rows:
        text, language = cleaned(row["doc"], shared)
        sets["real"].append(Item(row["doc"], row["story"], text, language))
        for name, cut in (("halves", halves), ("lead", flash_and_body)):
            for i, part in enumerate(cut(text) or (text,)):
                sets[name].append(Item(f"{row['doc']}#{i}", row["story"], part, language))
    return sets


def read_all(sets: dict[str, list[Item]], workers: int) -> dict[str, dict]:
    """The reading of every distinct text of the sets, by text."""
    texts = sorted({(item.text, item.language) for items in sets.values() for item in items})
    inputs = [TextInput(str(i), text, language) for i, (text, language) in enumerate(texts)]
    return {text: reading for (text, _), reading in zip(texts, read_texts(inputs, workers), strict=True)}


def story_docs(items: list[Item], readings: dict[str, dict]) -> list[st.StoryDoc]:
    """The items as story documents (id = index in ``items``) in a fixed shuffled order, a
    minute apart on one day, titled as ingest titles plain text."""
    order = list(range(len(items)))
    random.Random(ORDER_SEED).shuffle(order)
    return [st.story_doc(i, DAY + timedelta(minutes=n), headline(items[i].text, "text"), readings[items[i].text])
            for n, i in enumerate(order)]


def cluster(docs: list[st.StoryDoc], threshold: float) -> dict[int, int]:
    """Document id → story id, clustering in the given order as the pipeline does."""
    centroids: dict[int, st.Centroid] = {}
    found: dict[int, int] = {}
    for doc in docs:
        story, _ = st.assign(doc, list(centroids.items()), threshold)
        if story is None:
            story = len(centroids)
            centroids[story] = st.Centroid.of(doc)
        else:
            centroids[story].add(doc)
        found[doc.id] = story
    return found


def f1(p: float, r: float) -> float:
    """The harmonic mean of precision and recall."""
    return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(gold: dict[int, str], found: dict[int, int]) -> dict:
    """Precision, recall and F1 of the same-story decision over all pairs of documents."""
    tp = fp = fn = 0
    for a, b in combinations(sorted(gold), 2):
        same_gold, same_found = gold[a] == gold[b], found[a] == found[b]
        tp += same_gold and same_found
        fp += same_found and not same_gold
        fn += same_gold and not same_found
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"pairs": tp + fn, "p": p, "r": r, "f1": f1(p, r)}


def bcubed(gold: dict[int, str], found: dict[int, int]) -> dict:
    """B-cubed precision, recall and F1: per document, the share of its found story that is its
    gold story, and the share of its gold story found with it."""
    by_gold, by_found = defaultdict(set), defaultdict(set)
    for doc in gold:
        by_gold[gold[doc]].add(doc)
        by_found[found[doc]].add(doc)
    shared = {d: len(by_gold[gold[d]] & by_found[found[d]]) for d in gold}
    p = sum(shared[d] / len(by_found[found[d]]) for d in gold) / len(gold)
    r = sum(shared[d] / len(by_gold[gold[d]]) for d in gold) / len(gold)
    return {"p": p, "r": r, "f1": f1(p, r)}


def run_set(items: list[Item], readings: dict[str, dict], threshold: float) -> dict:
    """Cluster one set and score it against its gold stories."""
    found = cluster(story_docs(items, readings), threshold)
    gold = {i: item.story for i, item in enumerate(items)}
    false = sorted({tuple(sorted((items[a].id, items[b].id))) for a, b in combinations(sorted(gold), 2)
                    if found[a] == found[b] and gold[a] != gold[b]})
    return {"docs": len(items), "gold_stories": len(set(gold.values())), "found_stories": len(set(found.values())),
            "pairwise": pairwise(gold, found), "bcubed": bcubed(gold, found), "false_merges": false}


def part(items: list[Item], split: str) -> list[Item]:
    """The items of one split (``all``: every item)."""
    return [item for item in items if split == "all" or split_id(item.story) == split]


def seeds_check(sets: dict[str, list[Item]], readings: dict[str, dict], threshold: float) -> dict:
    """The five seeds on one day: stories found and the similarity of each pair; each seed's
    two halves alone: their similarity and whether they join; the ten halves together."""
    seeds = [item for item in sets["real"] if item.id.startswith("seed:")]
    docs = sorted(story_docs(seeds, readings), key=lambda d: d.id)
    pairs = {f"{seeds[a.id].id[5:]}-{seeds[b.id].id[5:]}": st.similarity(a, st.Centroid.of(b))
             for a, b in combinations(docs, 2)}
    halves_of = {seed: [i for i in sets["halves"] if i.id.startswith(f"seed:{seed}#")] for seed in SEEDS}
    own = {}
    for seed, items in halves_of.items():
        a, b = sorted(story_docs(items, readings), key=lambda d: d.id)
        own[seed] = {"similarity": st.similarity(a, st.Centroid.of(b)),
                     "joined": len(set(cluster([a, b], threshold).values())) == 1}
    together = run_set([i for items in halves_of.values() for i in items], readings, threshold)
    return {"stories": len(set(cluster(docs, threshold).values())), "pairs": pairs,
            "max_pair": max(pairs.items(), key=lambda kv: kv[1]), "halves": own, "together": together}


def sweep(sets: dict[str, list[Item]], readings: dict[str, dict]) -> dict:
    """Per threshold: the pairwise F1 of each dev set, their mean, and whether the seeds allow
    it; and the threshold chosen (the best allowed mean)."""
    rows = {}
    for t in SWEEP:
        scores = {name: run_set(part(sets[name], "dev"), readings, t)["pairwise"]["f1"] for name in SETS}
        seeds = seeds_check(sets, readings, t)
        allowed = seeds["stories"] == len(SEEDS) and seeds["halves"][HALVES_SEED]["joined"]
        rows[t] = {**scores, "mean": sum(scores.values()) / len(scores), "allowed": allowed}
    allowed = [t for t in SWEEP if rows[t]["allowed"]]
    return {"rows": rows, "chosen": max(allowed, key=lambda t: (rows[t]["mean"], -t)) if allowed else None}


def speed(texts: list[str], readings: dict[str, dict]) -> dict:
    """Milliseconds per 3 KB of ``story_doc``: a first pass (words new to its cache) and a second."""
    st.content_term.cache_clear()
    found = {}
    for run in ("cold", "warm"):
        start = time.perf_counter()
        for i, text in enumerate(texts):
            st.story_doc(i, DAY, headline(text, "text"), readings[text])
        found[run] = (time.perf_counter() - start) * 1000 * 3000 / sum(map(len, texts))
    return found


def evaluate(shared: Path = SHARED, workers: int = 1, threshold: float = st.THRESHOLD,
             with_sweep: bool = False, idf_from_dev: bool = False) -> dict:
    """Every figure of the stories method.

    Args:
        shared: the shared folder (seeds and data).
        workers: reader processes.
        threshold: the joining threshold measured.
        with_sweep: also score every threshold of ``SWEEP`` on dev.
        idf_from_dev: use an idf table built without the test split's texts.

    Returns:
        Figures per set and split, the seeds, the sweep and the speed.
    """
    rows = load_sample()
    if idf_from_dev:
        dev = {r["doc"] for r in rows if split_id(r["story"]) == "dev"}
        use_idf({base: value for base, value, _ in build_idf(shared, dev)})
    sets = build_sets(rows, shared)
    readings = read_all(sets, workers)
    result: dict = {"threshold": threshold, "sets": {}, "idf_from_dev": idf_from_dev}
    for name in SETS:
        for split in ("dev", "test", "all"):
            result["sets"][f"{name}/{split}"] = run_set(part(sets[name], split), readings, threshold)
    result["seeds"] = seeds_check(sets, readings, threshold)
    result["sweep"] = sweep(sets, readings) if with_sweep else None
    result["speed"] = speed([item.text for item in sets["real"]], readings)
    return result


def use_idf(table: dict[str, float]) -> None:
    """Make the stories module weigh words by ``table`` instead of its shipped one."""
    st.idf = lambda: table  # content_term looks idf() up in its module at each call
    st.content_term.cache_clear()


def document_frequencies(texts: list[str]) -> tuple[Counter, Counter]:
    """In how many texts each lemma occurs, and the share of its occurrences inside a sentence
    that are capitalised (a sentence's first word says nothing)."""
    df, capitalised, seen = Counter(), Counter(), Counter()
    for text in texts:
        lemmas = set()
        for match in WORD.finditer(text):
            base = lemma(match.group().lower().replace("ё", "е"))
            lemmas.add(base)
            if text[max(0, match.start() - 10):match.start()].rstrip()[-1:] not in SENTENCE_ENDS:
                seen[base] += 1
                capitalised[base] += match.group()[:1].isupper()
        df.update(lemmas)
    return df, Counter({base: capitalised[base] / seen[base] for base in seen})


def relative_idf(texts: list[str]) -> dict[str, float]:
    """ln((N + 1) / (df + 1)) / ln(N + 1) of the lemmas common enough to be listed, lower-case
    inside sentences (a name is never made common: names are features of their own), not
    numbers."""
    df, capitalised = document_frequencies(texts)
    top = math.log(len(texts) + 1)
    found = {base: math.log((len(texts) + 1) / (n + 1)) / top for base, n in df.items()
             if capitalised.get(base, 1.0) < 0.5 and not base[:1].isdigit()}
    return {base: value for base, value in found.items() if value <= MAX_LISTED_IDF}


def kaznerd_sentences(path: Path) -> list[str]:
    """The sentences of KazNERD's IOB2 file, tokens joined by spaces."""
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if line.strip():
            tokens.append(line.rsplit(" ", 1)[0])
        elif tokens:
            sentences.append(" ".join(tokens))
            tokens = []
    return sentences


def build_idf(shared: Path = SHARED, only: set[str] | None = None) -> list[tuple[str, float, str]]:
    """(lemma, idf, source) rows: Russian from the factRuEval dev news texts (``only`` those of
    these sample ids), Kazakh from the KazNERD validation sentences (a sentence a document: a
    lemma in 1% of sentences gets about the idf of one in 10% of news texts), the hand stop
    words at 0. A lemma of both keeps the lower."""
    paths = sorted((shared / "data" / "factru-dev").glob("*.txt"))
    factru = [p.read_text(encoding="utf-8") for p in paths if only is None or f"factru:{p.stem}" in only]
    kazakh = kaznerd_sentences(shared / "data" / "kaznerd" / "IOB2_valid.txt")
    rows: dict[str, tuple[float, str]] = {}
    for source, table in (("factru", relative_idf(factru)), ("kaznerd", relative_idf(kazakh)),
                          ("hand", {lemma(w): 0.0 for w in HAND_STOPWORDS})):
        for base, value in table.items():
            if base not in rows or value < rows[base][0]:
                rows[base] = (value, source)
    return sorted((base, value, source) for base, (value, source) in rows.items())


def write_idf(rows: list[tuple[str, float, str]], path: Path = IDF_FILE) -> None:
    """Write the idf table as the package's TSV."""
    lines = ["\t".join(st.IDF_COLUMNS)] + [f"{base}\t{value:.3f}\t{source}" for base, value, source in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def markdown(result: dict) -> str:
    """The figures as Markdown."""
    lines = [f"threshold {result['threshold']}, window {st.WINDOW_DAYS} days"
             + (", idf table built from the dev texts only" if result["idf_from_dev"] else ""), "",
             "| set | docs | gold stories | found | same-story pairs | P | R | F1 | B³ P | B³ R | B³ F1 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in result["sets"].items():
        pw, b3 = r["pairwise"], r["bcubed"]
        lines.append(f"| {name} | {r['docs']} | {r['gold_stories']} | {r['found_stories']} | {pw['pairs']} | "
                     f"{pw['p']:.3f} | {pw['r']:.3f} | {pw['f1']:.3f} | {b3['p']:.3f} | {b3['r']:.3f} | {b3['f1']:.3f} |")
    seeds = result["seeds"]
    halves_line = ", ".join(f"{s} {h['similarity']:.3f}{' joined' if h['joined'] else ''}"
                            for s, h in seeds["halves"].items())
    lines += ["", (f"Seeds on one day: {seeds['stories']} stories of {len(SEEDS)}; the closest pair "
                   f"{seeds['max_pair'][0]} at {seeds['max_pair'][1]:.3f}."),
              f"Each seed's halves alone: {halves_line}.",
              (f"The ten halves together: {seeds['together']['found_stories']} stories "
               f"(pairwise F1 {seeds['together']['pairwise']['f1']:.3f})."), "",
              "False merges in real/all: " + ("; ".join(" + ".join(p) for p in result["sets"]["real/all"]["false_merges"])
                                              or "none") + "."]
    if result["sweep"]:
        rows = result["sweep"]["rows"]
        lines += ["", f"Sweep on dev (chosen: {result['sweep']['chosen']}):", "",
                  "| threshold | " + " | ".join(SETS) + " | mean | seeds allow |", "|---" * (len(SETS) + 3) + "|"]
        lines += [f"| {t} | " + " | ".join(f"{rows[t][n]:.3f}" for n in SETS)
                  + f" | {rows[t]['mean']:.3f} | {'yes' if rows[t]['allowed'] else 'no'} |" for t in SWEEP]
    sp = result["speed"]
    lines += ["", f"story_doc: {sp['cold']:.2f} ms per 3 KB on a first pass, {sp['warm']:.2f} on a second."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures, or rebuild the idf table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (seeds, data)")
    parser.add_argument("--workers", type=int, default=1, help="reader processes")
    parser.add_argument("--threshold", type=float, default=st.THRESHOLD, help="the joining threshold")
    parser.add_argument("--sweep", action="store_true", help="score every threshold of the sweep on dev")
    parser.add_argument("--idf-from-dev", action="store_true", help="an idf table without the test texts")
    parser.add_argument("--write-idf", action="store_true",
                        help=f"rebuild {IDF_FILE.relative_to(ROOT)} from the shared data, and stop")
    args = parser.parse_args(argv)
    if args.write_idf:
        rows = build_idf(args.shared)
        write_idf(rows)
        print(f"{len(rows)} lemmas written to {IDF_FILE}")
        return 0
    print(markdown(evaluate(args.shared, args.workers, args.threshold, args.sweep, args.idf_from_dev)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
