"""The ``kelisim`` commands of the warning stage: warn, stories, story, incidents, alerts,
index and replay; thin shells over :class:`kelisim.core.Kelisim` and its store."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer

from kelisim import render, render_warning
from kelisim.config import default_db_url, default_replay_db_url
from kelisim.places.gazetteer import Gazetteer
from kelisim.warning.index import PERIODS
from kelisim.warning.outbox import alert_json
from kelisim.warning.replay import CorpusError, load_corpus, write_alerts
from kelisim.warning.units import find_unit, local_day

incidents_app = typer.Typer(help="The incident registry: list, show, verify, edit, close.",
                            no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts: list, show, acknowledge, resolve, mark false alarms, send.",
                         no_args_is_help=True)
DATE_FORMATS = ["%Y-%m-%d"]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ByOption = Annotated[str, typer.Option("--by", help="Who acts (kept in the audit trail).")]
CommentOption = Annotated[Optional[str], typer.Option(help="Why, in a few words.")]


def register(app: typer.Typer) -> None:
    """Add the warning commands to the ``kelisim`` app."""
    app.add_typer(incidents_app, name="incidents")
    app.add_typer(alerts_app, name="alerts")
    for command in (warn, stories, story, index, replay):
        app.command()(command)


def _cli():
    from kelisim import cli  # the shared shell helpers; imported late, cli imports this module

    return cli


def _unit(value: str | None) -> str | None:
    """A region or district given by KATO code or name."""
    if value is None:
        return None
    code = find_unit(value, ("region", "district"))
    if code is None:
        raise ValueError(f"--region {value!r} is no region or district of Kazakhstan (give its "
                         "KATO code or its name)")
    return code


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def warn(
    ctx: typer.Context,
    as_of: Annotated[Optional[datetime], typer.Option(
        "--as-of", formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M"], help="Stand at this moment (UTC; "
        "default: now): later documents wait, alerts fire as of then.")] = None,
    send: Annotated[bool, typer.Option("--send/--no-send", help="Send queued alerts.")] = True,
) -> None:
    """Run the warning stage: stories, incidents, the alerts of the days not yet final, and
    their delivery (ingest, read, collect and watch run it by themselves).

    Example: `kelisim --rules alerts.toml warn`
    """
    moment = as_of.replace(tzinfo=timezone.utc) if as_of else None
    with _cli()._open(ctx) as kelisim:
        report = kelisim.warn(moment, send=send)
        render_warning.warning_report(_cli().console, report)


def stories(
    ctx: typer.Context,
    region: Annotated[Optional[str], typer.Option(help="A region: KATO code or name.")] = None,
    date_from: Annotated[Optional[datetime], typer.Option("--from", formats=DATE_FORMATS, help="First day (YYYY-MM-DD).")] = None,
    date_to: Annotated[Optional[datetime], typer.Option("--to", formats=DATE_FORMATS, help="Last day (YYYY-MM-DD).")] = None,
    biggest: Annotated[bool, typer.Option("--biggest", help="Biggest first (default: latest).")] = False,
    limit: Annotated[int, typer.Option(min=1, help="Stories to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """List stories: the documents about one event, across outlets and days.

    Example: `kelisim stories --region "Жамбылская область" --biggest`
    """
    since = datetime.combine(date_from.date(), datetime.min.time(), timezone.utc) if date_from else None
    until = datetime.combine(date_to.date() + timedelta(days=1), datetime.min.time(),
                             timezone.utc) if date_to else None
    with _cli()._open(ctx) as kelisim:
        total, page = kelisim.store.warning.stories(
            region=_unit(region), since=since, until=until, limit=limit,
            order="size" if biggest else "last")
    if as_json:
        _cli()._print_json({"total": total, "stories": render.plain(page)})
    else:
        render_warning.stories_table(_cli().console, total, page)


def story(ctx: typer.Context, story_id: Annotated[int, typer.Argument(help="The story's id.")],
          as_json: JsonOption = False) -> None:
    """Show a story and its documents.

    Example: `kelisim story 12`
    """
    with _cli()._open(ctx) as kelisim:
        found = kelisim.store.warning.story(story_id)
        if found is None:
            raise LookupError(f"no story with id {story_id}")
        members = kelisim.store.warning.members([story_id])
    if as_json:
        _cli()._print_json({"story": render.plain(found), "documents": render.plain(members)})
    else:
        render_warning.story(_cli().console, found, members)


def index(
    ctx: typer.Context,
    region: Annotated[Optional[str], typer.Option(
        help="One region or district (KATO code or name): its index per period.")] = None,
    level: Annotated[str, typer.Option(help="region or district, for the table of all units.")] = "region",
    period: Annotated[str, typer.Option(help=f"One of {', '.join(PERIODS)}.")] = "week",
    date_from: Annotated[Optional[datetime], typer.Option("--from", formats=DATE_FORMATS, help="First day (default: 8 weeks "
                                                  "before the last document).")] = None,
    date_to: Annotated[Optional[datetime], typer.Option("--to", formats=DATE_FORMATS, help="Last day (default: the last "
                                                "document's).")] = None,
    as_json: JsonOption = False,
) -> None:
    """The tension index: of one unit per period, or of every unit over the span.

    Example: `kelisim index --region 310000000 --period week`
    """
    with _cli()._open(ctx) as kelisim:
        _first, last = kelisim.store.warning.day_range()
        end = _day(date_to) or last or local_day(datetime.now(timezone.utc))
        start = _day(date_from) or end - timedelta(days=55)
        kato = _unit(region)
        if kato:
            level_of = Gazetteer.load().get(kato).level
            values = kelisim.index(kato, level_of, period, start, end)
            title = f"Tension index of {values[0].name if values else kato}, per {period}"
        else:
            values = kelisim.index_table(level, start, end)
            title = f"Tension index by {level}, {start} – {end}"
    if as_json:
        _cli()._print_json(render.plain(values))
    else:
        render_warning.index_table(_cli().console, values, title)


def replay(
    ctx: typer.Context,
    corpus: Annotated[Path, typer.Argument(help="A replay corpus folder (manifest.json, "
                                           "documents.jsonl): see docs/replay.md.")],
    out: Annotated[Optional[Path], typer.Option(help="Write the alerts fired here (JSON lines).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Feed a dated corpus through the whole pipeline in time order and report the alerts as
    they would have fired, with detection delay and false alarms per month. Uses its own store
    (replay.db in the data folder) unless --db is given.

    Example: `kelisim replay build/replay --out alerts.jsonl`
    """
    settings = ctx.obj
    if settings.db_url == default_db_url():
        ctx.obj = replace(settings, db_url=default_replay_db_url())
    try:
        loaded = load_corpus(corpus)
    except CorpusError as error:
        _cli().errors.print(f"[red]Error:[/red] {error}")
        raise typer.Exit(_cli().EXIT_FAILED) from None
    console = _cli().errors if as_json else _cli().console  # JSON alone on standard output
    with _cli()._open(ctx) as kelisim:
        console.print(f"Replaying {corpus} into {kelisim.store.url} (a simulation).")
        with console.status("Replaying…") as status:
            report = kelisim.replay(loaded, progress=lambda what: status.update(f"Replaying: {what}"))
    if out:
        write_alerts(report.alerts, out)
        console.print(f"Wrote {len(report.alerts)} alerts to {out}.")
    if as_json:
        _cli()._print_json(report.to_json())
    else:
        render_warning.replay_report(console, report)


# Incidents


@incidents_app.command("list")
def incidents_list(
    ctx: typer.Context,
    status: Annotated[Optional[str], typer.Option(help="flagged, verified or closed.")] = None,
    region: Annotated[Optional[str], typer.Option(help="A region: KATO code or name.")] = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="An event type id.")] = None,
    date_from: Annotated[Optional[datetime], typer.Option("--from", formats=DATE_FORMATS, help="First day.")] = None,
    date_to: Annotated[Optional[datetime], typer.Option("--to", formats=DATE_FORMATS, help="Last day.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: JsonOption = False,
) -> None:
    """List incidents, latest first.

    Example: `kelisim incidents list --status flagged`
    """
    with _cli()._open(ctx) as kelisim:
        total, page = kelisim.store.warning.incidents(
            status=status, region=_unit(region), type_=type_, day_from=_day(date_from),
            day_to=_day(date_to), limit=limit)
    if as_json:
        _cli()._print_json({"total": total, "incidents": render.plain(page)})
    else:
        render_warning.incidents_table(_cli().console, total, page)


@incidents_app.command("show")
def incidents_show(ctx: typer.Context, incident_id: Annotated[int, typer.Argument()],
                   as_json: JsonOption = False) -> None:
    """Show an incident: its coding, sources, evidence and trail.

    Example: `kelisim incidents show 3`
    """
    with _cli()._open(ctx) as kelisim:
        found = kelisim.store.warning.incident(incident_id)
        if found is None:
            raise LookupError(f"no incident with id {incident_id}")
        actions = kelisim.store.warning.incident_actions(incident_id)
    if as_json:
        _cli()._print_json({"incident": render.plain(found), "actions": render.plain(actions)})
    else:
        render_warning.incident(_cli().console, found, actions)


def _move_incident(ctx: typer.Context, incident_id: int, action: str, by: str,
                   comment: str | None) -> None:
    with _cli()._open(ctx) as kelisim:
        status = kelisim.store.warning.move_incident(incident_id, action, by, comment)
    _cli().console.print(f"Incident {incident_id} is now {status}.")


@incidents_app.command("verify")
def incidents_verify(ctx: typer.Context, incident_id: Annotated[int, typer.Argument()],
                     by: ByOption, comment: CommentOption = None) -> None:
    """Mark a flagged incident as verified.

    Example: `kelisim incidents verify 3 --by aigerim --comment "confirmed by the akimat"`
    """
    _move_incident(ctx, incident_id, "verify", by, comment)


@incidents_app.command("close")
def incidents_close(ctx: typer.Context, incident_id: Annotated[int, typer.Argument()],
                    by: ByOption, comment: CommentOption = None) -> None:
    """Close an incident (followed up, or not an incident).

    Example: `kelisim incidents close 3 --by aigerim --comment "mediation held"`
    """
    _move_incident(ctx, incident_id, "close", by, comment)


@incidents_app.command("reopen")
def incidents_reopen(ctx: typer.Context, incident_id: Annotated[int, typer.Argument()],
                     by: ByOption, comment: CommentOption = None) -> None:
    """Reopen a closed incident (it is flagged again).

    Example: `kelisim incidents reopen 3 --by aigerim`
    """
    _move_incident(ctx, incident_id, "reopen", by, comment)


@incidents_app.command("edit")
def incidents_edit(
    ctx: typer.Context,
    incident_id: Annotated[int, typer.Argument()],
    by: ByOption,
    type_: Annotated[Optional[str], typer.Option("--type", help="An event type id.")] = None,
    place: Annotated[Optional[str], typer.Option(help="The KATO code of the place.")] = None,
    day: Annotated[Optional[datetime], typer.Option("--date", formats=DATE_FORMATS, help="The day it happened.")] = None,
    killed: Annotated[Optional[int], typer.Option(min=0)] = None,
    injured: Annotated[Optional[int], typer.Option(min=0)] = None,
    detained: Annotated[Optional[int], typer.Option(min=0)] = None,
    comment: CommentOption = None,
) -> None:
    """Correct an incident's coding; the machine leaves what an analyst set alone.

    Example: `kelisim incidents edit 3 --by aigerim --killed 11 --injured 192`
    """
    from kelisim.warning.edits import incident_changes

    changes = incident_changes(type_=type_, place=place, day=_day(day), killed=killed,
                               injured=injured, detained=detained)
    if not changes:
        raise typer.BadParameter("give at least one field to change")
    with _cli()._open(ctx) as kelisim:
        kelisim.store.warning.edit_incident(incident_id, changes, by, comment)
    _cli().console.print(f"Incident {incident_id}: set {', '.join(changes)}.")


@incidents_app.command("comment")
def incidents_comment(ctx: typer.Context, incident_id: Annotated[int, typer.Argument()],
                      by: ByOption, comment: Annotated[str, typer.Option(help="The comment.")]) -> None:
    """Add a comment to an incident's trail.

    Example: `kelisim incidents comment 3 --by aigerim --comment "called the district akimat"`
    """
    with _cli()._open(ctx) as kelisim:
        kelisim.store.warning.comment_incident(incident_id, by, comment)
    _cli().console.print(f"Incident {incident_id}: comment added.")


# Alerts


@alerts_app.command("list")
def alerts_list(
    ctx: typer.Context,
    status: Annotated[Optional[str], typer.Option(
        help="new, acknowledged, resolved or false_alarm.")] = None,
    kind: Annotated[Optional[str], typer.Option(help="spike, search, silence or story.")] = None,
    region: Annotated[Optional[str], typer.Option(help="A region: KATO code or name.")] = None,
    limit: Annotated[int, typer.Option(min=1)] = 50,
    as_json: JsonOption = False,
) -> None:
    """List alerts, latest first.

    Example: `kelisim alerts list --status new`
    """
    with _cli()._open(ctx) as kelisim:
        total, page = kelisim.store.warning.alerts(status=status, kind=kind, region=_unit(region),
                                                   limit=limit)
    if as_json:
        _cli()._print_json({"total": total, "alerts": [alert_json(a) for a in page]})
    else:
        render_warning.alerts_table(_cli().console, total, page)


@alerts_app.command("show")
def alerts_show(ctx: typer.Context, alert_id: Annotated[int, typer.Argument()],
                as_json: JsonOption = False) -> None:
    """Show an alert: its evidence, deliveries and trail.

    Example: `kelisim alerts show 7`
    """
    with _cli()._open(ctx) as kelisim:
        found = kelisim.store.warning.alert(alert_id)
        if found is None:
            raise LookupError(f"no alert with id {alert_id}")
        actions = kelisim.store.warning.alert_actions(alert_id)
        deliveries = kelisim.store.warning.deliveries(alert_id)
    if as_json:
        _cli()._print_json({"alert": alert_json(found), "actions": render.plain(actions),
                            "deliveries": render.plain(deliveries)})
    else:
        render_warning.alert(_cli().console, alert_json(found), actions, deliveries)


def _move_alert(ctx: typer.Context, alert_id: int, action: str, by: str,
                comment: str | None) -> None:
    with _cli()._open(ctx) as kelisim:
        status = kelisim.store.warning.move_alert(alert_id, action, by, comment)
    _cli().console.print(f"Alert {alert_id} is now {status}.")


@alerts_app.command("ack")
def alerts_ack(ctx: typer.Context, alert_id: Annotated[int, typer.Argument()], by: ByOption,
               comment: CommentOption = None) -> None:
    """Acknowledge a new alert: someone is on it.

    Example: `kelisim alerts ack 7 --by aigerim`
    """
    _move_alert(ctx, alert_id, "acknowledge", by, comment)


@alerts_app.command("resolve")
def alerts_resolve(ctx: typer.Context, alert_id: Annotated[int, typer.Argument()], by: ByOption,
                   comment: CommentOption = None) -> None:
    """Resolve an alert: it was real and has been dealt with.

    Example: `kelisim alerts resolve 7 --by aigerim --comment "incident 3 opened"`
    """
    _move_alert(ctx, alert_id, "resolve", by, comment)


@alerts_app.command("false-alarm")
def alerts_false_alarm(ctx: typer.Context, alert_id: Annotated[int, typer.Argument()],
                       by: ByOption, comment: CommentOption = None) -> None:
    """Mark an alert as a false alarm (counted in the false-alarm figures).

    Example: `kelisim alerts false-alarm 7 --by aigerim --comment "a football derby"`
    """
    _move_alert(ctx, alert_id, "false_alarm", by, comment)


@alerts_app.command("reopen")
def alerts_reopen(ctx: typer.Context, alert_id: Annotated[int, typer.Argument()], by: ByOption,
                  comment: CommentOption = None) -> None:
    """Reopen a resolved alert or a false alarm (it becomes acknowledged).

    Example: `kelisim alerts reopen 7 --by aigerim`
    """
    _move_alert(ctx, alert_id, "reopen", by, comment)


@alerts_app.command("comment")
def alerts_comment(ctx: typer.Context, alert_id: Annotated[int, typer.Argument()], by: ByOption,
                   comment: Annotated[str, typer.Option(help="The comment.")]) -> None:
    """Add a comment to an alert's trail.

    Example: `kelisim alerts comment 7 --by aigerim --comment "called the mediator"`
    """
    with _cli()._open(ctx) as kelisim:
        kelisim.store.warning.comment_alert(alert_id, by, comment)
    _cli().console.print(f"Alert {alert_id}: comment added.")


@alerts_app.command("send")
def alerts_send(ctx: typer.Context) -> None:
    """Send the alerts waiting for delivery now (watch and warn do it by themselves).

    Example: `kelisim --rules alerts.toml alerts send`
    """
    from kelisim.store.schema import now
    from kelisim.warning.outbox import send_due

    with _cli()._open(ctx) as kelisim:
        report = send_due(kelisim.store, kelisim.rules(), now())
    _cli().console.print(f"Sent {report.sent}, failed {report.failed}, waiting {report.pending}.")
