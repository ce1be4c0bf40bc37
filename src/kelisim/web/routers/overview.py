"""/api/overview and /api/regions/{kato}: what the overview and region pages show."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Annotated

from fastapi import APIRouter, Query, Response

from kelisim.places.gazetteer import Gazetteer
from kelisim.places.shapes import regions_geojson
from kelisim.warning.replay import SIMULATION_STATE
from kelisim.warning.severity import DEESCALATION_TYPES
from kelisim.warning.units import day_bounds, region_of
from kelisim.web.deps import KelisimDep, ScopeDep, not_found, regions_filter
from kelisim.web.facet_schemas import Group, Quote
from kelisim.web.page_schemas import Overview, RegionView
from kelisim.web.period import PERIODS, resolve
from kelisim.web.routers.alerts import list_alerts
from kelisim.web.schemas import Incident, IndexValue, Page, Story, Unit

router = APIRouter(prefix="/api", tags=["pages"])
PeriodKey = Annotated[str | None, Query(description=", ".join(PERIODS) + " (ending on the last "
                                        "day with documents)")]
OPEN = ("new", "acknowledged")


def _inbox(core, scope, region: str | None = None) -> Page:
    """Alerts still to handle (of one region, or all): new first, then acknowledged."""
    pages = [list_alerts(core, scope, status=status, region=region, limit=20) for status in OPEN]
    return Page(total=sum(p.total for p in pages), limit=40, offset=0,
                items=[item for page in pages for item in page.items])


@router.get("/overview", response_model=Overview)
def overview(core: KelisimDep, scope: ScopeDep, period: PeriodKey = None,
             date_from: Annotated[date | None, Query(alias="from")] = None,
             date_to: Annotated[date | None, Query(alias="to")] = None) -> Overview:
    """The regions' tension index over the period, open alerts, the biggest stories and the
    latest incidents."""
    span = resolve(core, period, date_from, date_to)
    regions = [IndexValue.of(v) for v in core.index_table("region", span.start, span.end)
               if scope.allows(v.kato)]
    since, until = day_bounds(span.start, span.end)
    _, stories = core.store.warning.stories(since=since, until=until, order="size", limit=10,
                                            regions=regions_filter(scope))
    _, incidents = core.store.warning.incidents(day_from=span.start, day_to=span.end, limit=10,
                                                regions=regions_filter(scope))
    return Overview(period=span, regions=regions, alerts=_inbox(core, scope),
                    stories=[Story.of(s) for s in stories],
                    incidents=[Incident.of(i) for i in incidents],
                    simulation=core.store.warning.state(SIMULATION_STATE))


def _districts(kato: str) -> list[str]:
    return [p.code for p in Gazetteer.load() if p.level == "district" and region_of(p.code) == kato]


@router.get("/regions/{kato}", response_model=RegionView)
def region(kato: str, core: KelisimDep, scope: ScopeDep, period: PeriodKey = None,
           date_from: Annotated[date | None, Query(alias="from")] = None,
           date_to: Annotated[date | None, Query(alias="to")] = None) -> RegionView:
    """One region over the period (weekly index and volume, districts, incidents, stories,
    groups and attitudes, officials' statements, de-escalation, open alerts)."""
    place = Gazetteer.load().get(kato)
    if place is None or place.level != "region" or not scope.allows(kato):
        raise not_found("region")
    span = resolve(core, period, date_from, date_to)
    step = "day" if (span.end - span.start).days < 31 else "week"
    series = [IndexValue.of(v) for v in core.index(kato, "region", step, span.start, span.end)]
    value = IndexValue.of(core.index_table("region", span.start, span.end, katos=[kato])[0])
    districts = [IndexValue.of(v) for v in core.index_table("district", span.start, span.end,
                                                            katos=_districts(kato)) if v.volume]
    _, incidents = core.store.warning.incidents(region=kato, day_from=span.start,
                                                day_to=span.end, limit=50)
    since, until = day_bounds(span.start, span.end)
    _, stories = core.store.warning.stories(region=kato, since=since, until=until, order="size",
                                            limit=200)
    _, quotes = core.store.facets.quotes(region=kato, day_from=span.start, day_to=span.end,
                                         officials=True, limit=20)
    groups = core.store.facets.groups(region=kato, day_from=span.start, day_to=span.end)
    return RegionView(
        region=Unit.of(kato, "region"), period=span, value=value, series=series,
        districts=districts, incidents=[Incident.of(i) for i in incidents],
        stories=[Story.of(s) for s in stories[:15]],
        deescalation=[Story.of(s) for s in stories if s.event_type in DEESCALATION_TYPES][:15],
        groups=[Group.of(g) for g in groups],
        statements=Page(total=len(quotes), limit=20, offset=0, items=[Quote.of(q) for q in quotes]),
        alerts=_inbox(core, scope, kato), simulation=core.store.warning.state(SIMULATION_STATE))


@router.get("/shapes/regions")
def region_shapes(response: Response) -> dict:
    """The 20 regions as GeoJSON (properties: kato, name_ru, name_kk, name_en) for the map."""
    response.headers["Cache-Control"] = "public, max-age=86400"
    return _shapes()


@cache
def _shapes() -> dict:
    return regions_geojson()
