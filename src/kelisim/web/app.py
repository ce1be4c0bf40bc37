"""The web app factory: ``create_app(settings)`` builds the FastAPI app over one Kelisim."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kelisim import __version__
from kelisim.config import Settings
from kelisim.core import Kelisim
from kelisim.web.routers import alerts, documents, incidents, search, stories, tension

ROUTERS = (alerts.router, incidents.router, stories.router, tension.router, documents.router,
           search.router)


def create_app(settings: Settings, env: Mapping[str, str] | None = None) -> FastAPI:
    """The JSON API over the store of ``settings`` (opened when the app starts)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.kelisim = Kelisim(settings, env=env)
        try:
            yield
        finally:
            app.state.kelisim.close()

    app = FastAPI(title="Kelisim", version=__version__, lifespan=lifespan,
                  description="Interethnic tension in Kazakhstan's media: stories, incidents, "
                              "the tension index, alerts. Every number links to its documents.")
    for router in ROUTERS:
        app.include_router(router)
    return app
