"""What every route needs: the Kelisim object, the user behind the request, their scope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

from kelisim.core import Kelisim
from kelisim.store.views import UserView
from kelisim.users import Accounts, Scope, can_act


def kelisim(request: Request) -> Kelisim:
    """The app's Kelisim (one store, one set of settings)."""
    return request.app.state.kelisim


KelisimDep = Annotated[Kelisim, Depends(kelisim)]


def current_user(request: Request, core: KelisimDep) -> UserView:
    """The user of an API token (``Authorization: Bearer …``); 401 without a valid one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    user = Accounts(core.store).by_token(token.strip()) if scheme.lower() == "bearer" else None
    if user is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "a valid API token is needed",
                            headers={"WWW-Authenticate": "Bearer"})
    return user


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
