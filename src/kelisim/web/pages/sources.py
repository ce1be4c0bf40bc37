"""/sources: every source and its health (last item, errors, silence)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from kelisim.web.deps import KelisimDep, PageScopeDep, PageUserDep
from kelisim.web.routers.sources import list_sources
from kelisim.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/sources")
def sources_page(request: Request, core: KelisimDep, user: PageUserDep, scope: PageScopeDep):
    """Sources by name, each with its health."""
    data = list_sources(core, scope)
    return render(request, "sources.html", {"user": user, "data": data, "twin": "/api/sources"})
