"""Every route of the web app as (method, path, route), for tests that must cover them all."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.routing import BaseRoute

IGNORED_METHODS = {"HEAD", "OPTIONS"}  # answered like GET, or by the framework


def app_routes(app: FastAPI) -> list[tuple[str, str, BaseRoute]]:
    """(method, path, route) of every route; a mount (static files) has the method ``*``."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # FastAPI before 0.160 kept app.routes flat
        found = [(route.path, getattr(route, "methods", None), route) for route in app.routes]
    else:
        found = [(c.path, c.methods, c.original_route) for c in iter_route_contexts(app.routes)]
    rows = []
    for path, methods, route in found:
        for method in sorted(set(methods or {"*"}) - IGNORED_METHODS):
            rows.append((method, path, route))
    return rows


def dependencies(route: BaseRoute) -> set:
    """Every callable a route depends on, however deep."""
    found, todo = set(), [getattr(route, "dependant", None)]
    while todo:
        dependant = todo.pop()
        if dependant is None:
            continue
        if dependant.call is not None:
            found.add(dependant.call)
        todo += dependant.dependencies
    return found
