"""/ and /regions/{kato}: the country's map and inbox, one region's picture."""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from typing import Annotated

from fastapi import APIRouter, Query, Request

from kelisim.web.deps import KelisimDep, PageScopeDep, PageUserDep
from kelisim.web.period import PERIODS
from kelisim.web.routers.overview import overview, region
from kelisim.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def overview_page(request: Request, core: KelisimDep, user: PageUserDep, scope: PageScopeDep,
                  period: str | None = None,
                  date_from: Annotated[date | None, Query(alias="from")] = None,
                  date_to: Annotated[date | None, Query(alias="to")] = None):
    """The map of the regions by tension index, the alert inbox, the top stories."""
    data = overview(core, scope, period, date_from, date_to)
    values = {v.kato: {"value": v.value, "volume": v.volume} for v in data.regions}
    return render(request, "overview.html", {"user": user, "data": data, "periods": PERIODS,
                                             "map_values": values, "twin": "/api/overview"})


@router.get("/regions/{kato}")
def region_page(kato: str, request: Request, core: KelisimDep, user: PageUserDep,
                scope: PageScopeDep, period: str | None = None,
                date_from: Annotated[date | None, Query(alias="from")] = None,
                date_to: Annotated[date | None, Query(alias="to")] = None):
    """A region: index and volume over time, districts, incidents, stories, groups,
    officials' statements, de-escalation."""
    data = region(kato, core, scope, period, date_from, date_to)
    return render(request, "region.html", {"user": user, "data": data, "periods": PERIODS,
                                           "trend": _trend(data.series),
                                           "twin": f"/api/regions/{kato}"})


def _trend(series) -> dict:
    """The chart's columns: each period's first day (Unix seconds), index and volume."""
    moments = [datetime.combine(v.start, time(12), timezone.utc).timestamp() for v in series]
    return {"x": moments, "index": [v.value for v in series], "volume": [v.volume for v in series]}
