"""/api/groups: the ethnic groups the documents name, and the attitude toward each."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from kelisim.web.deps import KelisimDep, ScopeDep, regions_filter
from kelisim.web.facet_schemas import Group

router = APIRouter(prefix="/api/groups", tags=["ethnic groups"])


@router.get("", response_model=list[Group])
def list_groups(core: KelisimDep, scope: ScopeDep,
                region: Annotated[str | None, Query(description="a region's or a district's KATO code")] = None,
                date_from: Annotated[date | None, Query(alias="from")] = None,
                date_to: Annotated[date | None, Query(alias="to")] = None) -> list[Group]:
    """Every group named in the documents that count in the user's regions, by documents, with
    the attitude toward it (analysts' corrections in force) and the hostile documents."""
    found = core.store.facets.groups(region=region, day_from=date_from, day_to=date_to,
                                     regions=regions_filter(scope))
    return [Group.of(g) for g in found]
