"""Dictionaries for libFuzzer: the words each parser looks for, so mutations can insert them."""

from __future__ import annotations

from pathlib import Path

_XML = ("<?xml version=\"1.0\"?>", "<!DOCTYPE x [", "<!ENTITY a \"aaaa\">", "&a;",
        "<!ENTITY e SYSTEM \"file:///etc/passwd\">", "&e;", "]>", "<![CDATA[", "]]>", "xmlns=",
        "encoding=\"windows-1251\"", "&amp;", "&#1072;", "&#x430;")
_JSON = ("{", "}", "[", "]", "\"text\":", "\"title\":", "\"id\":", "\"date\":", "\"url\":",
         "\"html\":", "\"author\":", "null", "true", "1e400", "-0", "\"\\ud800\"", "\\u0000",
         "\"messages\":", "\"type\":", "\"message\"", "\"date_unixtime\":", "\"from\":",
         "\"name\":", "\"views\":", "\"forwarded_from\":", "\"edited\":")
_WORDS = ("Казахстан", "Жамбылская область", "Кордайский район", "Кордай", "Масанчи", "Тараз",
          "Алматы", "облысы", "ауданы", "қаласы", "ауылы", "г.", "с.", "ул.", "казахи", "дунгане",
          "дүнген", "уйгуры", "русские", "сказал", "заявил", "отметил", "по словам", "деп",
          "айтуынша", "Токаев", "глава государства", "аким", "АНК", "«", "»", "„", "“", "—",
          " — ", ", что", ":", ".", "\n", "вчера", "в минувшую субботу", "в 2020 году",
          "7 февраля 2020 года", "2020 жылғы 7 ақпанда", "кеше", "биыл", "Kazinform")
_DATES = ("января", "февраля", "марта", "мая", "октября", "окт.", "сент.", "нояб.", "г.", "года",
          "қаңтар", "ақпан", "қазан", "жылғы", "жылдың", "ж.", "October", "Oct", "May",
          "вчера", "сегодня", "позавчера", "кеше", "бүгін", "алдыңғы күні", "today", "T10:00:00",
          "+06:00", "Z", "Tue, ", " GMT", "-", ".", "/", "29", "31", "1990", "2021", "9999")
TOKENS: dict[str, tuple[str, ...]] = {
    "robots": ("User-agent:", "User-agent: *", "Disallow:", "Allow:", "Crawl-delay:",
               "Request-rate:", "Sitemap:", "*", "$", "²", "٣", "//[", "%2F", "%5B", "#", "\n",
               "KelisimBot", "/news/", "9999999999"),
    "feeds": _XML + ("<rss version=\"2.0\">", "<channel>", "<item>", "</item>", "<entry>",
                     "<feed xmlns=\"http://www.w3.org/2005/Atom\">", "<title>", "<link>",
                     "<link href=", "<guid>", "<pubDate>", "<updated>", "<published>",
                     "<content type=\"html\">", "<description>", "<summary>", "<author>",
                     "<rdf:RDF", "Tue, 14 Oct 2021 10:00:00 +0600"),
    "sitemaps": _XML + ("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">",
                        "<sitemapindex", "<url>", "<sitemap>", "<loc>", "</loc>", "<lastmod>",
                        "<news:news>", "<news:title>", "<news:publication_date>"),
    "html": ("<html>", "<body>", "<article>", "<p>", "</p>", "<div>", "</div>", "<h1>", "<b>",
             "<meta property=\"article:published_time\" content=\"", "<meta name=\"author\"",
             "<title>", "<script>", "<style>", "<table>", "<tr>", "<td>", "<br>", "<!--", "-->",
             "<nav>", "<footer>", "<time datetime=\"", "&nbsp;", "&#", "<![CDATA[", "<svg>",
             "<math>", "<template>", "<noscript>", "<iframe>", "\x00"),
    "markdown": ("---\n", "title:", "author:", "date:", "# ", "## ", "**", "__", "~~", "`",
                 "```", "[", "](", "![", "<http://", "> ", "- ", "* ", "===", "\\", "<b>"),
    "dates": _DATES,
    "event_dates": _DATES + ("в", "году", "минувшую", "субботу", "прошлом", "биыл",
                             "былтыр", "накануне", "завтра"),
    "chrome": ("Читайте также:", "Просмотров:", "USD:", "EUR: 611.5 / 616.5", "👁", "💣",
               "Поделиться", "Главная / ", "©", "Фото:", "Қаралды:", "-", "\n"),
    "files": _JSON + (",", ";", "\t", "\r\n", "\"", "text", "body", "title"),
    "records": _JSON + ("text=", "title=", "date=", "html=", "id=", "url=", "author=", ","),
    "telegram": _JSON + ("\"bold\"", "\"service\"", "\"public_channel\""),
    "decode": ("\xef\xbb\xbf", "\xff\xfe", "\xfe\xff", "%PDF", "PK\x03\x04", "\x1f\x8b"),
    "net_decode": ("\x1f\x8b\x08\x00", "\x78\x9c", "\x78\x01", "\x03\x00"),
}
for _name in ("places", "ethnic", "kb", "quotes", "reader", "clean_text", "prepare",
              "normalize", "language"):
    TOKENS[_name] = _WORDS + ("\u202e", "\u200b", "\ufeff", "a", "\r\n", "\ud800")


def write_dict(target: str, path: Path) -> Path | None:
    """Write the target's libFuzzer dictionary (every byte escaped); None if it has none."""
    tokens = TOKENS.get(target)
    if not tokens:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = []
    for token in tokens:
        data = token.encode("latin-1") if target in ("decode", "net_decode") else \
            token.encode("utf-8", "surrogatepass")
        lines.append('"' + "".join(f"\\x{b:02x}" for b in data) + '"')
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    return path
