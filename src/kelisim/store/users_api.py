"""The users' part of the Store: accounts, tokens, the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from kelisim.store import users
from kelisim.store.views import AuditEntry, TokenView, UserView

if TYPE_CHECKING:
    from kelisim.store.api import Store

TOKEN_USE_STEP = timedelta(minutes=1)  # how fresh a token's last_used_at is kept


class UserStore:
    """Reads and writes of users, each in its own transaction."""

    def __init__(self, store: Store) -> None:
        """Bind to a store."""
        self._store = store

    def add(self, name: str, password_hash: str, role: str, regions: Sequence[str]) -> UserView:
        """Create a user."""
        with self._store._write() as conn:
            return users.add_user(conn, name, password_hash, role, regions)

    def get(self, name_or_id: str | int) -> UserView | None:
        """A user by name or id."""
        with self._store._read() as conn:
            return users.get_user(conn, name_or_id)

    def password_hash(self, name: str) -> str | None:
        """The password hash of an enabled user."""
        with self._store._read() as conn:
            return users.password_hash(conn, name)

    def set_password_hash(self, user_id: int, value: str) -> None:
        """Replace a user's password hash."""
        with self._store._write() as conn:
            users.set_password_hash(conn, user_id, value)

    def list(self) -> list[UserView]:
        """Every user."""
        with self._store._read() as conn:
            return users.list_users(conn)

    def remove(self, name: str) -> bool:
        """Remove a user and their tokens."""
        with self._store._write() as conn:
            return users.remove_user(conn, name)

    def add_token(self, user_id: int, label: str, token_hash: str) -> TokenView:
        """Store an API token's hash."""
        with self._store._write() as conn:
            return users.add_token(conn, user_id, label, token_hash)

    def by_token(self, token_hash: str, at: datetime) -> UserView | None:
        """The enabled user of a token hash; the token is marked used (at most once a minute,
        so that API requests do not each take the store's write lock)."""
        with self._store._read() as conn:
            found = users.token_owner(conn, token_hash)
        if found is None:
            return None
        token_id, last_used, user = found
        if last_used is None or at - last_used >= TOKEN_USE_STEP:
            with self._store._write() as conn:
                users.mark_token_used(conn, token_id, at)
        return user

    def remove_tokens(self, user_id: int, label: str | None = None) -> int:
        """Remove a user's tokens (those with ``label`` only, when given); how many."""
        with self._store._write() as conn:
            return users.remove_tokens(conn, user_id, label)

    def tokens(self, user_id: int) -> list[TokenView]:
        """A user's tokens."""
        with self._store._read() as conn:
            return users.tokens_of(conn, user_id)

    def audit(self, user_name: str, action: str, subject: str,
              detail: dict[str, Any] | None = None) -> None:
        """Write one entry of the audit log."""
        with self._store._write() as conn:
            users.audit(conn, user_name, action, subject, detail)

    def audit_entries(self, user_name: str | None = None, limit: int = 100) -> list[AuditEntry]:
        """The latest audit entries."""
        with self._store._read() as conn:
            return users.audit_entries(conn, user_name, limit)

    def add_failure(self, keys: Sequence[str], at: datetime, window: timedelta) -> None:
        """Count a failed login or API token under each key; prune failures past the window."""
        with self._store._write() as conn:
            users.add_failure(conn, keys, at, window)

    def nth_latest_failure(self, key: str, since: datetime, n: int) -> datetime | None:
        """The n-th latest failure under a key after ``since``, or None."""
        with self._store._read() as conn:
            return users.nth_latest_failure(conn, key, since, n)

    def clear_failures(self, keys: Sequence[str]) -> None:
        """Forget the failures under these keys."""
        with self._store._write() as conn:
            users.clear_failures(conn, keys)

    def add_session(self, id_hash: str, user_name: str, at: datetime, expires_at: datetime) -> None:
        """Record a new dashboard session (expired ones are forgotten)."""
        with self._store._write() as conn:
            users.add_session(conn, id_hash, user_name, at, expires_at)

    def session_user(self, id_hash: str, at: datetime) -> str | None:
        """The user of a live session, or None."""
        with self._store._read() as conn:
            return users.session_user(conn, id_hash, at)

    def end_sessions(self, id_hash: str | None = None, user_name: str | None = None) -> int:
        """End one session or all of a user's; how many ended."""
        with self._store._write() as conn:
            return users.end_sessions(conn, id_hash, user_name)
