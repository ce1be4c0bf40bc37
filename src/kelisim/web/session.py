"""Dashboard sessions: a signed cookie naming a live session, and its CSRF token.

The cookie holds the user's name, a tag of their password hash (so a new password or a removed
user ends every session at once), the session's CSRF token and the session's id; it is signed
with the app's secret key and expires after ``session_hours``. It is HttpOnly and SameSite=Lax,
and Secure over HTTPS. The store keeps a hash of every live session's id and a logout removes
it, so a copy of the cookie is worthless afterwards, in every server process.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from datetime import timedelta
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from kelisim.config import WebOptions
from kelisim.store.schema import now

COOKIE = "kelisim_session"
SALT = "kelisim.session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
KEY_FILE = "web-secret.key"
MIN_KEY_CHARS = 32
_FIELDS = {"user", "tag", "csrf", "sid"}

log = logging.getLogger(__name__)


def secret_key(options: WebOptions, data_dir: Path) -> str:
    """The configured key, else the one kept in the data directory (made on first use)."""
    if options.secret_key:
        if len(options.secret_key) < MIN_KEY_CHARS:  # a short key can be guessed offline
            raise ValueError(f"the secret key (KELISIM_SECRET_KEY) has {len(options.secret_key)} "
                             f"characters: give at least {MIN_KEY_CHARS} random ones")
        return options.secret_key
    path = data_dir / KEY_FILE
    if not path.exists():
        _write_key(path)
    warn_if_readable(path)
    key = path.read_text().strip()
    if len(key) < MIN_KEY_CHARS:  # signing with an empty key would let anyone forge sessions
        raise ValueError(f"{path} holds no usable key (empty or cut short): delete it to have "
                         "a new one made, or set KELISIM_SECRET_KEY")
    return key


def _write_key(path: Path) -> None:
    """Write a new random key whole or not at all (a full disk must not leave an empty one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(partial, path)
        except FileExistsError:
            pass  # another process made one meanwhile: theirs stands
    finally:
        partial.unlink(missing_ok=True)


def warn_if_readable(path: Path) -> bool:
    """Log a warning (and say True) when a file of secrets can be read by others than its owner."""
    mode = path.stat().st_mode
    if not mode & (stat.S_IRWXG | stat.S_IRWXO):
        return False
    log.warning("%s can be read by other users (mode %o): anyone who reads it can forge "
                "sessions; run chmod 600 %s", path, stat.S_IMODE(mode), path)
    return True


def session_hash(sid: str) -> str:
    """What the store keeps of a session's id."""
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


class Sessions:
    """Makes, reads and ends the session cookie and the live session behind it."""

    def __init__(self, key: str, options: WebOptions) -> None:
        self.serializer = URLSafeTimedSerializer(key, salt=SALT)
        self.options = options

    def read(self, request: Request) -> dict | None:
        """The signed session of a request ({"user", "tag", "csrf", "sid"}), or None when absent
        or invalid; whether it is still live is :meth:`live`'s question."""
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return None
        try:
            data = self.serializer.loads(cookie, max_age=self.options.session_hours * 3600)
        except BadSignature:
            return None
        return data if isinstance(data, dict) and _FIELDS <= data.keys() else None

    def live(self, request: Request, store) -> dict | None:
        """The request's session if it is signed and has not ended (logout, expiry)."""
        session = self.read(request)
        if session is None or not isinstance(session["sid"], str):
            return None
        owner = store.users.session_user(session_hash(session["sid"]), now())
        return session if owner is not None and owner == session["user"] else None

    def start(self, response: Response, request: Request, store, user: str, tag: str) -> None:
        """Log a user in: a new session with its own id and CSRF token, whatever came before."""
        sid, at = secrets.token_urlsafe(32), now()
        store.users.add_session(session_hash(sid), user, at,
                                at + timedelta(hours=self.options.session_hours))
        value = self.serializer.dumps({"user": user, "tag": tag, "sid": sid,
                                       "csrf": secrets.token_urlsafe(24)})
        response.set_cookie(COOKIE, value, max_age=int(self.options.session_hours * 3600),
                            httponly=True, samesite="lax", secure=self._secure(request), path="/")

    def end(self, response: Response, request: Request, store) -> None:
        """Log out: the session ends in the store and the cookie is dropped."""
        session = self.read(request)
        if session is not None and isinstance(session["sid"], str):
            store.users.end_sessions(id_hash=session_hash(session["sid"]))
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                               secure=self._secure(request))

    def _secure(self, request: Request) -> bool:
        if self.options.secure_cookies is not None:
            return self.options.secure_cookies
        return request.url.scheme == "https"


def csrf_valid(session: dict | None, token: str | None) -> bool:
    """Whether a form's or a header's token is the session's."""
    return (bool(session and token) and isinstance(session["csrf"], str)
            and hmac.compare_digest(session["csrf"].encode(), token.encode()))
