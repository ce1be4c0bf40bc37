"""Seed corpora, made at run time from the shared seeds and data sets (nothing copied into the
repository but the few hand-written files under fuzz/seeds/<target>/).

Each target's inputs start with the option byte its function reads (see fuzz/t_*.py).
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
HAND_WRITTEN = Path(__file__).resolve().parent / "seeds"
_PER_SET = 6  # texts taken from each data set
_HEAD = 1500  # characters of each text


def texts(shared: Path = SHARED) -> list[str]:
    """A few real texts: the five seeds, factRuEval news, Kazakh KazNERD, RuEthnoHate posts."""
    found = [p.read_text(encoding="utf-8") for p in sorted((shared / "seeds").glob("*.txt"))]
    factru = sorted((shared / "data" / "factru-dev").glob("*.txt"))[:_PER_SET]
    found += [p.read_text(encoding="utf-8") for p in factru]
    found += _kaznerd(shared / "data" / "kaznerd" / "IOB2_valid.txt")
    found += _ruethnohate(shared / "data" / "ruethnohate" / "dev.jsonl")
    return [text[:_HEAD] for text in found if text.strip()]


def _kaznerd(path: Path) -> list[str]:
    if not path.exists():
        return []
    sentences = path.read_text(encoding="utf-8").split("\n\n")[:_PER_SET * 5]
    words = [" ".join(line.split(" ")[0] for line in s.splitlines() if line) for s in sentences]
    return [" ".join(words[i:i + 5]) for i in range(0, len(words), 5)]


def _ruethnohate(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for _, line in zip(range(_PER_SET), lines)]


def _options(payloads: list[bytes], options: range | tuple[int, ...]) -> list[bytes]:
    """Each payload once per option byte, cycling, so every branch gets real inputs."""
    if not payloads:
        return []
    cycled = [bytes([options[i % len(options)]]) + p for i, p in enumerate(payloads)]
    return cycled + [bytes([o]) + payloads[0][:200] for o in options]


def _html(text: str) -> str:
    title, _, body = text.partition("\n")
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n") if p.strip())
    return (f"<!DOCTYPE html><html><head><meta charset=utf-8><title>{escape(title)}</title>"
            f'<meta property="article:published_time" content="2021-10-14T10:00:00+06:00">'
            f"</head><body><nav><a href=/>Главная</a></nav><article><h1>{escape(title)}</h1>"
            f"{paragraphs}</article><footer>© 2021</footer></body></html>")


def _markdown(text: str) -> str:
    title, _, body = text.partition("\n")
    return f"---\ntitle: {title}\ndate: 2021-10-14\n---\n# {title}\n\n**{body[:80]}**\n{body}"


def _rss(items: list[str]) -> str:
    entries = "".join(
        f"<item><title>{escape(t.partition(chr(10))[0][:80])}</title>"
        f"<link>https://example.kz/news/{i}</link><guid>n{i}</guid>"
        f"<pubDate>Tue, 14 Oct 2021 10:00:00 +0600</pubDate>"
        f"<description>{escape(t[:300])}</description></item>" for i, t in enumerate(items))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Новости</title><link>https://example.kz/</link>{entries}</channel></rss>")


def _atom(items: list[str]) -> str:
    entries = "".join(
        f"<entry><title>{escape(t[:60])}</title><link href='/n/{i}'/><id>tag:n{i}</id>"
        f"<updated>2021-10-14T10:00:00+06:00</updated><content type='html'>"
        f"{escape('<p>' + t[:300] + '</p>')}</content></entry>" for i, t in enumerate(items))
    return (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>Лента</title>{entries}</feed>")


def _urlset(n: int) -> str:
    urls = "".join(
        f"<url><loc>https://example.kz/news/{i}</loc><lastmod>2021-10-14</lastmod>"
        f"<news:news><news:title>Новость {i}</news:title><news:publication_date>"
        f"2021-10-14T10:00:00+06:00</news:publication_date></news:news></url>" for i in range(n))
    return ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/'
            'schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            f"{urls}</urlset>")


def _telegram(items: list[str]) -> str:
    messages = [{"id": i, "type": "message", "date": "2021-10-14T10:00:00",
                 "date_unixtime": "1634184000", "from": "Канал", "views": 120,
                 "text": [t[:200], {"type": "bold", "text": "Важно"}] if i % 2 else t[:200]}
                for i, t in enumerate(items, start=1)]
    messages.append({"id": 99, "type": "service", "action": "pin_message"})
    return json.dumps({"name": "Канал", "type": "public_channel", "id": 1,
                       "messages": messages}, ensure_ascii=False)


def _records(items: list[str]) -> list[dict]:
    return [{"id": i, "title": t.partition("\n")[0][:60], "text": t[:400],
             "date": "14.10.2021", "url": f"https://example.kz/{i}"} for i, t in enumerate(items)]


def _csv(items: list[str], sep: str) -> str:
    rows = [f"id{sep}title{sep}text"] + [
        f'{r["id"]}{sep}"{r["title"]}"{sep}"{r["text"].replace(chr(34), chr(34) * 2)}"'
        for r in _records(items)]
    return "\r\n".join(rows)


def _encodings(items: list[str]) -> list[bytes]:
    out = [t.encode("utf-8") for t in items[:4]]
    for encoding in ("cp1251", "koi8-r", "cp866", "kz1048"):
        out.append(items[0].encode(encoding, "replace"))
    out += [codecs.BOM_UTF8 + items[1].encode(), codecs.BOM_UTF16_LE + items[2].encode("utf-16-le"),
            b"%PDF-1.4\n", b"PK\x03\x04", gzip.compress(items[0].encode())]
    return out


_DATES = ("2021-10-14", "2021-10-14T10:00:00+06:00", "Tue, 14 Oct 2021 10:00:00 +0600",
          "14.10.2021", "14.10.21 10:15", "14 октября 2021 года", "14-15 октября 2021 г.",
          "3 сент.", "2021 жылғы 14 қазан", "14 қазанда", "October 14, 2021", "вчера",
          "Вчера, 10 декабря, в Таразе", "кеше", "31 февраля", "29 февраля")


def _all_files(items: list[str]) -> list[bytes]:
    """One input per suffix of fuzz.t_sources.SUFFIXES (the option byte picks it)."""
    records = _records(items)
    bodies = [items[0], _html(items[1]), _markdown(items[2]),
              json.dumps(records, ensure_ascii=False),
              "\n".join(json.dumps(r, ensure_ascii=False) for r in records),
              _csv(items, ","), _csv(items, "\t"), _telegram(items)]
    return [bytes([i]) + body.encode("utf-8") for i, body in enumerate(bodies)]


def _compressed(items: list[str]) -> list[bytes]:
    out = []
    for option in range(7):
        payload = bytes([200]) + items[option % len(items)].encode()
        out += [bytes([option]) + payload, bytes([option | 128]) + payload]
    out.append(bytes([1]) + gzip.compress(items[0].encode()))
    out.append(bytes([2]) + zlib.compress(items[0].encode()))
    return out


def _robots() -> list[bytes]:
    return [bytes([o]) + b"User-agent: *\nDisallow: /admin/\nCrawl-delay: 2\nAllow: /news/\n"
            b"Request-rate: 1/5\nSitemap: https://example.kz/sitemap.xml\n" for o in range(10)]


def generators() -> dict[str, Callable[[list[str]], list[bytes]]]:
    """Per target, how its seeds are made from the real texts."""
    utf8 = lambda items: [t.encode() for t in items]  # noqa: E731
    optioned = lambda n: lambda items: _options(utf8(items), range(n))  # noqa: E731
    return {
        "decode": _encodings, "normalize": utf8, "chrome": utf8, "language": utf8,
        "markdown": lambda items: [_markdown(t).encode() for t in items],
        "html": lambda items: [_html(t).encode() for t in items],
        "clean_text": lambda items: _options(
            [x.encode() for t in items for x in (t, _markdown(t), _html(t))][:30], range(3)),
        "prepare": lambda items: _options(
            [x.encode() for t in items for x in (t, _markdown(t), _html(t))][:30], range(32)),
        "dates": lambda items: [bytes([o]) + b"\x01\x20\x30" + d.encode()
                                for o in (0, 2, 200) for d in _DATES],
        "event_dates": optioned(16), "places": optioned(16), "ethnic": optioned(16),
        "kb": optioned(16), "quotes": optioned(16), "reader": optioned(16),
        "feeds": lambda items: [bytes([o]) + f(items[:4]).encode() for o in range(5)
                                for f in (_rss, _atom)],
        "sitemaps": lambda items: [bytes([o]) + _urlset(3).encode() for o in (0, 1)],
        "files": _all_files,
        "records": lambda items: [b"text=text,title=title\n" + "\n".join(
            json.dumps(r, ensure_ascii=False) for r in _records(items)).encode()],
        "telegram": lambda items: [_telegram(items[:5]).encode()],
        "robots": lambda items: _robots(),
        "net_decode": _compressed,
    }


def seeds(target: str, shared: Path = SHARED) -> Iterator[bytes]:
    """The seed inputs of one target: generated from the data, then the hand-written ones."""
    items = texts(shared) or ["Астана, 14 октября 2021 года. Текст новости.\nВторая строка."]
    yield from generators()[target](items)
    folder = HAND_WRITTEN / target
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            yield path.read_bytes()


def write_seeds(target: str, folder: Path, shared: Path = SHARED) -> int:
    """Write a target's seeds into ``folder`` (named by content hash); how many were written."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for data in seeds(target, shared):
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)
        count += 1
    return count
