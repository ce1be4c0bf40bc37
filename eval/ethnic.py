"""Measure ethnic-group detection (kelisim.ethnic.EthnicMatcher) and print the figures as Markdown.

- RuEthnoHate dev (Russian social media): recall of the labelled ``ethnic_group`` of each
  (text, group) pair: does the matcher find that group anywhere in the text. Overall, by the kind
  of label (group id, variant, category, slur) and for the 20 most frequent labels.
- Precision on a fixed random sample of 200 mentions found in RuEthnoHate, judged by hand in
  ``eval/ethnic_precision_sample.tsv`` (``--write-sample`` writes a fresh, unjudged sample).
- KazNERD validation (Kazakh TV news): recall of the NORP mentions that are ethnic groups. Which
  NORP strings those are was decided by hand (``ETHNIC_NORP`` below); a gold span is found when
  the matcher, run on the sentence's tokens joined by spaces, finds a mention overlapping it.

Run: ``.venv/bin/python eval/ethnic.py [--data ../shared/data] [--misses 20]``.
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
from collections import Counter
from pathlib import Path

from kelisim.ethnic import EthnicMatcher, Lexicon
from kelisim.reading.document import TextView
from kelisim.reading.model import EthnicMention

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLE = Path(__file__).resolve().parent / "ethnic_precision_sample.tsv"
SAMPLE_SIZE, SAMPLE_SEED, CONTEXT = 200, 20260322, 120
SAMPLE_COLUMNS = ("text_id", "start", "end", "mention", "context", "group", "kind", "slur", "person",
                  "judgement", "note")
TOP = 20
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")

# Every distinct NORP string of KazNERD's validation set was read by hand (126 of them). These
# name an ethnic group, a foreign nationality (-лық/-лік of a foreign country: германиялық) or a
# collective category of peoples (түркі, еуропалық, historical peoples: сақ, жоңғар, қыпшақ).
# Left out: Kazakhstani civic and regional identities (қазақстандық, алматылық, шығысқазақстандық),
# parties and bodies (демократиялық, нұротандықтар, кеңес), religions (мұсылман, православ
# христиандары), the tribes of the Kazakhs (найман, керей, қоңырат), мамлюк, and the adverb
# қазақша (in Kazakh: the language, not the people).
ETHNIC_NORP = frozenset("""
қазақ қазақтың қазаққа қазақтарды қазақтардың қазағым қазақы ресейлік америкалық америкалықтар
түркі түркінің қырғыз қырғыздар түрік түріктер бразилиялық германиялық чехиялық сақ жапон
еуропалық еуропалықтарға ағылшын голландиялық қытайлар қытайлық қытайлықтар өзбек орыс
бельгиялық армян корей кореялық корейлерге британдық ирандық үндістандық израильдік
израильдіктер француз неміс немістердің ирландиялық жоңғарға грек чех еуразиялық сингапурлік
қыпшақтан қазақ-герман қазақ-қырғыз қазақ-қытай
""".split())


def clean(text: str) -> str:
    """A RuEthnoHate text without its HTML: <br/> as a line break, other tags dropped, entities
    decoded. Mention offsets index this text."""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", text)))


def ruethnohate(path: Path) -> tuple[dict[int, str], list[tuple[int, str]]]:
    """The cleaned texts by text_id and the (text_id, ethnic_group) pairs, in file order."""
    texts, pairs = {}, []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        texts.setdefault(row["text_id"], clean(row["text"]))
        pairs.append((row["text_id"], row["ethnic_group"]))
    return texts, pairs


def label_targets(lexicon: Lexicon) -> dict[str, tuple[str, str]]:
    """Every name a label can be → (the id the matcher reports for it, the kind of name)."""
    targets: dict[str, tuple[str, str]] = {}
    for group in lexicon.groups():
        targets[group.id] = (group.id, "group")
        for variant in group.variants:
            targets.setdefault(variant, (group.id, "variant"))
    for category in lexicon.categories():
        targets.setdefault(category.id, (category.id, "category"))
        for form in category.forms:
            targets.setdefault(form, (category.id, "category"))
    for slur in lexicon.slurs():
        targets.setdefault(slur.form, (slur.refers_to, "slur"))
    return targets


def covers(found: str, target: str) -> bool:
    """Whether a mention of ``found`` counts for the labelled ``target``: the same id, or a
    sub-group whose two-word id ends in it (крымский татарин counts for татарин)."""
    return found == target or found.split()[-1] == target


def read_all(texts: dict[int, str], matcher: EthnicMatcher, runs: tuple[str, ...] = ("cold", "warm"),
             ) -> tuple[dict[int, list[EthnicMention]], dict]:
    """The matcher's mentions in every text, and the milliseconds per 3 KB that find() took on
    a first pass (every new word looked up in the dictionary) and on a second (words known)."""
    views = {text_id: TextView.of(text, "ru") for text_id, text in texts.items()}
    speed, found = {}, {}
    for run in runs:
        start = time.perf_counter()
        found = {text_id: matcher.find(view) for text_id, view in views.items()}
        speed[f"ms_per_3kb_{run}"] = (time.perf_counter() - start) * 1000 * 3000 / sum(map(len, texts.values()))
    return found, speed


def recall(pairs: list[tuple[int, str]], found: dict[int, list[EthnicMention]],
           targets: dict[str, tuple[str, str]]) -> dict:
    """Recall of the labelled groups: overall, by kind of label and per label."""
    hit, total, missed = Counter(), Counter(), []
    for text_id, label in pairs:
        target, kind = targets[label]
        ok = any(covers(m.group, target) for m in found[text_id])
        for key in ("all", f"kind:{kind}", label):
            total[key] += 1
            hit[key] += ok
        if not ok:
            missed.append((text_id, label))
    top = [label for label, _ in Counter(label for _, label in pairs).most_common(TOP)]
    rate = {key: hit[key] / total[key] for key in total}
    return {"pairs": len(pairs), "recall": rate["all"],
            "by_kind": {k[5:]: {"n": total[k], "recall": rate[k]} for k in sorted(total) if k.startswith("kind:")},
            "top": {label: {"n": total[label], "recall": rate[label]} for label in top},
            "missed": missed}


def sample(texts: dict[int, str], found: dict[int, list[EthnicMention]],
           size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> list[dict[str, str]]:
    """A fixed random sample of the mentions found, as unjudged rows of the sample file."""
    mentions = [(text_id, m) for text_id in sorted(found) for m in found[text_id]]
    rows = []
    for text_id, m in random.Random(seed).sample(mentions, min(size, len(mentions))):
        rows.append({"text_id": str(text_id), "start": str(m.start), "end": str(m.end), "mention": m.text,
                     "context": context(texts[text_id], m.start, m.end), "group": m.group, "kind": m.kind,
                     "slur": str(int(m.slur)), "person": str(int(m.person)), "judgement": "", "note": ""})
    return sorted(rows, key=lambda row: (int(row["text_id"]), int(row["start"])))


def context(text: str, start: int, end: int, width: int = CONTEXT) -> str:
    """At most ``width`` characters around a mention, on one line, the mention in [brackets]."""
    side = max(0, (width - (end - start) - 2) // 2)
    snippet = f"{text[max(0, start - side):start]}[{text[start:end]}]{text[end:end + side]}"
    return " ".join(snippet.split())[:width]


def write_sample(rows: list[dict[str, str]], path: Path) -> None:
    """Write sample rows as the tab-separated sample file (cells hold no tab or line break)."""
    lines = ["\t".join(SAMPLE_COLUMNS)] + ["\t".join(" ".join(row[c].split()) for c in SAMPLE_COLUMNS) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_sample(path: Path) -> list[dict[str, str]]:
    """The rows of the sample file."""
    header, *lines = path.read_text(encoding="utf-8").splitlines()
    return [dict(zip(header.split("\t"), line.split("\t"), strict=True)) for line in lines if line]


def precision(path: Path, found: dict[int, list[EthnicMention]]) -> dict:
    """Precision from the hand-judged sample, the accuracy of its ``person`` flags (a note
    starting with «person wrong» marks a wrong flag), and how many sampled mentions the matcher
    still finds (a sample drawn from an older matcher goes stale)."""
    rows = read_sample(path)
    judged = [row for row in rows if row["judgement"] in ("correct", "incorrect")]
    correct = [row for row in judged if row["judgement"] == "correct"]
    current = {(tid, m.start, m.end, m.group) for tid, ms in found.items() for m in ms}
    still = sum((int(r["text_id"]), int(r["start"]), int(r["end"]), r["group"]) in current for r in rows)
    person_wrong = sum(row["note"].startswith("person wrong") for row in correct)
    return {"n": len(judged), "precision": len(correct) / len(judged) if judged else 0.0,
            "person_accuracy": 1 - person_wrong / len(correct) if correct else 0.0,
            "still_found": still / len(rows) if rows else 0.0}


def kaznerd(path: Path) -> list[tuple[str, list[tuple[int, int, str]]]]:
    """KazNERD sentences (tokens joined by spaces) with their NORP spans (start, end, text)."""
    sentences, text, spans, inside = [], "", [], False
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        parts = line.split()
        if not parts:
            if text:
                sentences.append((text, [(a, b, text[a:b]) for a, b in spans]))
            text, spans, inside = "", [], False
            continue
        token, tag = parts[0], parts[-1]
        start = len(text) + (1 if text else 0)
        text = f"{text} {token}" if text else token
        if tag == "I-NORP" and inside:
            spans[-1] = (spans[-1][0], len(text))
        elif tag in ("B-NORP", "I-NORP"):
            spans.append((start, len(text)))
        inside = tag in ("B-NORP", "I-NORP")
    return sentences


def norp_recall(sentences: list[tuple[str, list[tuple[int, int, str]]]], matcher: EthnicMatcher) -> dict:
    """Recall of the ethnic NORP spans; how many other NORP spans and how many mentions outside
    any NORP span the matcher finds (not errors by themselves: «қазақ тілі» is LANGUAGE)."""
    gold = hit = other = outside = 0
    missed, other_hit = Counter(), Counter()
    for text, spans in sentences:
        mentions = matcher.find(TextView.of(text, "kk"))
        for start, end, span in spans:
            overlap = any(m.start < end and m.end > start for m in mentions)
            if span.lower() in ETHNIC_NORP:
                gold, hit = gold + 1, hit + overlap
                missed[span.lower()] += not overlap
            else:
                other += 1
                other_hit[span.lower()] += overlap
        outside += sum(not any(m.start < b and m.end > a for a, b, _ in spans) for m in mentions)
    return {"sentences": len(sentences), "gold": gold, "recall": hit / gold if gold else 0.0,
            "other_norp": other, "other_norp_matched": sum(other_hit.values()),
            "other_norp_matched_as": {k: v for k, v in other_hit.items() if v}, "outside_norp": outside,
            "missed": {k: v for k, v in missed.most_common() if v}}


def fingerprint(data: Path = DATA) -> str:
    """SHA-256 over the two evaluation files and the judged sample."""
    digest = hashlib.sha256()
    for path in (data / "ruethnohate" / "dev.jsonl", data / "kaznerd" / "IOB2_valid.txt", SAMPLE):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def evaluate(data: Path = DATA, sample_path: Path = SAMPLE, warm: bool = True) -> dict:
    """Every figure: RuEthnoHate recall and the sample's precision, KazNERD NORP recall, speed
    (``warm=False`` skips the second, timing-only pass over RuEthnoHate)."""
    matcher, lexicon = EthnicMatcher.load(), Lexicon.load()
    texts, pairs = ruethnohate(data / "ruethnohate" / "dev.jsonl")
    found, speed = read_all(texts, matcher, ("cold", "warm") if warm else ("cold",))
    return {
        "ruethnohate": {"texts": len(texts), "mentions": sum(map(len, found.values())),
                        **recall(pairs, found, label_targets(lexicon))},
        "precision": precision(sample_path, found),
        "kaznerd": norp_recall(kaznerd(data / "kaznerd" / "IOB2_valid.txt"), matcher),
        "speed": speed,
    }


def markdown(results: dict) -> str:
    """The figures as Markdown tables."""
    r, p, k = results["ruethnohate"], results["precision"], results["kaznerd"]
    lines = ["| set | n | figure | value |", "|---|---|---|---|",
             f"| RuEthnoHate pairs | {r['pairs']} | recall of the labelled group | {r['recall']:.1%} |",
             f"| RuEthnoHate sample | {p['n']} | precision (hand-judged) | {p['precision']:.1%} |",
             f"| RuEthnoHate sample | {p['n']} | person flag right | {p['person_accuracy']:.1%} |",
             f"| RuEthnoHate sample | {p['n']} | still found by this matcher | {p['still_found']:.1%} |",
             f"| KazNERD ethnic NORP | {k['gold']} | recall | {k['recall']:.1%} |",
             f"| KazNERD other NORP | {k['other_norp']} | matched | {k['other_norp_matched']} {k['other_norp_matched_as']} |",
             f"| KazNERD sentences | {k['sentences']} | mentions outside any NORP span | {k['outside_norp']} |",
             f"| find(), first pass | {r['texts']} texts | ms per 3 KB | {results['speed']['ms_per_3kb_cold']:.2f} |",
             f"| find(), words known | {r['texts']} texts | ms per 3 KB | {results['speed'].get('ms_per_3kb_warm', 0):.2f} |",
             "", "| label kind | n | recall |", "|---|---|---|"]
    lines += [f"| {kind} | {v['n']} | {v['recall']:.1%} |" for kind, v in r["by_kind"].items()]
    lines += ["", f"| top {TOP} labels | n | recall |", "|---|---|---|"]
    lines += [f"| {label} | {v['n']} | {v['recall']:.1%} |" for label, v in r["top"].items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures; --misses N lists missed labels, --write-sample PATH a fresh sample."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--misses", type=int, default=0, help="list N missed RuEthnoHate pairs")
    parser.add_argument("--write-sample", type=Path, help="write an unjudged sample to this path and stop")
    args = parser.parse_args(argv)
    if args.write_sample:
        texts, _ = ruethnohate(args.data / "ruethnohate" / "dev.jsonl")
        write_sample(sample(texts, read_all(texts, EthnicMatcher.load())[0]), args.write_sample)
        return 0
    results = evaluate(args.data)
    print(f"corpus sha256: {fingerprint(args.data)}\n")
    print(markdown(results))
    if args.misses:
        texts, _ = ruethnohate(args.data / "ruethnohate" / "dev.jsonl")
        print("\n## Missed pairs\n")
        for text_id, label in results["ruethnohate"]["missed"][:args.misses]:
            print(f"- {label}: {' '.join(texts[text_id][:150].split())}")
        print(f"\n## KazNERD ethnic NORP missed\n\n{results['kaznerd']['missed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
