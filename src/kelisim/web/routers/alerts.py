"""/api/alerts: the alert inbox, one alert with its trail, moving it through its life cycle."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from kelisim.store.workflow import TransitionError
from kelisim.warning.outbox import alert_json
from kelisim.web.deps import ActorDep, KelisimDep, ScopeDep, not_found, regions_filter
from kelisim.web.schemas import Action, Alert, AlertDetail, Move, Page

router = APIRouter(prefix="/api/alerts", tags=["alerts"])


@router.get("", response_model=Page[Alert])
def list_alerts(core: KelisimDep, scope: ScopeDep,
                status: Annotated[str | None, Query(description="new, acknowledged, resolved, false_alarm")] = None,
                kind: Annotated[str | None, Query(description="spike, search, silence, story")] = None,
                region: Annotated[str | None, Query(description="a region's KATO code")] = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: Annotated[int, Query(ge=0)] = 0) -> Page[Alert]:
    """Alerts, latest fired first."""
    total, page = core.store.warning.alerts(status=status, kind=kind, region=region, limit=limit,
                                            offset=offset, regions=regions_filter(scope))
    return Page(total=total, limit=limit, offset=offset,
                items=[Alert(**alert_json(a)) for a in page])


def _visible(core, scope, alert_id: int):
    alert = core.store.warning.alert(alert_id)
    if alert is None or (scope.limited and not scope.allows(alert.region_kato)):
        raise not_found("alert")
    return alert


@router.get("/{alert_id}", response_model=AlertDetail)
def get_alert(alert_id: int, core: KelisimDep, scope: ScopeDep) -> AlertDetail:
    """One alert with its evidence and trail."""
    alert = _visible(core, scope, alert_id)
    actions = [Action(**a.__dict__) for a in core.store.warning.alert_actions(alert_id)]
    return AlertDetail(**alert_json(alert), actions=actions)


@router.post("/{alert_id}/actions", response_model=AlertDetail)
def move_alert(alert_id: int, move: Move, core: KelisimDep, scope: ScopeDep,
               user: ActorDep) -> AlertDetail:
    """Acknowledge, resolve, mark as false alarm or reopen an alert, with a comment."""
    _visible(core, scope, alert_id)
    try:
        core.store.warning.move_alert(alert_id, move.action, user.name, move.comment)
    except TransitionError as error:
        raise HTTPException(409, str(error)) from None
    core.store.users.audit(user.name, f"alert.{move.action}", f"alert:{alert_id}",
                           {"comment": move.comment})
    return get_alert(alert_id, core, scope)
