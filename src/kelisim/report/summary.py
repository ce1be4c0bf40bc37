"""The report's summary: plain sentences in the report's language, each with its documents."""

from __future__ import annotations

from collections.abc import Sequence

from kelisim.report.model import Claim, IncidentItem, Report
from kelisim.report.texts import Texts
from kelisim.warning.index import IndexValue


def summary(report: Report, texts: Texts, own: IndexValue, calm: Sequence,
            alerts: Sequence) -> list[Claim]:
    """The summary's claims, in reading order; a sentence with nothing to say is left out."""
    claims = [_volume(report, texts), _index(report, texts), _alerts(alerts, texts),
              *_incidents(report, texts), _hostility(own, texts),
              _deescalation(report, calm, texts), _top_story(report, texts),
              _statements(report, texts)]
    return [claim for claim in claims if claim is not None]


def _volume(report: Report, texts: Texts) -> Claim:
    index = report.index
    if not index.volume:
        return Claim(text=texts("sum_no_volume"))
    text = texts("sum_volume", n=index.volume, materials=texts.plural(index.volume, "materials"),
                 previous=index.previous_volume)
    return Claim(text=text,
                 link=f"/regions/{report.kato}?from={report.start}&to={report.end}")


def _index(report: Report, texts: Texts) -> Claim:
    index = report.index
    delta = abs(index.change)
    if not delta:
        change = texts("sum_index_same")
    else:
        key = "sum_index_up" if index.change > 0 else "sum_index_down"
        change = texts(key, delta=texts.number(delta), points=texts.plural(delta, "points"))
    text = texts("sum_index", value=texts.number(index.value), rank=index.rank,
                 regions=index.regions, previous=texts.number(index.previous), change=change)
    return Claim(text=text.strip(), documents=index.documents)


def _alerts(alerts: Sequence, texts: Texts) -> Claim | None:
    if not alerts:
        return None
    still_open = sum(1 for a in alerts if a.status == "new")
    docs = [d for a in alerts for d in (a.data or {}).get("documents") or []]
    text = texts("sum_alerts", n=len(alerts), alerts=texts.plural(len(alerts), "alerts"),
                 open=still_open)
    return Claim(text=text, documents=list(dict.fromkeys(docs)))


def _incidents(report: Report, texts: Texts) -> list[Claim]:
    if not report.incidents_total:
        return [Claim(text=texts("sum_no_incidents"))]
    verified = sum(1 for i in report.incidents if i.status == "verified")
    count = Claim(text=texts("sum_incidents", n=report.incidents_total,
                             incidents=texts.plural(report.incidents_total, "incidents"),
                             verified=verified),
                  documents=[d for i in report.incidents for d in i.documents])
    worst = report.incidents[0]
    return [count, Claim(text=texts("sum_worst", type=worst.type_label, date=texts.date(worst.date),
                                    place=worst.place, casualties=_casualties(worst, texts)),
                         documents=worst.documents)]


def _casualties(incident: IncidentItem, texts: Texts) -> str:
    parts = [texts(kind, n=getattr(incident, kind)) for kind in ("killed", "injured", "detained")
             if getattr(incident, kind)]
    return ": " + ", ".join(parts) if parts else ""


def _hostility(own: IndexValue, texts: Texts) -> Claim:
    hostile = list(own.component("hostility").documents)
    if not hostile:
        return Claim(text=texts("sum_no_hostile"))
    return Claim(text=texts("sum_hostile", n=len(hostile),
                            in_materials=texts.plural(len(hostile), "in_materials")),
                 documents=hostile)


def _deescalation(report: Report, calm: Sequence, texts: Texts) -> Claim | None:
    if not calm:
        return None
    docs = [d for item in report.deescalation for d in item.documents]
    text = texts("sum_deescalation", n=len(calm), events=texts.plural(len(calm), "events"))
    return Claim(text=text, documents=docs)


def _top_story(report: Report, texts: Texts) -> Claim | None:
    if not report.stories or report.stories[0].size < 2:
        return None  # with no story told twice, none stands out
    story = report.stories[0]
    values = {"title": story.title, "n": story.size,
              "materials": texts.plural(story.size, "materials")}
    if story.outlets:
        text = texts("sum_top_story", outlets=story.outlets,
                     outlet_word=texts.plural(story.outlets, "outlet_word"), **values)
    else:
        text = texts("sum_top_story_no_outlets", **values)
    return Claim(text=text, documents=story.documents)


def _statements(report: Report, texts: Texts) -> Claim | None:
    total = report.statements_total
    if not total:
        return None
    return Claim(text=texts("sum_statements", n=total, times=texts.plural(total, "times")),
                 documents=list(dict.fromkeys(s.document_id for s in report.statements)))
