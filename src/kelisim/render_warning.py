"""Terminal rendering of the warning stage: stories, incidents, alerts, the index, a replay."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kelisim.warning.units import unit_name


def _table(title: str, columns: tuple[str, ...], rows: list[tuple],
           wide: tuple[str, ...] = ("title", "summary", "comment")) -> Table:
    table = Table(title=title, title_justify="left")
    for column in columns:
        table.add_column(column, min_width=18 if column in wide else None)
    for row in rows:
        table.add_row(*("—" if cell is None else escape(str(cell)) for cell in row))
    return table


def _unit(kato: str | None) -> str | None:
    return f"{unit_name(kato)} ({kato})" if kato else None


def _name(kato: str | None) -> str | None:
    return unit_name(kato) if kato else None


def _short(text: str | None, limit: int = 70) -> str | None:
    if text is None:
        return None
    return text if len(text) <= limit else text[: limit - 1] + "…"


def warning_report(console: Console, report) -> None:
    """One line on what the warning stage did."""
    parts = [f"{report.clustered:,} documents into stories ({report.stories_started:,} new)"]
    if report.incidents_flagged or report.incidents_refreshed:
        parts.append(f"{report.incidents_flagged} incidents flagged, "
                     f"{report.incidents_refreshed} updated")
    parts.append(f"{len(report.alerts_new)} new alerts")
    outbox = report.outbox
    if outbox.sent or outbox.failed or outbox.pending:
        parts.append(f"sent {outbox.sent}, failed {outbox.failed}, waiting {outbox.pending}")
    console.print("Early warning: " + " · ".join(parts))


def stories_table(console: Console, total: int, stories) -> None:
    """Stories, latest first."""
    rows = [(s.id, f"{s.last_at:%Y-%m-%d}", s.documents, s.outlets, s.reprints,
             f"{s.event_type or '—'}{' ▲' if s.breaking else ''}",
             _name(s.district_kato or s.region_kato), _short(s.title)) for s in stories]
    console.print(_table(f"Stories ({len(stories)} of {total}; ▲ breaking)",
                         ("#", "last", "docs", "outl.", "repr.", "event", "where", "title"),
                         rows, wide=("title",)))


def story(console: Console, story, members) -> None:
    """One story and its documents."""
    console.print(f"[bold]Story {story.id}[/bold]: {escape(story.title or '(no title)')}")
    console.print(f"{story.first_at:%Y-%m-%d %H:%M} – {story.last_at:%Y-%m-%d %H:%M} UTC · "
                  f"{story.documents} documents, {story.reprints} reprints, {story.outlets} outlets"
                  f" · event: {story.event_type or '—'} · where: {_unit(story.region_kato) or '—'}"
                  f" · groups: {', '.join(story.groups) or '—'}")
    console.print(_table("Documents", ("document", "at (UTC)", "source", "reprints", "event",
                                       "hostile", "similarity", "title"),
                         [(m.document_id, f"{m.at:%Y-%m-%d %H:%M}", m.source, m.reprints,
                           m.event_type, "yes" if m.hostile else "", f"{m.similarity:.2f}",
                           _short(m.title, 60)) for m in members]))


def incidents_table(console: Console, total: int, incidents) -> None:
    """Incidents, latest first."""
    rows = [(i.id, i.date.isoformat(), i.status, i.type, i.subtype,
             _unit(i.district_kato or i.region_kato), ", ".join(i.groups) or None,
             _casualties(i), len(i.evidence.get("documents", []))) for i in incidents]
    console.print(_table(f"Incidents ({len(incidents)} of {total})",
                         ("#", "date", "status", "type", "sub-type", "where", "groups",
                          "casualties", "docs"), rows))


def _casualties(incident) -> str | None:
    parts = [f"{label} {value}" for label, value in (("killed", incident.killed),
                                                      ("injured", incident.injured),
                                                      ("detained", incident.detained))
             if value is not None]
    return ", ".join(parts) or None


def incident(console: Console, incident, actions) -> None:
    """One incident with its coding, sources and audit trail."""
    console.print(f"[bold]Incident {incident.id}[/bold] · {incident.status} · {incident.type}"
                  f"{' / ' + incident.subtype if incident.subtype else ''}")
    console.print(f"Where: {_unit(incident.settlement_kato or incident.district_kato or incident.region_kato) or '—'}"
                  f" (precision {incident.geo_precision}) · when: {incident.date} "
                  f"(precision {incident.time_precision}) · groups: {', '.join(incident.groups) or '—'}"
                  f" · casualties: {_casualties(incident) or 'none reported'}")
    evidence = incident.evidence
    console.print(f"Documents: {', '.join(map(str, evidence.get('documents', [])))} · "
                  f"sources: {', '.join(evidence.get('sources', [])) or '—'} · story {incident.story_id}")
    for span in evidence.get("spans", [])[:8]:
        console.print(f"  document {span['document_id']} [{span['start']}:{span['end']}] "
                      f"«{escape(span['text'])}»")
    if incident.edited:
        console.print(f"Set by an analyst: {', '.join(incident.edited)}")
    actions_table(console, actions)


def actions_table(console: Console, actions) -> None:
    """An audit trail."""
    console.print(_table("Trail", ("at (UTC)", "who", "action", "status", "comment"),
                         [(f"{a.at:%Y-%m-%d %H:%M}", a.author, a.action,
                           f"{a.from_status or '·'} → {a.to_status}" if a.to_status else None,
                           a.comment) for a in actions]))


def alerts_table(console: Console, total: int, alerts) -> None:
    """Alerts, latest first."""
    rows = [(a.id, f"{a.fired_at:%Y-%m-%d %H:%M}", a.status, a.kind, a.rule, _short(a.summary, 90))
            for a in alerts]
    console.print(_table(f"Alerts ({len(alerts)} of {total})",
                         ("#", "fired (UTC)", "status", "kind", "rule", "summary"), rows))


def alert(console: Console, alert: dict, actions, deliveries) -> None:
    """One alert with its evidence, deliveries and trail."""
    console.print(f"[bold]Alert {alert['id']}[/bold] · {alert['status']} · {alert['kind']} · "
                  f"rule {alert['rule']} · fired {alert['fired_at']}")
    console.print(escape(alert["summary"]))
    if alert.get("p_value") is not None:
        console.print(f"observed {alert['observed']:g}, expected {alert['expected']:.2f}, "
                      f"p = {alert['p_value']:.2g} · factors: {alert.get('factors')}")
    for item in alert.get("evidence", []):
        console.print(f"  document {item['document_id']} ({item['published']}, "
                      f"{escape(item.get('source') or '—')}): {escape(item.get('title') or '')}")
        for span in item.get("spans", []):
            console.print(f"      [{span['start']}:{span['end']}] «{escape(span['text'])}»")
    if deliveries:
        console.print(_table("Deliveries", ("channel", "status", "attempts", "sent", "error"),
                             [(d.channel, d.status, d.attempts,
                               f"{d.sent_at:%Y-%m-%d %H:%M}" if d.sent_at else None, d.last_error)
                              for d in deliveries]))
    actions_table(console, actions)


def index_table(console: Console, values, title: str) -> None:
    """Index values: one row per unit or per period, with the components."""
    one_period = len({(v.start, v.end) for v in values}) <= 1
    rows = [((v.name, v.kato) if one_period else
             (f"{v.start}",)) +
            (f"{v.value:.2f}", v.volume, *(f"{v.component(c).points:g}" for c in
                                          ("incidents", "reach", "hostility", "deescalation")))
            for v in values]
    head = ("unit", "KATO") if one_period else ("from",)
    console.print(_table(title, (*head, "index", "volume", "incid.", "reach", "hostil.",
                                 "de-esc."), rows, wide=("unit",)))


def replay_report(console: Console, report) -> None:
    """What a replay fired and how it scored."""
    console.print(f"Replayed {report.documents:,} documents ({report.reprints:,} reprints, "
                  f"{report.skipped} skipped) from {report.start} to {report.end}: "
                  f"{len(report.alerts)} alerts.")
    for episode in report.episodes:
        after = (f", {episode.delay_after_detectable} after the first day with 3 planted posts "
                 f"({episode.detectable})" if episode.delay_after_detectable is not None else "")
        found = (f"detected on {episode.detected}, {episode.delay_days} days after its start{after} "
                 f"({episode.first_alert['summary']})" if episode.detected else "NOT detected")
        console.print(f"Episode [bold]{escape(episode.name)}[/bold] ({_unit(episode.district_kato or episode.region_kato)}, "
                      f"{episode.start} – {episode.end}): {escape(found)}; {episode.alerts} alerts in it.")
    months = report.false_alarms
    console.print(_table("False alarms (spike and story alerts outside the episodes)",
                         ("month", "false alarms"), [(m, n) for m, n in months.items()]))
    total = sum(months.values())
    console.print(f"False alarms: {total} in {len(months)} months "
                  f"({total / max(len(months), 1):.1f} a month). Silent outlets found: "
                  f"{', '.join(report.silences_found) or 'none'}; false silence alerts: {report.silences_false}.")
