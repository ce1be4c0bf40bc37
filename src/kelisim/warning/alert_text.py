"""The Russian words of an alert message: its subject and its body, written for a duty analyst
reading on a phone. See docs/alerts.md ("The message")."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime


_SPIKES = {"hostile": "всплеск враждебных публикаций",
           "conflict": "всплеск сообщений о конфликтах",
           "attention": "всплеск внимания к межэтнической теме"}
_SPAN_KINDS = {"hostility": "враждебность", "slur": "оскорбление",
               "dehumanising": "расчеловечивание", "violence_call": "призыв к насилию",
               "expulsion_call": "призыв к выселению", "collective_blame": "коллективное обвинение",
               "conflict": "конфликт", "tension": "напряжённость", "match": "совпадение"}
MAX_DOCUMENTS = 5  # shown in the text; the payload and the alert page have them all
MAX_SPANS = 3
MAX_SPAN_CHARS = 200


def _what(alert: dict) -> str:
    """What happened, in a few words, lower case."""
    kind = alert.get("kind")
    if kind == "spike":
        return _SPIKES.get(alert.get("signal") or "", "всплеск публикаций")
    if kind == "search":
        return f"новые совпадения сохранённого поиска «{alert.get('rule')}»"
    if kind == "silence":
        return "источник перестал публиковать"
    return "быстро растущий сюжет" if kind == "story" else "оповещение"


def _subject(alert: dict) -> str:
    """«Kelisim: what — where, dd.mm.yyyy»."""
    place = (alert.get("source") or {}).get("name") if alert.get("kind") == "silence" \
        else (alert.get("unit") or {}).get("name")
    tail = ", ".join(str(part) for part in (place, _date(alert.get("day"))) if part)
    return _line(f"Kelisim: {_what(alert)}" + (f" — {tail}" if tail else ""))


def _body(alert: dict, base: str | None) -> str:
    """The plain-text body: the facts, the evidence, the alert's id and links."""
    what = _what(alert)
    lines = [what[:1].upper() + what[1:], *_facts(alert), "", *_evidence(alert, base), "",
             *_footer(alert, base)]
    return "\n".join(lines) + "\n"


def _facts(alert: dict) -> list[str]:
    """The summary, where, when, observed against expected, the p-value in words, the rule."""
    unit, source = alert.get("unit"), alert.get("source")
    lines = [_line(alert["summary"])] if alert.get("summary") else []
    if unit:
        lines.append(f"Где: {unit.get('name')} (КАТО {unit.get('kato')})")
    if source:
        lines.append(f"Источник: {source.get('name')}")
    if alert.get("day"):
        lines.append(f"Когда: {_date(alert['day'])}")
    if alert.get("observed") is not None:
        lines.append(_observed(alert["observed"], alert.get("expected")))
    if alert.get("p_value") is not None:
        lines.append(_chance(float(alert["p_value"])))
    if alert.get("rule"):
        lines.append(f"Правило: {alert['rule']}")
    return lines


def _observed(observed: float, expected: float | None) -> str:
    """«Наблюдалось: 7, ожидалось около 1,3 — в 5,4 раза больше обычного.»"""
    if expected is None:
        return f"Наблюдалось: {_number(observed)}."
    line = f"Наблюдалось: {_number(observed)}, ожидалось около {_number(expected)}"
    if expected > 0 and observed > expected:
        ratio = observed / expected
        shown = _number(ratio) if ratio < 10 else str(round(ratio))
        line += f" — в {shown} {_times(shown)} больше обычного"
    return line + "."


def _chance(p: float) -> str:
    """The p-value in words."""
    if p >= 0.05:
        verdict = "в пределах обычных колебаний"
    else:
        verdict = "крайне маловероятно" if p < 0.001 else \
            "очень маловероятно" if p < 0.01 else "маловероятно"
    if p < 1e-6:
        shown = "p < 0,000001"
    else:
        decimals = max(2, 1 - int(_floor_log10(p)))
        shown = f"p = {p:.{decimals}f}".replace(".", ",")
    odds = f" — при обычном фоне примерно 1 шанс из {_grouped(_two_digits(1 / p))}" \
        if 1e-6 <= p < 0.5 else ""
    return f"Вероятность случайности: {shown}{odds}; {verdict}."


def _evidence(alert: dict, base: str | None) -> list[str]:
    """The documents behind the alert, with their quoted spans and links."""
    documents = alert.get("evidence") or []
    if not documents:
        return ["Основания: документов нет."]
    count = len(documents)
    lines = [f"Основания: {count} {_plural(count, 'документ', 'документа', 'документов')}."]
    for number, document in enumerate(documents[:MAX_DOCUMENTS], start=1):
        lines.extend(_document(number, document, base))
    rest = len(documents) - MAX_DOCUMENTS
    if rest > 0:
        lines.append(f"…и ещё {rest} — в карточке оповещения.")
    return lines


def _document(number: int, document: dict, base: str | None) -> list[str]:
    """One evidence document: title, outlet, date, spans, links."""
    head = f"{number}. «{_line(document.get('title') or '') or 'без заголовка'}»"
    where = ", ".join(str(p) for p in (document.get("source"), _date(document.get("published")))
                      if p)
    lines = [head + (f" — {where}" if where else "")]
    for span in (document.get("spans") or [])[:MAX_SPANS]:
        label = _SPAN_KINDS.get(span.get("kind") or "", span.get("kind"))
        quoted = f"   «{_clip(_line(span.get('text') or ''))}»"
        lines.append(quoted + (f" ({label})" if label else ""))
    if base and document.get("document_id") is not None:
        lines.append(f"   Документ: {base}/documents/{document['document_id']}")
    if document.get("url"):
        lines.append(f"   Оригинал: {document['url']}")
    return lines


def _footer(alert: dict, base: str | None) -> list[str]:
    """The alert's id, when it fired, its link and its key."""
    fired = _moment(alert.get("fired_at"))
    lines = [f"Оповещение №{alert.get('id')}" + (f", сработало {fired}" if fired else "")]
    if base and alert.get("id") is not None:
        lines.append(f"Открыть: {base}/alerts/{alert['id']}")
    lines.append(f"Ключ: {alert['key']}")
    return lines


def _date(value: object) -> str | None:
    """'2024-03-14' (or an ISO timestamp) as '14.03.2024'; anything else as it is."""
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def _moment(value: object) -> str | None:
    """An ISO timestamp as '14.03.2024 23:59 UTC'."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if moment.tzinfo is None:
        return moment.strftime("%d.%m.%Y %H:%M")
    return moment.astimezone(UTC).strftime("%d.%m.%Y %H:%M UTC")


def _number(value: float) -> str:
    """7 as '7', 1.34 as '1,3', 1234.5 as '1 234'."""
    if float(value).is_integer() or abs(value) >= 100:
        return _grouped(round(value))
    return f"{value:.1f}".replace(".", ",")


def _grouped(value: int) -> str:
    """4800 as '4 800'."""
    return f"{value:,}".replace(",", " ")


def _two_digits(value: float) -> int:
    """A number rounded to two significant digits: 4761.9 → 4800."""
    digits = len(str(int(value)))
    return int(round(value, -(digits - 2))) if digits > 2 else round(value)


def _floor_log10(value: float) -> int:
    """floor(log10(value)) for a positive value."""
    return math.floor(math.log10(value))


def _times(shown: str) -> str:
    """«раза» or «раз» after a number of times, as Russian agrees it."""
    if "," in shown:
        return "раза"
    n = int(shown.replace(" ", ""))
    return "раза" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "раз"


def _plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for a count."""
    if n % 10 == 1 and n % 100 != 11:
        return one
    return few if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else many


def _line(text: str) -> str:
    """Text on one line, whitespace collapsed (a subject or a header cannot break)."""
    return " ".join(str(text).split())


def _clip(text: str) -> str:
    """At most MAX_SPAN_CHARS characters, with an ellipsis when cut."""
    return text if len(text) <= MAX_SPAN_CHARS else text[:MAX_SPAN_CHARS - 1].rstrip() + "…"


def subject(alert: dict) -> str:
    """The one-line subject of an alert's message."""
    return _subject(alert)


def body(alert: dict, base: str | None) -> str:
    """The plain-text body of an alert's message (links to ``base`` when given)."""
    return _body(alert, base)
