"""/api/reports/{region}: the regional report's data (what its HTML and PDF print)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from kelisim.report.build import ReportNotFound, build_report
from kelisim.report.model import Report
from kelisim.web.deps import KelisimDep, ScopeDep, not_found, regions_filter
from kelisim.web.period import check_span

router = APIRouter(prefix="/api/reports", tags=["reports"])


@router.get("/{region}", response_model=Report)
def get_report(region: str, core: KelisimDep, scope: ScopeDep,
               date_from: Annotated[date, Query(alias="from")],
               date_to: Annotated[date, Query(alias="to")],
               lang: Annotated[str, Query(pattern="^(ru|kk)$")] = "ru") -> Report:
    """The report on one region (KATO code or name) over a period, in Russian or Kazakh."""
    check_span(date_from, date_to)
    try:
        return build_report(core, region, date_from, date_to, lang, regions=regions_filter(scope))
    except ReportNotFound:
        raise not_found("region") from None
