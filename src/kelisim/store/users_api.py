"""The users' part of the Store: accounts, tokens, the audit log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from kelisim.store import users
from kelisim.store.views import AuditEntry, TokenView, UserView

if TYPE_CHECKING:
    from kelisim.store.api import Store


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
        """The enabled user of a token hash (the token is marked used)."""
        with self._store._write() as conn:
            return users.user_by_token(conn, token_hash, at)

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
