import html

import pytest

from kelisim.clean import (
    CleaningError,
    EmptyTextError,
    MalformedHTMLError,
    clean_text,
    extract_html,
    extract_markdown,
)
if __package__:  # tests/ is a package
    from tests.shared_data import read_seed
else:
    from shared_data import read_seed

NAV = ["Главная", "Политика", "Экономика", "Общество"]
READ_ALSO = ["В Алматы прошёл фестиваль национальных культур", "Курс тенге укрепился к доллару"]
COMMENTS = ["Давно пора было провести такой стол", "А где же результаты прошлых встреч"]
FOOTER = ["Все права защищены", "Адрес редакции", "рекламной службы"]


def news_page(seed: str) -> str:
    """A realistic news page around a seed: header, nav, read-also, share, comments, footer."""
    lines = read_seed(seed).strip().split("\n")
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    nav = "".join(f'<li><a href="/{i}">{item}</a></li>' for i, item in enumerate(NAV))
    also = "".join(f'<li><a href="/a{i}">{t}</a></li>' for i, t in enumerate(READ_ALSO))
    comments = "".join(f'<div class="comment"><b>user{i}</b><p>{c}, честно говоря!</p></div>'
                       for i, c in enumerate(COMMENTS))
    return f"""<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8">
<title>Этнополитика — NewsKZ</title>
<meta property="og:title" content="{html.escape(lines[0][:60])}">
<meta name="author" content="Айгерим Сапарова">
<meta property="article:published_time" content="2020-03-05T10:30:00+06:00">
</head><body>
<header><div class="logo">NewsKZ</div><nav><ul>{nav}</ul></nav></header>
<main><article><h1>{html.escape(lines[0][:60])}</h1>
<div class="meta"><time datetime="2020-03-05">5 марта 2020</time></div>
{paragraphs}
<div class="read-also"><h3>Читайте также</h3><ul>{also}</ul></div>
<div class="share">Поделиться: <a>Facebook</a> <a>Telegram</a></div>
</article>
<section class="comments" id="comments"><h3>Комментарии (2)</h3>{comments}</section></main>
<footer><p>© 2020 NewsKZ. {FOOTER[0]}.</p><p>{FOOTER[1]}: г. Алматы, ул. Абая 1.
Телефон {FOOTER[2]} +7 727 000 00 00</p></footer></body></html>"""


@pytest.mark.parametrize("seed", ["000", "001", "003", "004"])
def test_article_sentences_come_out_and_chrome_does_not(seed):
    extracted = extract_html(news_page(seed), url="https://news.kz/article/1")
    text = " ".join(extracted.text.split())
    for line in read_seed(seed).split("\n"):
        assert " ".join(line.split()) in text
    for chrome in NAV[1:] + READ_ALSO + COMMENTS + FOOTER:
        assert chrome not in text, chrome


def test_metadata_and_paragraph_breaks():
    extracted = extract_html(news_page("000"), url="https://news.kz/article/1")
    assert extracted.author == "Айгерим Сапарова"
    assert extracted.date == "2020-03-05"
    assert extracted.title.startswith("В столице начался круглый стол")
    assert "\n" in extracted.text and "\n\n" not in extracted.text
    assert len(extracted.text.split("\n")) >= 7


def test_broken_markup_still_gives_its_text():
    broken = ("<html><body><p>Первый абзац без закрытия <b>жирный <i>курсив<p>Второй абзац "
              "о встрече акима с представителями этнокультурных объединений.</div></span>")
    text = extract_html(broken).text
    assert "Первый абзац без закрытия" in text and "этнокультурных объединений" in text


@pytest.mark.parametrize("markup", [
    "",
    "<html><body><div></div></body></html>",
    "<<<>>><!-- <p",
    "<html><body>" + "<div>" * 20000 + "<p>Глубоко вложенный абзац.</p>" + "</div>" * 20000,
])
def test_unusable_markup_raises_the_clean_error(markup):
    with pytest.raises(MalformedHTMLError, match="malformed HTML"):
        extract_html(markup)


def test_nul_characters_do_not_hide_the_text():
    markup = "<html><body><p>Жиын Таразда\x00 өтті, оған этномедиаторлар қатысты.</p></body></html>"
    assert "Таразда өтті" in extract_html(markup).text


def test_markdown_syntax_is_stripped_and_first_heading_is_the_title():
    md = """# Конференция в **Таразе** #

Участники обсудили [межэтнические отношения](https://example.kz/x) ![фото](a.png) и *согласие*.
Имя snake_case_name и 2*3*4 не трогаем; \\*звёздочки\\* остаются.

> Цитата эксперта с `кодом`.

- пункт один
* пункт два

```python
print("код")
```

Подзаголовок
------------
Ссылка [в тексте][ref] и <https://x.kz>.

[ref]: https://example.com
"""
    extracted = extract_markdown(md)
    assert extracted.title == "Конференция в Таразе"
    lines = [line.strip() for line in extracted.text.split("\n") if line.strip()]
    assert lines == [
        "Конференция в Таразе",
        "Участники обсудили межэтнические отношения  и согласие.",
        "Имя snake_case_name и 2*3*4 не трогаем; *звёздочки* остаются.",
        "Цитата эксперта с кодом.",
        "пункт один",
        "пункт два",
        'print("код")',
        "Подзаголовок",
        "Ссылка в тексте и https://x.kz.",
    ]


def test_markdown_front_matter_gives_metadata():
    md = "---\ntitle: \"Заголовок\"\nauthor: Иван Петров\ndate: 2021-10-14\n---\nТекст статьи."
    extracted = extract_markdown(md)
    assert (extracted.title, extracted.author, extracted.date) == (
        "Заголовок", "Иван Петров", "2021-10-14")
    assert extracted.text == "Текст статьи."


def test_markdown_without_heading_has_no_title():
    assert extract_markdown("Просто *текст*.").title is None


def test_clean_text_html_end_to_end():
    cleaned = clean_text(news_page("001"), "html", url="https://news.kz/article/2")
    assert cleaned.lang == "ru"
    assert cleaned.date_hint == "2020-03-05" and cleaned.author == "Айгерим Сапарова"
    assert "Ассамблея должна показывать пример" in cleaned.text


def test_clean_text_plain_seed_002():
    cleaned = clean_text(read_seed("002"), "text")
    assert cleaned.lang == "ru" and cleaned.title is None
    assert cleaned.report.duplicate_paragraphs == 1
    assert "USD" not in cleaned.text


def test_clean_text_markdown():
    cleaned = clean_text("# Жиын\n\nБүгін Таразда **этномедиаторлар** жиыны өтті.", "markdown")
    assert (cleaned.title, cleaned.lang) == ("Жиын", "kk")
    assert cleaned.text == "Жиын\n\nБүгін Таразда этномедиаторлар жиыны өтті."


@pytest.mark.parametrize("raw", ["", "  \n\u200b\t", "-\n2460\nUSD:\n521.5 / 524.1"])
def test_clean_text_empty_result(raw):
    with pytest.raises(EmptyTextError, match="empty text"):
        clean_text(raw, "text")


def test_clean_text_unknown_kind():
    with pytest.raises(ValueError, match="unknown input kind"):
        clean_text("текст", "pdf")


def test_clean_errors_share_a_base():
    assert issubclass(MalformedHTMLError, CleaningError)
    assert issubclass(EmptyTextError, CleaningError)
