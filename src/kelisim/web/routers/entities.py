"""/api/entities: people, organisations and places named in the documents, and one of them with
its quotes over time."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from kelisim.web.deps import KelisimDep, ScopeDep, not_found, regions_filter
from kelisim.web.facet_schemas import Entity, EntityDetail, Quote, QuoteMonth
from kelisim.web.schemas import Page

router = APIRouter(prefix="/api/entities", tags=["entities"])


@router.get("", response_model=Page[Entity])
def list_entities(core: KelisimDep, scope: ScopeDep,
                  label: Annotated[str | None, Query(pattern="^(PER|ORG|LOC)$")] = None,
                  region: Annotated[str | None, Query(description="a region's or a district's KATO code")] = None,
                  date_from: Annotated[date | None, Query(alias="from")] = None,
                  date_to: Annotated[date | None, Query(alias="to")] = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  offset: Annotated[int, Query(ge=0)] = 0) -> Page[Entity]:
    """Entities by mentions in the documents that count in the user's regions, most first."""
    total, page = core.store.facets.entities(label=label, region=region, day_from=date_from,
                                             day_to=date_to, regions=regions_filter(scope),
                                             limit=limit, offset=offset)
    return Page(total=total, limit=limit, offset=offset, items=[Entity.of(e) for e in page])


@router.get("/{ref:path}", response_model=EntityDetail)
def get_entity(ref: str, core: KelisimDep, scope: ScopeDep,
               limit: Annotated[int, Query(ge=1, le=500, description="quotes per page")] = 20,
               offset: Annotated[int, Query(ge=0)] = 0) -> EntityDetail:
    """One entity, its quotes per month and a page of its quotes, latest first."""
    regions = regions_filter(scope)
    entity = core.store.facets.entity(ref, regions=regions)
    if entity is None:
        raise not_found("entity")
    months = core.store.facets.quote_months(ref, regions=regions)
    total, quotes = core.store.facets.quotes(speaker=ref, regions=regions, limit=limit, offset=offset)
    return EntityDetail(**Entity.of(entity).model_dump(),
                        quotes_by_month=[QuoteMonth(month=m, quotes=n) for m, n in months],
                        quote_page=Page(total=total, limit=limit, offset=offset,
                                        items=[Quote.of(q) for q in quotes]))
