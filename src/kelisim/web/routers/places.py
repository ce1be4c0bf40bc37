"""/api/places: the places of Kazakhstan the documents name."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from kelisim.web.deps import KelisimDep, ScopeDep, regions_filter
from kelisim.web.facet_schemas import Place

router = APIRouter(prefix="/api/places", tags=["places"])


@router.get("", response_model=list[Place])
def list_places(core: KelisimDep, scope: ScopeDep,
                level: Annotated[str | None, Query(pattern="^(region|district|rural_district|settlement)$")] = None,
                region: Annotated[str | None, Query(description="a region's or a district's KATO code")] = None,
                date_from: Annotated[date | None, Query(alias="from")] = None,
                date_to: Annotated[date | None, Query(alias="to")] = None,
                limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[Place]:
    """Places by documents, most first; a limited analyst sees only places inside their
    regions, named in documents of their regions."""
    found = core.store.facets.places(level=level, region=region, day_from=date_from,
                                     day_to=date_to, regions=regions_filter(scope), limit=limit)
    return [Place.of(p) for p in found]
