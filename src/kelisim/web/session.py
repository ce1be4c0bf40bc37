"""Dashboard sessions: a signed cookie naming the user, a CSRF token, a login rate limit.

The cookie holds the user's name, a tag of their password hash (so a new password or a removed
user ends every session at once) and the session's CSRF token; it is signed with the app's
secret key and expires after ``session_hours``. It is HttpOnly and SameSite=Lax, and Secure
over HTTPS.
"""

from __future__ import annotations

import hmac
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from kelisim.config import WebOptions

COOKIE = "kelisim_session"
SALT = "kelisim.session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"


def secret_key(options: WebOptions, data_dir: Path) -> str:
    """The configured key, else the one kept in the data directory (made on first use)."""
    if options.secret_key:
        return options.secret_key
    path = data_dir / "web-secret.key"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


class Sessions:
    """Makes and reads the session cookie."""

    def __init__(self, key: str, options: WebOptions) -> None:
        self.serializer = URLSafeTimedSerializer(key, salt=SALT)
        self.options = options

    def read(self, request: Request) -> dict | None:
        """The session of a request ({"user", "tag", "csrf"}), or None when absent or invalid."""
        cookie = request.cookies.get(COOKIE)
        if not cookie:
            return None
        try:
            data = self.serializer.loads(cookie, max_age=self.options.session_hours * 3600)
        except BadSignature:
            return None
        return data if isinstance(data, dict) and {"user", "tag", "csrf"} <= data.keys() else None

    def start(self, response: Response, request: Request, user: str, tag: str) -> None:
        """Log a user in: a fresh session with a fresh CSRF token."""
        value = self.serializer.dumps({"user": user, "tag": tag, "csrf": secrets.token_urlsafe(24)})
        response.set_cookie(COOKIE, value, max_age=int(self.options.session_hours * 3600),
                            httponly=True, samesite="lax", secure=self._secure(request), path="/")

    def end(self, response: Response, request: Request) -> None:
        """Log out."""
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax",
                               secure=self._secure(request))

    def _secure(self, request: Request) -> bool:
        if self.options.secure_cookies is not None:
            return self.options.secure_cookies
        return request.url.scheme == "https"


def csrf_valid(session: dict | None, token: str | None) -> bool:
    """Whether a form's or a header's token is the session's."""
    return bool(session and token) and hmac.compare_digest(session["csrf"], token)


class LoginLimiter:
    """Counts failed logins per address and per user name over a sliding window."""

    def __init__(self, attempts: int, window_minutes: float, clock=time.monotonic) -> None:
        self.attempts = attempts
        self.window = window_minutes * 60
        self.clock = clock
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.lock = threading.Lock()

    def blocked(self, address: str, name: str) -> float:
        """Seconds until a login from this address for this name may be tried again (0: now)."""
        with self.lock:
            return max(self._wait(f"ip:{address}"), self._wait(f"user:{name.lower()}"))

    def failed(self, address: str, name: str) -> None:
        """Count a failed login."""
        now = self.clock()
        with self.lock:
            for key in (f"ip:{address}", f"user:{name.lower()}"):
                self.failures[key].append(now)

    def succeeded(self, address: str, name: str) -> None:
        """Forget the failures of this address and name."""
        with self.lock:
            self.failures.pop(f"ip:{address}", None)
            self.failures.pop(f"user:{name.lower()}", None)

    def _wait(self, key: str) -> float:
        times = self.failures.get(key)
        if not times:
            return 0.0
        now = self.clock()
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) < self.attempts:
            return 0.0
        return self.window - (now - times[0])
