"""The web app factory: ``create_app(settings)`` builds the dashboard and the JSON API over one
Kelisim."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from kelisim import __version__
from kelisim.config import Settings, default_data_dir
from kelisim.core import Kelisim
from kelisim.web.deps import LoginRequired
from kelisim.web.pages import auth, documents, entities as entity_pages, overview as overview_pages
from kelisim.web.pages import reports as report_pages, sources as source_pages, warning
from kelisim.web.routers import (alerts, documents as document_api, entities, groups, incidents,
                                 overview, places, quotes, reports, search, sources, stories,
                                 tension)
from kelisim.web.limits import FailureLimiter
from kelisim.web.session import Sessions, secret_key
from kelisim.web.templating import render, templates

API_ROUTERS = (alerts.router, incidents.router, stories.router, tension.router,
               document_api.router, search.router, entities.router, places.router,
               groups.router, quotes.router, sources.router, overview.router, reports.router)
PAGE_ROUTERS = (auth.router, overview_pages.router, warning.router, documents.router,
                entity_pages.router, source_pages.router, report_pages.router)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    # Every script and style is ours and served from /static: nothing inline, nothing remote.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                               "script-src 'self'; object-src 'none'; base-uri 'none'; "
                               "form-action 'self'; frame-ancestors 'none'",
}


def create_app(settings: Settings, env: Mapping[str, str] | None = None) -> FastAPI:
    """The dashboard and the JSON API over the store of ``settings`` (opened at start-up)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.kelisim = Kelisim(settings, env=env)
        try:
            yield
        finally:
            app.state.kelisim.close()

    # FastAPI's own /docs and /redoc load scripts from a CDN with an inline script, which the CSP
    # forbids: /docs is served by _api_docs from the vendored Swagger UI instead.
    app = FastAPI(title="Kelisim", version=__version__, lifespan=lifespan,
                  description="Interethnic tension in Kazakhstan's media: stories, incidents, "
                              "the tension index, alerts. Every number links to its documents.",
                  docs_url=None, redoc_url=None)
    app.state.sessions = Sessions(secret_key(settings.web, default_data_dir()), settings.web)
    app.state.limiter = FailureLimiter(settings.web.login_attempts, settings.web.login_window)
    app.state.token_limiter = FailureLimiter(settings.web.token_attempts, settings.web.login_window)
    app.state.settings = settings
    for router in API_ROUTERS + PAGE_ROUTERS:
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(resources.files("kelisim.web") / "static")),
              name="static")
    _api_docs(app)
    _handlers(app)
    return app


def _api_docs(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    async def api_docs(request: Request) -> HTMLResponse:
        """The API's interactive page, open to all like /openapi.json: Swagger UI from /static."""
        return templates().TemplateResponse(request, "api_docs.html", {})


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, _error: LoginRequired):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={target}", status_code=303)

    @app.exception_handler(HTTPException)
    async def error_page(request: Request, error: HTTPException):
        if request.url.path.startswith(("/api/", "/static/")):
            return await http_exception_handler(request, error)
        return render(request, "error.html", {"status": error.status_code,
                                              "detail": error.detail}, status=error.status_code)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        if _holds_nul(request):
            response = JSONResponse({"detail": "the address holds a NUL character"}, 400)
        else:
            response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response


def _holds_nul(request: Request) -> bool:
    """Whether the path or a query parameter holds NUL, which no stored text may hold (and
    PostgreSQL refuses even in a query's parameters)."""
    params = request.query_params.multi_items()
    return "\x00" in request.scope["path"] or any("\x00" in k or "\x00" in v for k, v in params)
