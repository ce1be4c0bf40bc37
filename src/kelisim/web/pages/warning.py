"""Alerts, incidents and stories: lists, one of each, and the analyst's moves."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse

from kelisim.store.workflow import TransitionError
from kelisim.users import can_act
from kelisim.web.deps import FormDep, KelisimDep, PageScopeDep, PageUserDep
from kelisim.web.routers.alerts import get_alert, list_alerts
from kelisim.web.routers.incidents import get_incident, list_incidents
from kelisim.web.routers.stories import get_story, list_stories
from kelisim.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 50
ALERT_MOVES = {"new": ("acknowledge", "resolve", "false_alarm"),
               "acknowledged": ("resolve", "false_alarm"),
               "resolved": ("reopen",), "false_alarm": ("reopen",)}
INCIDENT_MOVES = {"flagged": ("verify", "close"), "verified": ("close",), "closed": ("reopen",)}


def _offset(page: int) -> int:
    return max(page - 1, 0) * PAGE


@router.get("/alerts")
def alerts_page(request: Request, core: KelisimDep, user: PageUserDep, scope: PageScopeDep,
                status: str | None = None, kind: str | None = None, page: int = 1):
    """The alert inbox."""
    data = list_alerts(core, scope, status=status or None, kind=kind or None, limit=PAGE,
                       offset=_offset(page))
    return render(request, "alerts.html", {"user": user, "data": data, "status": status,
                                           "kind": kind, "page": page, "twin": "/api/alerts"})


@router.get("/alerts/{alert_id}")
def alert_page(alert_id: int, request: Request, core: KelisimDep, user: PageUserDep,
               scope: PageScopeDep, done: str | None = None):
    """One alert: what fired, its evidence, its trail, and the moves left."""
    data = get_alert(alert_id, core, scope)
    moves = ALERT_MOVES.get(data.status, ()) if can_act(user) else ()
    return render(request, "alert.html", {"user": user, "data": data, "moves": moves,
                                          "done": done, "twin": f"/api/alerts/{alert_id}"})


@router.post("/alerts/{alert_id}")
def alert_move(alert_id: int, request: Request, core: KelisimDep, user: PageUserDep,
               scope: PageScopeDep, fields: FormDep):
    """Acknowledge, resolve, mark as false alarm or reopen, with a comment."""
    get_alert(alert_id, core, scope)  # 404 outside the user's regions
    return _move(core, user, fields, "alert", alert_id, core.store.warning.move_alert,
                 core.store.warning.comment_alert)


@router.get("/incidents")
def incidents_page(request: Request, core: KelisimDep, user: PageUserDep, scope: PageScopeDep,
                   status: str | None = None, page: int = 1):
    """The incident registry."""
    data = list_incidents(core, scope, status=status or None, limit=PAGE, offset=_offset(page))
    return render(request, "incidents.html", {"user": user, "data": data, "status": status,
                                              "page": page, "twin": "/api/incidents"})


@router.get("/incidents/{incident_id}")
def incident_page(incident_id: int, request: Request, core: KelisimDep, user: PageUserDep,
                  scope: PageScopeDep, done: str | None = None):
    """One incident: its coding, evidence and trail, and the moves left."""
    data = get_incident(incident_id, core, scope)
    moves = INCIDENT_MOVES.get(data.status, ()) if can_act(user) else ()
    return render(request, "incident.html", {"user": user, "data": data, "moves": moves,
                                             "done": done, "twin": f"/api/incidents/{incident_id}"})


@router.post("/incidents/{incident_id}")
def incident_move(incident_id: int, request: Request, core: KelisimDep, user: PageUserDep,
                  scope: PageScopeDep, fields: FormDep):
    """Verify, close or reopen an incident, or comment on it."""
    get_incident(incident_id, core, scope)
    return _move(core, user, fields, "incident", incident_id, core.store.warning.move_incident,
                 core.store.warning.comment_incident)


@router.get("/stories")
def stories_page(request: Request, core: KelisimDep, user: PageUserDep, scope: PageScopeDep,
                 order: str = "last", page: int = 1):
    """Stories, latest or biggest first."""
    data = list_stories(core, scope, order="size" if order == "size" else "last", limit=PAGE,
                        offset=_offset(page))
    return render(request, "stories.html", {"user": user, "data": data, "order": order,
                                            "page": page, "twin": "/api/stories"})


@router.get("/stories/{story_id}")
def story_page(story_id: int, request: Request, core: KelisimDep, user: PageUserDep,
               scope: PageScopeDep):
    """One story and its documents."""
    data = get_story(story_id, core, scope)
    return render(request, "story.html", {"user": user, "data": data,
                                          "twin": f"/api/stories/{story_id}"})


def _move(core, user, fields: dict[str, str], kind: str, item_id: int, move, comment_on):
    """An analyst's move (or comment) from a form, audited; back to the page with a notice."""
    if not can_act(user):
        raise HTTPException(403, "a viewer cannot change anything")
    action, comment = fields.get("action", ""), (fields.get("comment") or "").strip() or None
    try:
        if action == "comment":
            comment_on(item_id, user.name, comment or "")
        else:
            move(item_id, action, user.name, comment)
    except (TransitionError, ValueError) as error:
        raise HTTPException(409, str(error)) from None
    core.store.users.audit(user.name, f"{kind}.{action}", f"{kind}:{item_id}", {"comment": comment})
    return RedirectResponse(f"/{kind}s/{item_id}?done={action}", status_code=303)
