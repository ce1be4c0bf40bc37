"""The de-duplication evaluation set, generated from real texts in ../shared at evaluation time.

Nothing here is copied into the repository: the set is rebuilt deterministically (fixed seed)
from the seeds, the factRuEval-2016 dev texts and the RuEthnoHate texts.

* Originals: the documents that go into the index (about two thirds of the corpus).
* Reprints (positive queries), each to be matched to its original: the edits outlets really
  apply (formatting, lead trimmed, outlet line added, headline changed, words mistyped or
  swapped, cut to the first half with "читать далее", two of these combined), and the
  reposts that occur naturally in RuEthnoHate (two verbatim, two rewritten with a new frame).
* Negatives, none of which may match: the held-out third of the corpus, with documents on the
  same subject split across the two sides (seeds 001/002 on the same APK session, 003/004
  with the same deputies, the 40 nearest factRuEval/RuEthnoHate pairs); social posts that
  quote one to three sentences of an original and comment on them; texts that share a
  template (two real RuEthnoHate announcements written from one template, different posts
  under one outlet footer) or the news ticker scraped under seed 002.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

SEED = 20200207  # the Kordai clashes began on 7 February 2020
MIN_CORPUS_CHARS = 600  # RuEthnoHate texts this long join the corpus
MIN_BODY_CHARS = 250  # shorter ones (250-599) serve as comments and template bodies

EDITS = ("format", "trim_lead", "outlet_line", "headline", "typos", "truncate_half", "combined")
COMBINABLE = ("trim_lead", "headline", "typos", "truncate_half", "outlet_line")
NATURAL_REPOSTS = ((879619701, 898215363), (724092969, 761825161))
NATURAL_REWRITES = ((765162767, 767614094), (792745422, 814874266))
NATURAL_TEMPLATE = (643457888, 650040056)  # two round-table announcements, one template
SAME_TOPIC_SEEDS = (("seed:001", "seed:002"), ("seed:003", "seed:004"))

OUTLET_LINES = (
    "Источник: Tengrinews.kz",
    "Источник: Kazinform",
    "Подписывайтесь на наш Telegram-канал",
    "Подписывайтесь на наш Telegram-канал, чтобы первыми узнавать о главных новостях",
    "Фото: пресс-служба акимата",
    "Фото: Акорда",
    "Фото из открытых источников",
    "Новости Казахстана — на нашем сайте",
    "Если вы нашли ошибку в тексте, выделите её мышью и нажмите Ctrl+Enter",
)
FOOTER = (
    "Подписывайтесь на наш Telegram-канал и страницу в Instagram.\n"
    "При полном или частичном использовании материалов ссылка на сайт обязательна.\n"
    "Если вы нашли ошибку в тексте, выделите её мышью и нажмите Ctrl+Enter.\n"
    "Редакция может не разделять мнение авторов. Фото: пресс-служба акимата области."
)
READ_MORE = ("Читать далее…", "Читать далее", "Подробнее на сайте", "Читать полностью →")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»]?\s+(?=[«\"(]?[А-ЯЁӘҒҚҢӨҰҮҺІA-Z0-9])")
_WORD = re.compile(r"[^\W\d_]{3,}")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Doc:
    """One real document."""

    key: str
    text: str


@dataclass(frozen=True)
class Query:
    """A text to look up: ``expected`` is the key of its original, None for a negative."""

    text: str
    kind: str
    expected: str | None
    source: str


@dataclass(frozen=True)
class DedupSet:
    """Originals to index and queries to look up."""

    originals: list[Doc]
    queries: list[Query]

    @property
    def fingerprint(self) -> str:
        """Digest of every text and label: changes when the data or the generator changes."""
        h = hashlib.sha256()
        for doc in self.originals:
            h.update(f"O\0{doc.key}\0{doc.text}\0".encode())
        for q in self.queries:
            h.update(f"Q\0{q.kind}\0{q.expected}\0{q.source}\0{q.text}\0".encode())
        return h.hexdigest()[:16]


def default_shared() -> Path:
    """../shared next to the repository."""
    return Path(__file__).resolve().parents[2] / "shared"


def build(shared: Path | None = None, seed: int = SEED) -> DedupSet:
    """Generate the evaluation set from the real texts under ``shared``."""
    shared = shared or default_shared()
    rng = random.Random(seed)
    ethnohate = read_ethnohate(shared / "data/ruethnohate/dev.jsonl")
    corpus = load_corpus(shared, ethnohate)
    indexed, held_out, same_topic = split(corpus, rng)
    originals, queries = list(indexed), reprints(indexed, headlines_of(corpus), rng)
    queries += [Query(d.text, "neg_same_topic" if d.key in same_topic else "neg_other", None, d.key)
                for d in held_out]
    for kind, pairs in (("natural_repost", NATURAL_REPOSTS), ("natural_rewrite", NATURAL_REWRITES)):
        originals += [Doc(f"rueh:{a}", ethnohate[a]) for a, _ in pairs]
        queries += [Query(ethnohate[b], kind, f"rueh:{a}", f"rueh:{b}") for a, b in pairs]
    bodies = [i for i, t in sorted(ethnohate.items())
              if MIN_BODY_CHARS <= len(t) < MIN_CORPUS_CHARS]
    rng.shuffle(bodies)
    queries += quotes(indexed, [ethnohate[i] for i in bodies[40:140]], rng)
    template_originals, template_queries = templates(shared, ethnohate, bodies[:40])
    return DedupSet(originals + template_originals, queries + template_queries)


def read_ethnohate(path: Path) -> dict[int, str]:
    """RuEthnoHate texts by text_id, HTML remnants removed."""
    texts: dict[int, str] = {}
    for line in path.read_text("utf-8").splitlines():
        record = json.loads(line)
        texts.setdefault(record["text_id"], strip_html(record["text"]))
    return texts


def strip_html(text: str) -> str:
    """Line breaks for ``<br/>``, nothing for other tags (``<b>``, ``<a>``, ``<font>``)."""
    text = re.sub(r"\s*<br\s*/?>\s*", "\n", text)
    return re.sub(r"[ \t]+", " ", _TAG.sub("", text)).strip()


def load_corpus(shared: Path, ethnohate: dict[int, str]) -> list[Doc]:
    """The seeds, the factRuEval texts and the long RuEthnoHate texts (natural pairs apart)."""
    seeds = sorted((shared / "seeds").glob("*.txt"))
    factru = sorted((shared / "data/factru-dev").glob("book_*.txt"), key=lambda p: int(p.stem[5:]))
    natural = {i for pair in (*NATURAL_REPOSTS, *NATURAL_REWRITES, NATURAL_TEMPLATE) for i in pair}
    return (
        [Doc(f"seed:{p.name[:3]}", p.read_text("utf-8")) for p in seeds]
        + [Doc(f"factru:{p.stem}", p.read_text("utf-8")) for p in factru]
        + [Doc(f"rueh:{i}", t) for i, t in sorted(ethnohate.items())
           if len(t) >= MIN_CORPUS_CHARS and i not in natural]
    )


def split(corpus: list[Doc], rng: random.Random) -> tuple[list[Doc], list[Doc], set[str]]:
    """Two thirds indexed, one third held out; same-subject pairs land on opposite sides."""
    others = [d for d in corpus if not d.key.startswith("seed:")]
    pairs = list(SAME_TOPIC_SEEDS) + nearest_pairs(others)
    same_topic = {b for _, b in pairs}
    free = [d.key for d in corpus if d.key not in same_topic.union(*pairs)]
    rng.shuffle(free)
    held = same_topic | set(free[: len(corpus) // 3 - len(same_topic)])
    indexed = [d for d in corpus if d.key not in held]
    return indexed, [d for d in corpus if d.key in held], same_topic


def nearest_pairs(docs: list[Doc], count: int = 40) -> list[tuple[str, str]]:
    """The most similar disjoint pairs of documents by their sets of content words."""
    vocab = {d.key: set(_WORD.findall(d.text.lower().replace("ё", "е"))) for d in docs}
    scored = sorted(((len(vocab[a] & vocab[b]) / len(vocab[a] | vocab[b]), a, b)
                     for a, b in combinations(sorted(vocab), 2)), reverse=True)
    used: set[str] = set()
    pairs = []
    for _, a, b in scored:
        if a not in used and b not in used and len(pairs) < count:
            pairs.append((a, b))
            used |= {a, b}
    return pairs


def headlines_of(corpus: list[Doc]) -> list[str]:
    """Headline-like first sentences (4-14 words) of the news texts."""
    firsts = [first_sentence(d.text) for d in corpus if not d.key.startswith("rueh:")]
    return [h for h in firsts if 4 <= len(h.split()) <= 14]


def reprints(indexed: list[Doc], headlines: list[str], rng: random.Random) -> list[Query]:
    """One reprint of every kind of edit for every indexed document."""
    return [Query(edit(d.text, e, rng, headlines), e, d.key, d.key) for d in indexed for e in EDITS]


def quotes(indexed: list[Doc], comments: list[str], rng: random.Random) -> list[Query]:
    """Social posts that quote an original and comment on it: new text, not a reprint."""
    sources = [d for d in indexed if len(sentences(d.text)) >= 5]
    out = []
    for comment in comments:
        doc = rng.choice(sources)
        quote = f"«{quote_of(doc.text, rng)}»"
        text = f"{comment}\n{quote}" if rng.random() < 0.5 else f"{quote}\n{comment}"
        out.append(Query(text, "neg_quote", None, doc.key))
    return out


def quote_of(text: str, rng: random.Random) -> str:
    """One to three consecutive sentences of a text, cut to at most 35% of it."""
    parts = [p.strip() for p in sentences(text)]
    start = rng.randrange(len(parts) - 3)
    quote = " ".join(parts[start : start + rng.choice((1, 2, 3))])
    limit = len(text) * 35 // 100
    return quote if len(quote) <= limit else quote[:limit].rsplit(" ", 1)[0]


def templates(shared: Path, ethnohate: dict[int, str],
              bodies: list[int]) -> tuple[list[Doc], list[Query]]:
    """Originals and negatives that share a template (a footer or a ticker), bodies differ."""
    a, b = NATURAL_TEMPLATE
    originals = [Doc(f"rueh:{a}", ethnohate[a])]
    negatives = [Query(ethnohate[b], "neg_template", None, f"rueh:{b}")]
    ticker = ticker_of(shared)
    for n, (x, y) in enumerate(zip(bodies[0::2], bodies[1::2])):
        kind, template = ("neg_template", FOOTER) if n % 2 == 0 else ("neg_ticker", ticker)
        originals.append(Doc(f"template:{x}", f"{ethnohate[x]}\n{template}"))
        negatives.append(Query(f"{ethnohate[y]}\n{template}", kind, None, f"rueh:{y}"))
    return originals, negatives


def ticker_of(shared: Path) -> str:
    """The news ticker and currency rates scraped under seed 002 (real site chrome)."""
    text = next((shared / "seeds").glob("002_*.txt")).read_text("utf-8")
    return text[text.index("\n-\n") + 3 : text.rindex("RUB:")].strip()


def first_sentence(text: str) -> str:
    """The first sentence of the first line of a text."""
    return _SENTENCE_END.split(text.strip().split("\n", 1)[0], maxsplit=1)[0].strip()


def sentences(text: str) -> list[str]:
    """Sentences of a text; the last sentence of a paragraph ends with a newline."""
    out = []
    for para in (p.strip() for p in text.split("\n")):
        if para:
            parts = _SENTENCE_END.split(para)
            out += parts[:-1] + [parts[-1] + "\n"]
    return out


def joined(parts: list[str]) -> str:
    """Sentences back into text."""
    return "".join(p if p.endswith("\n") else p + " " for p in parts).rstrip()


def edit(text: str, kind: str, rng: random.Random, headlines: list[str]) -> str:
    """Apply one reprint edit, or two of them for "combined"."""
    if kind != "combined":
        return EDIT_FUNCTIONS[kind](text, rng, headlines)
    for i in sorted(rng.sample(range(len(COMBINABLE)), 2)):
        text = EDIT_FUNCTIONS[COMBINABLE[i]](text, rng, headlines)
    return text


def reformat(text: str, rng: random.Random, _: list[str]) -> str:
    """Same words, other quotes and dashes, an upper-case first line, other spacing."""
    if "«" in text:
        text = text.replace("«", '"').replace("»", '"')
    else:
        text = re.sub(r'"([^"]*)"', r"«\1»", text)
    text = text.replace(" — ", " - ").replace(" – ", " — ").replace("ё", "е")
    head, _, rest = text.partition("\n")
    text = (head.upper() if rng.random() < 0.5 else head) + "\n\n" + rest
    return re.sub(r"([,.]) ", r"\1  ", text) if rng.random() < 0.5 else text.replace("\n", " \n ")


def trim_lead(text: str, rng: random.Random, _: list[str]) -> str:
    """Drop the lead: the first paragraph or sentence if short, else the first fifth."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if len(paragraphs) >= 3 and len(paragraphs[0]) < 0.3 * len(text) and rng.random() < 0.5:
        return "\n".join(paragraphs[1:])
    parts = sentences(text)
    if len(parts) > 2 and len(parts[0]) < 0.3 * len(text):
        return joined(parts[1:])
    return text[len(text) // 5 :].split(" ", 1)[-1]


def outlet_line(text: str, rng: random.Random, _: list[str]) -> str:
    """Add one or two outlet lines at the end, sometimes a credit under the first line."""
    lines = rng.sample(OUTLET_LINES, rng.choice((1, 2)))
    if rng.random() < 0.3:
        head, _, rest = text.partition("\n")
        return f"{head}\n{lines[0]}\n{rest}" + "".join(f"\n{line}" for line in lines[1:])
    return text.rstrip() + "".join(f"\n{line}" for line in lines)


def headline(text: str, rng: random.Random, headlines: list[str]) -> str:
    """Replace a short first line by another headline, or put one on top of the text."""
    new = rng.choice(headlines)
    head, _, rest = text.partition("\n")
    return f"{new}\n{rest}" if rest and len(head.split()) <= 20 else f"{new}\n{text}"


def typos(text: str, rng: random.Random, _: list[str]) -> str:
    """Change 3% of the words (at least two): letters swapped, dropped, doubled, or new words."""
    spans = [m.span() for m in _LONG_WORD.finditer(text)]
    count = min(len(spans), max(2, len(spans) * 3 // 100))
    for start, end in sorted(rng.sample(spans, count), reverse=True):
        text = text[:start] + mistype(text[start:end], rng, text) + text[end:]
    return text


def mistype(word: str, rng: random.Random, text: str) -> str:
    """One typo, or another word of the same text."""
    i = rng.randrange(1, len(word) - 2)
    return rng.choice((
        word[:i] + word[i + 1] + word[i] + word[i + 2 :],
        word[:i] + word[i + 1 :],
        word[:i] + word[i] + word[i:],
        rng.choice(_WORD.findall(text)),
    ))


def truncate_half(text: str, rng: random.Random, _: list[str]) -> str:
    """Cut at a sentence end between 40% and 60% of the text, else at a word near half."""
    kept, size = [], 0
    for part in sentences(text):
        kept.append(part)
        size += len(part)
        if size >= 0.4 * len(text):
            break
    if size <= 0.6 * len(text):
        return joined(kept) + "\n" + rng.choice(READ_MORE)
    return text[: len(text) // 2].rsplit(" ", 1)[0] + "… " + rng.choice(READ_MORE)


EDIT_FUNCTIONS = {
    "format": reformat,
    "trim_lead": trim_lead,
    "outlet_line": outlet_line,
    "headline": headline,
    "typos": typos,
    "truncate_half": truncate_half,
}
