"""/reports: the regional report for the bi-monthly meeting, made from the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kelisim.report import render as report_render
from kelisim.warning.units import regions as all_regions
from kelisim.web.deps import KelisimDep, PageScopeDep, PageUserDep
from kelisim.web.routers.reports import get_report
from kelisim.web.templating import render

router = APIRouter(include_in_schema=False)


@router.get("/reports")
def reports_page(request: Request, core: KelisimDep, user: PageUserDep, scope: PageScopeDep,
                 region: str | None = None,
                 date_from: Annotated[date | None, Query(alias="from")] = None,
                 date_to: Annotated[date | None, Query(alias="to")] = None):
    """The form: a region of the user's, a period (the last two months by default), a language."""
    last = core.store.warning.day_range()[1] or date.today()
    choices = [u.kato for u in all_regions() if scope.allows(u.kato)]
    return render(request, "reports.html", {
        "user": user, "regions": choices, "region": region or (choices[0] if choices else None),
        "start": date_from or last - timedelta(days=60), "end": date_to or last})


@router.get("/reports/go")
def report_form(region: str, date_from: Annotated[date, Query(alias="from")],
                date_to: Annotated[date, Query(alias="to")], lang: str = "ru",
                format: str = "html"):  # noqa: A002
    """The form's answer: the report's own address (a link to keep or share)."""
    query = urlencode({"from": date_from.isoformat(), "to": date_to.isoformat(), "lang": lang,
                       "format": format})
    return RedirectResponse(f"/reports/{quote(region)}?{query}", status_code=303)


@router.get("/reports/{region}")
def report_file(region: str, request: Request, core: KelisimDep, user: PageUserDep,
                scope: PageScopeDep, date_from: Annotated[date, Query(alias="from")],
                date_to: Annotated[date, Query(alias="to")],
                lang: Annotated[str, Query(pattern="^(ru|kk)$")] = "ru",
                format: Annotated[str, Query(pattern="^(html|pdf)$")] = "html"):  # noqa: A002
    """The report as a page or a PDF to download; its JSON twin is /api/reports/{region}."""
    report = get_report(region, core, scope, date_from, date_to, lang)
    base = str(request.base_url).rstrip("/")
    if format == "html":
        return HTMLResponse(report_render.html(report, base))
    name = f"kelisim-{report.kato}-{date_from}-{date_to}-{lang}.pdf"
    return Response(report_render.pdf(report, base), media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
