"""What every route needs: the Kelisim object, the user behind the request, their scope."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from kelisim.core import Kelisim
from kelisim.store.views import UserView
from kelisim.users import Accounts, Scope, can_act
from kelisim.web.limits import client_address, token_keys
from kelisim.web.session import CSRF_FIELD, CSRF_HEADER, csrf_valid


def kelisim(request: Request) -> Kelisim:
    """The app's Kelisim (one store, one set of settings)."""
    return request.app.state.kelisim


KelisimDep = Annotated[Kelisim, Depends(kelisim)]


SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class LoginRequired(Exception):
    """A page was asked for without a valid session: the app redirects to the login page."""


def session_user(request: Request, core: Kelisim) -> UserView | None:
    """The user of the request's live session, or None."""
    session = request.app.state.sessions.live(request, core.store)
    if session is None:
        return None
    return Accounts(core.store).by_session(session["user"], session["tag"])


def token_user(request: Request, core: Kelisim, token: str) -> UserView | None:
    """The user of an API token, or None (counted: too many from one address get 429)."""
    limiter, keys = request.app.state.token_limiter, token_keys(client_address(request))
    wait = limiter.wait(core.store, keys)
    if wait:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            "too many wrong API tokens from this address: try again later",
                            headers={"Retry-After": str(math.ceil(wait))})
    user = Accounts(core.store).by_token(token)
    if user is None:
        limiter.failed(core.store, keys)
    return user


def current_user(request: Request, core: KelisimDep) -> UserView:
    """The user of an API token (``Authorization: Bearer …``) or of the dashboard's session
    (whose changes need its CSRF token in ``X-CSRF-Token``); 401 without either."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer":
        user = token_user(request, core, token.strip())
    else:
        user = session_user(request, core)
        if user is not None and request.method not in SAFE_METHODS and not csrf_valid(
                request.app.state.sessions.read(request), request.headers.get(CSRF_HEADER)):
            raise HTTPException(status.HTTP_403_FORBIDDEN, "the CSRF token is missing or wrong")
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid API token is needed",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


def page_user(request: Request, core: KelisimDep) -> UserView:
    """The logged-in user of a dashboard page; the login page otherwise."""
    user = session_user(request, core)
    if user is None:
        raise LoginRequired()
    return user


PageUserDep = Annotated[UserView, Depends(page_user)]


UserDep = Annotated[UserView, Depends(current_user)]


def scope(user: UserDep) -> Scope:
    """The regions the user may see."""
    return Scope.of(user)


ScopeDep = Annotated[Scope, Depends(scope)]


def actor(user: UserDep) -> UserView:
    """A user who may change things (admin, analyst); 403 for a viewer."""
    if not can_act(user):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a viewer cannot change anything")
    return user


ActorDep = Annotated[UserView, Depends(actor)]


def not_found(what: str) -> HTTPException:
    """The same 404 for what does not exist and what the user may not see."""
    return HTTPException(status.HTTP_404_NOT_FOUND, f"no such {what}")


def regions_filter(scope: Scope) -> list[str] | None:
    """The region codes a store query must keep to (None: all)."""
    return sorted(scope.regions) if scope.regions is not None else None


def page_scope(user: PageUserDep) -> Scope:
    """The regions a dashboard user may see."""
    return Scope.of(user)


PageScopeDep = Annotated[Scope, Depends(page_scope)]


def same_site(request: Request) -> None:
    """403 for a form another site's page sent (the browser says so in Sec-Fetch-Site)."""
    if request.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "a form from another site is refused")


def check_text(fields: dict[str, str]) -> dict[str, str]:
    """The fields, or 422 when one holds a NUL character (no text stored may hold one)."""
    if any("\x00" in key or "\x00" in value for key, value in fields.items()):
        raise HTTPException(422, "a field holds a NUL character")
    return fields


async def form(request: Request) -> dict[str, str]:
    """A dashboard form's fields once its origin and CSRF token are checked; 403 otherwise."""
    same_site(request)
    fields = {key: value for key, value in (await request.form()).items() if isinstance(value, str)}
    if not csrf_valid(request.app.state.sessions.read(request), fields.get(CSRF_FIELD)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "the form is out of date: reload the page")
    return check_text(fields)


FormDep = Annotated[dict[str, str], Depends(form)]
