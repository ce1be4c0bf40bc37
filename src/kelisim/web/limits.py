"""Limits on guessing: failed logins and failed API tokens, counted in the store.

Every failure is a row of ``auth_failures`` under a key (an address, a user name), so all
server processes over one store (uvicorn workers, several hosts) share the count. Past
``attempts`` failures under a key within the window, the key is refused until the oldest of
those failures leaves the window.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from starlette.requests import Request

from kelisim.store.schema import now

KEY_MAX = 200


def client_address(request: Request) -> str:
    """The client's address (uvicorn puts the proxy's X-Forwarded-For there when trusted)."""
    return request.client.host if request.client else "?"


def login_keys(address: str, name: str) -> tuple[str, str]:
    """The keys a failed login counts under: its address and the user name tried (hashed: people
    type their password into the name field, and it must not be stored)."""
    tried = hashlib.sha256(name.lower().encode("utf-8")).hexdigest()
    return f"login-ip:{address}"[:KEY_MAX], f"login-user:{tried}"


def token_keys(address: str) -> tuple[str]:
    """The key a failed API token counts under: its address."""
    return (f"token-ip:{address}"[:KEY_MAX],)


class FailureLimiter:
    """At most ``attempts`` failures per key in ``window_minutes``, in one store's count."""

    def __init__(self, attempts: int, window_minutes: float,
                 clock: Callable[[], datetime] = now) -> None:
        self.attempts = attempts
        self.window = timedelta(minutes=window_minutes)
        self.clock = clock

    def wait(self, store, keys: Sequence[str]) -> float:
        """Seconds until every key may be tried again (0: now)."""
        at = self.clock()
        waits = [0.0]
        for key in keys:
            nth = store.users.nth_latest_failure(key, at - self.window, self.attempts)
            if nth is not None:
                waits.append((nth + self.window - at).total_seconds())
        return max(waits)

    def failed(self, store, keys: Sequence[str]) -> None:
        """Count a failure under each key."""
        store.users.add_failure(keys, self.clock(), self.window)

    def succeeded(self, store, keys: Sequence[str]) -> None:
        """Forget the failures under these keys."""
        store.users.clear_failures(keys)
