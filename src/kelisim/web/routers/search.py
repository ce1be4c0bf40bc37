"""/api/search: full-text search with Russian morphology, within the user's regions."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from kelisim.web.deps import KelisimDep, ScopeDep, regions_filter
from kelisim.web.schemas import Page, SearchHit

router = APIRouter(prefix="/api/search", tags=["search"])


@router.get("", response_model=Page[SearchHit])
def search(core: KelisimDep, scope: ScopeDep,
           q: Annotated[str, Query(max_length=500, description="words in any grammatical form")] = "",
           lang: Annotated[str | None, Query(pattern="^(ru|kk|en|mixed|other)$")] = None,
           date_from: Annotated[date | None, Query(alias="from")] = None,
           date_to: Annotated[date | None, Query(alias="to")] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20,
           offset: Annotated[int, Query(ge=0)] = 0) -> Page[SearchHit]:
    """Documents that contain every word of ``q`` (all documents when it is empty), best first;
    a user limited to regions finds only documents that count in them."""
    page = core.search(q, lang=lang, date_from=date_from, date_to=date_to, limit=limit,
                       offset=offset, regions=regions_filter(scope))
    return Page(total=page.total, limit=limit, offset=offset,
                items=[SearchHit(document_id=h.document_id, title=h.title, url=h.url, lang=h.lang,
                                 published_at=h.published_at, source=h.source, snippet=h.snippet,
                                 reprints=h.reprints) for h in page.hits])
