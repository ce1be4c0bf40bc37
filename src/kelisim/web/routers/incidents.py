"""/api/incidents: the registry, one incident with its trail, verify/close/reopen."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from kelisim.store.workflow import TransitionError
from kelisim.web.deps import ActorDep, KelisimDep, ScopeDep, not_found, regions_filter
from kelisim.web.schemas import Action, Incident, IncidentDetail, Move, Page

router = APIRouter(prefix="/api/incidents", tags=["incidents"])


@router.get("", response_model=Page[Incident])
def list_incidents(core: KelisimDep, scope: ScopeDep,
                   status: Annotated[str | None, Query(description="flagged, verified, closed")] = None,
                   type: Annotated[str | None, Query(description="an event type id")] = None,  # noqa: A002
                   date_from: Annotated[date | None, Query(alias="from")] = None,
                   date_to: Annotated[date | None, Query(alias="to")] = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50,
                   offset: Annotated[int, Query(ge=0)] = 0) -> Page[Incident]:
    """Incidents, latest first."""
    total, page = core.store.warning.incidents(status=status, type_=type, day_from=date_from,
                                               day_to=date_to, limit=limit, offset=offset,
                                               regions=regions_filter(scope))
    return Page(total=total, limit=limit, offset=offset, items=[Incident.of(i) for i in page])


def _visible(core, scope, incident_id: int):
    incident = core.store.warning.incident(incident_id)
    if incident is None or (scope.limited and not scope.allows(incident.region_kato)):
        raise not_found("incident")
    return incident


@router.get("/{incident_id}", response_model=IncidentDetail)
def get_incident(incident_id: int, core: KelisimDep, scope: ScopeDep) -> IncidentDetail:
    """One incident with its coding, evidence and trail."""
    incident = _visible(core, scope, incident_id)
    actions = [Action(**a.__dict__) for a in core.store.warning.incident_actions(incident_id)]
    return IncidentDetail(**Incident.of(incident).model_dump(), actions=actions)


@router.post("/{incident_id}/actions", response_model=IncidentDetail)
def move_incident(incident_id: int, move: Move, core: KelisimDep, scope: ScopeDep,
                  user: ActorDep) -> IncidentDetail:
    """Verify, close or reopen an incident, with a comment."""
    _visible(core, scope, incident_id)
    try:
        core.store.warning.move_incident(incident_id, move.action, user.name, move.comment)
    except TransitionError as error:
        raise HTTPException(409, str(error)) from None
    core.store.users.audit(user.name, f"incident.{move.action}", f"incident:{incident_id}",
                           {"comment": move.comment})
    return get_incident(incident_id, core, scope)
