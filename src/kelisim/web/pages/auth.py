"""/login and /logout: a session for the dashboard, with a limit on guessing."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from kelisim.users import Accounts
from kelisim.web.deps import FormDep, KelisimDep
from kelisim.web.templating import render

router = APIRouter(include_in_schema=False)


def _local(target: str | None) -> str:
    """Only a path of this site: a login link must not send anyone elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None):  # noqa: A002
    """The login form."""
    return render(request, "login.html", {"next": _local(next), "error": None, "username": ""})


@router.post("/login")
def login(request: Request, core: KelisimDep, username: Annotated[str, Form(max_length=128)],
          password: Annotated[str, Form(max_length=1024)],
          next: Annotated[str | None, Form()] = None):  # noqa: A002
    """Check the password; a session on success, the form again with a reason otherwise."""
    limiter, address = request.app.state.limiter, request.client.host if request.client else "?"
    context = {"next": _local(next), "username": username}
    wait = limiter.blocked(address, username)
    if wait:
        minutes = max(1, round(wait / 60))
        return render(request, "login.html", {**context, "error": "login.too_many",
                                              "minutes": minutes}, status=429)
    accounts = Accounts(core.store)
    user = accounts.authenticate(username, password)
    if user is None:
        limiter.failed(address, username)
        return render(request, "login.html", {**context, "error": "login.wrong"}, status=401)
    limiter.succeeded(address, username)
    response = RedirectResponse(_local(next), status_code=303)
    request.app.state.sessions.start(response, request, user.name,
                                     accounts.session_tag(user.name))
    core.store.users.audit(user.name, "login", f"user:{user.name}", {"address": address})
    return response


@router.post("/logout")
def logout(request: Request, _fields: FormDep):
    """End the session."""
    response = RedirectResponse("/login", status_code=303)
    request.app.state.sessions.end(response, request)
    return response
