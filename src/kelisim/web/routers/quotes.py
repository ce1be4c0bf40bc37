"""/api/quotes: who said what, officials' statements first among them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from kelisim.web.deps import KelisimDep, ScopeDep, regions_filter
from kelisim.web.facet_schemas import Quote
from kelisim.web.schemas import Page

router = APIRouter(prefix="/api/quotes", tags=["quotes"])


@router.get("", response_model=Page[Quote])
def list_quotes(core: KelisimDep, scope: ScopeDep,
                speaker: Annotated[str | None, Query(description="an entity's ref")] = None,
                region: Annotated[str | None, Query(description="a region's or a district's KATO code")] = None,
                officials: Annotated[bool | None, Query(description="true: officials only; false: the others")] = None,
                date_from: Annotated[date | None, Query(alias="from")] = None,
                date_to: Annotated[date | None, Query(alias="to")] = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: Annotated[int, Query(ge=0)] = 0) -> Page[Quote]:
    """Quotes in the documents that count in the user's regions, latest first."""
    total, page = core.store.facets.quotes(speaker=speaker, region=region, day_from=date_from,
                                           day_to=date_to, officials=officials,
                                           regions=regions_filter(scope), limit=limit, offset=offset)
    return Page(total=total, limit=limit, offset=offset, items=[Quote.of(q) for q in page])
