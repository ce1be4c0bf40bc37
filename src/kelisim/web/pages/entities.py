"""/entities/{ref}: a person or an organisation, their quotes over time."""

from __future__ import annotations

from fastapi import APIRouter, Request

from kelisim.web.deps import KelisimDep, PageScopeDep, PageUserDep
from kelisim.web.routers.entities import get_entity
from kelisim.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE = 20


@router.get("/entities/{ref:path}")
def entity_page(ref: str, request: Request, core: KelisimDep, user: PageUserDep,
                scope: PageScopeDep, page: int = 1):
    """Who they are, how often they are named and quoted, and what they said, latest first."""
    data = get_entity(ref, core, scope, limit=PAGE, offset=max(page - 1, 0) * PAGE)
    months = {"x": [m.month for m in data.quotes_by_month],
              "quotes": [m.quotes for m in data.quotes_by_month]}
    return render(request, "entity.html", {"user": user, "data": data, "page": page,
                                           "months": months, "twin": f"/api/entities/{ref}"})
