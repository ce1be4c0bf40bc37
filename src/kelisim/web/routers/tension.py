"""/api/index: the tension index as time series of a unit, and as a table of units."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from kelisim.places.gazetteer import Gazetteer
from kelisim.warning.index import PERIODS
from kelisim.web.deps import KelisimDep, ScopeDep, not_found
from kelisim.web.period import check_span
from kelisim.web.schemas import IndexValue

router = APIRouter(prefix="/api/index", tags=["tension index"])


@router.get("", response_model=list[IndexValue])
def index_table(core: KelisimDep, scope: ScopeDep,
                date_from: Annotated[date, Query(alias="from")],
                date_to: Annotated[date, Query(alias="to")],
                level: Annotated[str, Query(pattern="^(region|district)$")] = "region") -> list[IndexValue]:
    """The index of every unit of a level over the span, highest first."""
    check_span(date_from, date_to)
    values = core.index_table(level, date_from, date_to)
    return [IndexValue.of(v) for v in values if scope.allows(v.kato)]


@router.get("/{kato}", response_model=list[IndexValue])
def index_series(kato: str, core: KelisimDep, scope: ScopeDep,
                 date_from: Annotated[date, Query(alias="from")],
                 date_to: Annotated[date, Query(alias="to")],
                 period: Annotated[str, Query(description=", ".join(PERIODS))] = "week") -> list[IndexValue]:
    """The index of one region or district per period."""
    check_span(date_from, date_to)
    place = Gazetteer.load().get(kato)
    if place is None or place.level not in ("region", "district") or not scope.allows(kato):
        raise not_found("region or district")
    if period not in PERIODS:
        raise HTTPException(422, f"period is one of {', '.join(PERIODS)}")
    return [IndexValue.of(v) for v in core.index(kato, place.level, period, date_from, date_to)]
