"""/api/sources: every source's health (latest item, errors, an open silence alert)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from kelisim.store.schema import now
from kelisim.web.deps import KelisimDep, ScopeDep, regions_filter
from kelisim.web.facet_schemas import SourceHealth

router = APIRouter(prefix="/api/sources", tags=["sources"])


@router.get("", response_model=list[SourceHealth])
def list_sources(core: KelisimDep, scope: ScopeDep,
                 as_of: Annotated[datetime | None, Query(description="default: now")] = None) -> list[SourceHealth]:
    """Every source by name; sources are not regional, but a limited analyst's document counts
    are of their regions only."""
    found = core.store.facets.sources_health(as_of or now(), regions=regions_filter(scope))
    return [SourceHealth.of(s) for s in found]
