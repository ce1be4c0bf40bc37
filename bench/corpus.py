"""Build the benchmark corpus from real texts in ../shared/data and the seeds.

Documents: the five seeds, the 122 factRuEval news texts, the RuEthnoHate social-media texts
(HTML remnants stripped, one document per text_id), and KazNERD Kazakh news sentences grouped
three to a document; then reprints of the longer texts with the edits outlets really make
(an added outlet line, a trimmed lead, a changed headline), so de-duplication does real work.
Nothing here is committed: the corpus is written to bench/out/ at run time.
"""

from __future__ import annotations

import html
import json
import random
import re
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
OUTLETS = ("Источник: Tengrinews.kz", "Фото: пресс-служба акимата",
           "Подписывайтесь на наш Telegram-канал", "По материалам Kazinform")
_TAG = re.compile(r"<[^>]+>")


def seed_texts() -> list[str]:
    """The five seed articles."""
    return [p.read_text(encoding="utf-8") for p in sorted((SHARED / "seeds").glob("*.txt"))]


def factru_texts() -> list[str]:
    """The factRuEval-2016 development set news texts."""
    return [p.read_text(encoding="utf-8") for p in sorted((SHARED / "data/factru-dev").glob("*.txt"))]


def ruethnohate_texts() -> list[str]:
    """One text per text_id, with HTML remnants stripped."""
    texts = {}
    for line in (SHARED / "data/ruethnohate/dev.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        clean = html.unescape(_TAG.sub(" ", record["text"].replace("<br/>", "\n")))
        texts.setdefault(record["text_id"], clean.strip())
    return [t for t in texts.values() if t]


def kaznerd_sentences() -> list[str]:
    """KazNERD validation sentences, tokens joined by spaces."""
    sentences, tokens = [], []
    for line in (SHARED / "data/kaznerd/IOB2_valid.txt").open(encoding="utf-8"):
        if line.strip():
            tokens.append(line.split()[0])
        elif tokens:
            sentences.append(" ".join(tokens))
            tokens = []
    if tokens:
        sentences.append(" ".join(tokens))
    return sentences


def kaznerd_texts(per_doc: int = 3) -> list[str]:
    """Kazakh documents of ``per_doc`` consecutive sentences."""
    sentences = kaznerd_sentences()
    return [" ".join(sentences[i:i + per_doc]) for i in range(0, len(sentences), per_doc)]


def reprint(text: str, rng: random.Random) -> str:
    """A reprint of ``text`` with one or two of the edits outlets make."""
    lines = [line for line in text.splitlines() if line.strip()]
    edit = rng.choice(("outlet", "trim", "headline", "outlet+trim"))
    if "trim" in edit and len(lines) > 3:
        lines = lines[1:]
    if edit == "headline" and len(lines) > 2:
        lines[0] = "Срочно: " + lines[0][: max(20, len(lines[0]) // 2)]
    if "outlet" in edit:
        lines.append(rng.choice(OUTLETS))
    return "\n".join(lines)


def originals() -> dict[str, list[str]]:
    """The unique real texts, by collection."""
    return {"seeds": seed_texts(), "factRuEval": factru_texts(),
            "RuEthnoHate": ruethnohate_texts(), "KazNERD": kaznerd_texts()}


def build(minimum: int = 10_000, seed: int = 7) -> list[str]:
    """At least ``minimum`` documents: every unique real text, then reprints of the longer ones."""
    rng = random.Random(seed)
    unique = [text for texts in originals().values() for text in texts]
    docs = list(unique)
    long_texts = [t for t in unique if len(t) > 600]
    while len(docs) < minimum:
        docs.append(reprint(rng.choice(long_texts), rng))
    rng.shuffle(docs)
    return docs


PAGE = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{title}</title>
<meta property="og:title" content="{title}"><meta name="author" content="Редакция">
<meta property="article:published_time" content="2021-10-{day:02d}T10:00:00+06:00"></head>
<body><header><nav><a href="/">Главная</a> <a href="/politics">Политика</a>
<a href="/society">Общество</a> <a href="/kz">Қазақша</a></nav></header>
<main><article><h1>{title}</h1>{paragraphs}</article>
<aside><h3>Читайте также</h3><ul><li><a href="/a1">В Астане взорвался газовый баллон</a></li>
<li><a href="/a2">Курс доллара на 11 декабря</a></li></ul></aside></main>
<footer><p>© 2021 Новости Казахстана. Все права защищены.</p>
<p>USD 521.5 / 524.1 · EUR 611.5 / 616.5</p></footer></body></html>"""


def as_page(text: str, number: int) -> str:
    """``text`` as a news page with navigation, a related-links list and a footer."""
    lines = [line for line in text.splitlines() if line.strip()] or [text]
    title = html.escape(lines[0][:90])
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in lines)
    return PAGE.format(title=title, paragraphs=paragraphs, day=1 + number % 28)


def write(folder: Path, docs: list[str], suffix: str = ".txt") -> None:
    """Write ``docs`` as files ``000000.txt``… (or pages with ``suffix='.html'``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for number, text in enumerate(docs):
        body = as_page(text, number) if suffix == ".html" else text
        (folder / f"{number:06d}{suffix}").write_text(body, encoding="utf-8")


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if len(line.strip()) >= 40]


def stream(count: int, seed: int = 11) -> list[str]:
    """``count`` documents of real text mixed as a Kazakhstani media stream: 60% Russian news
    of 1.5-4.5 KB (real paragraphs of the factRuEval news and the seeds, drawn at random), 25%
    social-media posts (two or three real RuEthnoHate posts, as a thread), 15% Kazakh news
    (8-20 real KazNERD sentences). Pieces recur across documents, but a document rarely holds
    most of another (the few that do are reprints, as in a real stream)."""
    rng = random.Random(seed)
    news = [p for text in seed_texts() + factru_texts() for p in _paragraphs(text)]
    posts = [t for t in ruethnohate_texts() if len(t) >= 40]
    kazakh = kaznerd_sentences()
    docs = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.15:
            docs.append(" ".join(rng.sample(kazakh, rng.randint(8, 20))))
        elif roll < 0.40:
            docs.append("\n\n".join(rng.sample(posts, rng.randint(2, 3))))
        else:
            docs.append(_news(news, rng))
    return docs


def _news(paragraphs: list[str], rng: random.Random) -> str:
    target, parts, size = rng.randint(1500, 4500), [], 0
    while size < target:
        parts.append(rng.choice(paragraphs))
        size += len(parts[-1]) + 1
    return "\n".join(parts)
