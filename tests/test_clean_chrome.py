import re

import pytest

from kelisim.clean import normalize_text, strip_chrome
from kelisim.clean.chrome import classify_line
if __package__:  # tests/ is a package
    from tests.shared_data import read_seed, seed_paths
else:
    from shared_data import read_seed, seed_paths

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences(text: str) -> list[str]:
    return [s for line in text.splitlines() for s in _SENTENCE_END.split(line.strip()) if s]


def seed_002_article() -> list[str]:
    return normalize_text(read_seed("002")).split("\n")[:6]


def test_seed_002_keeps_every_article_sentence_exactly_once():
    cleaned, _ = strip_chrome(normalize_text(read_seed("002")))
    for sentence in sentences("\n".join(seed_002_article())):
        assert cleaned.count(sentence) == 1, sentence


def test_seed_002_is_exactly_its_article():
    cleaned, _ = strip_chrome(normalize_text(read_seed("002")))
    assert cleaned.split("\n") == seed_002_article()


@pytest.mark.parametrize("chrome", [
    "💣", "В Астане взорвался газовый баллон", "Щелкунчик", "AZAGHAL", "Доспехов Бога",
    "Доброе утро", "Арестован замруководителя", "2460", "2488", "USD", "EUR", "RUB",
    "521.5", "524.1", "611.5", "6.45", "6.57", "\n-\n",
])
def test_seed_002_ticker_counters_and_rates_are_gone(chrome):
    cleaned, _ = strip_chrome(normalize_text(read_seed("002")))
    assert chrome not in cleaned
    assert not cleaned.endswith("-")


def test_seed_002_report_counts_each_kind():
    text = normalize_text(read_seed("002"))
    cleaned, report = strip_chrome(text)
    assert report.removed_by_kind == {
        "currency": 6, "dash": 50, "duplicate": 1, "number": 30, "ticker": 10,
    }
    assert report.duplicate_paragraphs == 1
    assert report.removed_lines == sum(report.removed_by_kind.values()) == 97
    assert report.removed_chars == len(text) - len(cleaned) - 97


@pytest.mark.parametrize("prefix", ["000", "001", "003", "004"])
def test_other_seeds_come_out_unchanged(prefix):
    text = normalize_text(read_seed(prefix))
    cleaned, report = strip_chrome(text)
    assert cleaned == text
    assert report.removed_lines == 0 and report.removed_by_kind == {}


def test_every_sentence_of_every_seed_is_preserved():
    for path in seed_paths():
        raw = path.read_text(encoding="utf-8")
        cleaned, _ = strip_chrome(normalize_text(raw))
        article = raw if not path.name.startswith("002") else "\n".join(seed_002_article())
        for sentence in sentences(normalize_text(article)):
            assert sentence in cleaned, (path.name, sentence)


def test_seed_003_date_line_is_not_chrome():
    assert classify_line(" 14-15 октября 2021 года      г. Тараз") is None


@pytest.mark.parametrize("line, kind", [
    ("-", "dash"), ("—", "dash"), ("* * *", "dash"), ("🔥", "dash"),
    ("2460", "number"), ("2 460", "number"), ("10:15", "number"),
    ("Просмотров: 2 460", "counter"), ("👁 2460", "counter"), ("3 комментария", "counter"),
    ("Комментарии (12)", "counter"), ("Қаралды: 150", "counter"),
    ("USD:", "currency"), ("EUR: 611.5 / 616.5", "currency"), ("521.5 / 524.1", "currency"),
    ("Курс валют", "currency"),
    ("1💣В Астане взорвался газовый баллон", "ticker"), ("10⚡️Арестован замруководителя", "ticker"),
    ("Читайте также: Токаев провёл встречу", "boilerplate"),
    ("Читайте нас в Telegram", "boilerplate"), ("Подписывайтесь на наш канал", "boilerplate"),
    ("Сондай-ақ оқыңыз: Тоқаев жиын өткізді", "boilerplate"), ("По теме:", "boilerplate"),
    ("Поделиться", "share"), ("Facebook | VK | Telegram | WhatsApp", "share"),
    ("Главная / Новости / Политика", "breadcrumb"),
])
def test_line_kinds(line, kind):
    assert classify_line(line) == kind


@pytest.mark.parametrize("line", [
    "По теме доклада выступил профессор из Москвы.",
    "1. Роль местных исполнительных органов;",
    "11.12.2023",
    "Подписание меморандума состоялось в Таразе.",
    "В 2021 году курс USD вырос на 5%.",
    "Он сказал: «Поделиться опытом — наша задача».",
    "",
])
def test_article_lines_are_not_chrome(line):
    assert classify_line(line) is None


def test_read_also_list_goes_with_its_header():
    text = "Первый абзац статьи.\nЧитайте также:\nТокаев провёл встречу\nВ Алматы снег\n\nВторой абзац."
    cleaned, report = strip_chrome(text)
    assert cleaned == "Первый абзац статьи.\n\nВторой абзац."
    assert report.removed_by_kind == {"boilerplate": 1, "read_also": 2}


def test_short_line_between_chrome_goes_but_long_line_stays():
    long_line = "Аким области провёл встречу с представителями этнокультурных объединений " * 2
    text = f"Начало статьи.\n-\nКороткий заголовок\n2460\n{long_line}\n-\nКонец."
    cleaned, report = strip_chrome(text)
    assert "Короткий заголовок" not in cleaned
    assert long_line.strip() in cleaned
    assert report.removed_by_kind["sandwiched"] == 1


def test_repeated_paragraph_is_kept_once_but_short_repeats_stay():
    paragraph = "Участники обсудили вопросы межэтнического согласия в регионе."
    text = f"{paragraph}\n— Да.\nДругой абзац.\n— Да.\n{paragraph.upper()}"
    cleaned, report = strip_chrome(text)
    assert cleaned == f"{paragraph}\n— Да.\nДругой абзац.\n— Да."
    assert report.duplicate_paragraphs == 1


def test_empty_and_chrome_only_texts():
    assert strip_chrome("")[0] == ""
    cleaned, report = strip_chrome("-\n2460\nUSD:\n521.5 / 524.1")
    assert cleaned == "" and report.removed_lines == 4
