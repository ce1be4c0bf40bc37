"""/login and /logout: a session for the dashboard, with a limit on guessing."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from kelisim.users import Accounts
from kelisim.web.deps import FormDep, KelisimDep, check_text, same_site
from kelisim.web.limits import client_address, login_keys
from kelisim.web.templating import render

router = APIRouter(include_in_schema=False)


def _local(target: str | None) -> str:
    """Only a path of this site: a login link must not send anyone elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    # Browsers read a backslash as a slash and drop tabs and newlines: «/\\evil» is «//evil».
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7f for c in target):
        return "/"
    return target


@router.get("/login")
def login_page(request: Request, next: str | None = None):  # noqa: A002
    """The login form."""
    return render(request, "login.html", {"next": _local(next), "error": None, "username": ""})


@router.post("/login")
def login(request: Request, core: KelisimDep, username: Annotated[str, Form(max_length=128)],
          password: Annotated[str, Form(max_length=1024)],
          next: Annotated[str | None, Form(max_length=2048)] = None):  # noqa: A002
    """Check the password; a session on success, the form again with a reason otherwise."""
    same_site(request)
    check_text({"username": username, "password": password, "next": next or ""})
    limiter, address = request.app.state.limiter, client_address(request)
    keys = login_keys(address, username)
    context = {"next": _local(next), "username": username}
    wait = limiter.wait(core.store, keys)
    if wait:
        minutes = max(1, round(wait / 60))
        return render(request, "login.html", {**context, "error": "login.too_many",
                                              "minutes": minutes}, status=429)
    accounts = Accounts(core.store)
    user = accounts.authenticate(username, password)
    if user is None:
        limiter.failed(core.store, keys)
        return render(request, "login.html", {**context, "error": "login.wrong"}, status=401)
    limiter.succeeded(core.store, keys)
    response = RedirectResponse(_local(next), status_code=303)
    request.app.state.sessions.start(response, request, core.store, user.name,
                                     accounts.session_tag(user.name))
    core.store.users.audit(user.name, "login", f"user:{user.name}", {"address": address})
    return response


@router.post("/logout")
def logout(request: Request, core: KelisimDep, _fields: FormDep):
    """End the session, here and in every copy of its cookie."""
    response = RedirectResponse("/login", status_code=303)
    request.app.state.sessions.end(response, request, core.store)
    return response
