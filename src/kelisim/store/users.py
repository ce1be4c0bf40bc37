"""Users, their API tokens and the audit log of what they did."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from kelisim.store.errors import InvalidValueError
from kelisim.store.schema import ROLES, api_tokens, audit_log, now, users
from kelisim.store.views import AuditEntry, TokenView, UserView

NAME_MAX = 128
_USER = (users.c.id, users.c.name, users.c.role, users.c.regions, users.c.enabled,
         users.c.created_at)
_TOKEN = (api_tokens.c.id, api_tokens.c.user_id, api_tokens.c.label, api_tokens.c.created_at,
          api_tokens.c.last_used_at)


def add_user(conn: sa.Connection, name: str, password_hash: str, role: str,
             regions: Sequence[str]) -> UserView:
    """Create a user; InvalidValueError for a taken name, a bad name or role."""
    if not name or len(name) > NAME_MAX or name != name.strip():
        raise InvalidValueError(f"a user name is 1 to {NAME_MAX} characters without spaces "
                                "around it")
    if role not in ROLES:
        raise InvalidValueError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
    if conn.scalar(sa.select(users.c.id).where(users.c.name == name)) is not None:
        raise InvalidValueError(f"a user named {name!r} exists already")
    row = {"name": name, "password_hash": password_hash, "role": role,
           "regions": sorted(set(regions)), "enabled": True, "created_at": now()}
    user_id = conn.execute(users.insert().returning(users.c.id), row).scalar_one()
    return get_user(conn, user_id)  # type: ignore[return-value]


def get_user(conn: sa.Connection, name_or_id: str | int) -> UserView | None:
    """A user by name (str) or id (int)."""
    column = users.c.id if isinstance(name_or_id, int) else users.c.name
    row = conn.execute(sa.select(*_USER).where(column == name_or_id)).first()
    return UserView(*row) if row else None


def password_hash(conn: sa.Connection, name: str) -> str | None:
    """The stored hash of an enabled user's password."""
    return conn.scalar(sa.select(users.c.password_hash)
                       .where(users.c.name == name, users.c.enabled.is_(True)))


def set_password_hash(conn: sa.Connection, user_id: int, value: str) -> None:
    """Replace a user's password hash (a rehash with newer parameters, or a new password)."""
    conn.execute(users.update().where(users.c.id == user_id).values(password_hash=value))


def list_users(conn: sa.Connection) -> list[UserView]:
    """Every user, by name."""
    return [UserView(*row) for row in conn.execute(sa.select(*_USER).order_by(users.c.name))]


def remove_user(conn: sa.Connection, name: str) -> bool:
    """Remove a user and their tokens (their audit entries stay); False if unknown."""
    return conn.execute(users.delete().where(users.c.name == name)).rowcount == 1


def add_token(conn: sa.Connection, user_id: int, label: str, token_hash: str) -> TokenView:
    """Store an API token's hash."""
    row = {"user_id": user_id, "label": label, "token_hash": token_hash, "created_at": now()}
    token_id = conn.execute(api_tokens.insert().returning(api_tokens.c.id), row).scalar_one()
    return TokenView(token_id, user_id, label, row["created_at"], None)


def user_by_token(conn: sa.Connection, token_hash: str, at: datetime) -> UserView | None:
    """The enabled user a token hash belongs to; marks the token used."""
    row = conn.execute(sa.select(api_tokens.c.id, api_tokens.c.user_id)
                       .where(api_tokens.c.token_hash == token_hash)).first()
    if row is None:
        return None
    user = get_user(conn, row.user_id)
    if user is None or not user.enabled:
        return None
    conn.execute(api_tokens.update().where(api_tokens.c.id == row.id).values(last_used_at=at))
    return user


def tokens_of(conn: sa.Connection, user_id: int) -> list[TokenView]:
    """A user's tokens."""
    query = sa.select(*_TOKEN).where(api_tokens.c.user_id == user_id).order_by(api_tokens.c.id)
    return [TokenView(*row) for row in conn.execute(query)]


def audit(conn: sa.Connection, user_name: str, action: str, subject: str,
          detail: dict[str, Any] | None = None) -> None:
    """Write one entry of the audit log."""
    conn.execute(audit_log.insert(), {"user_name": user_name, "action": action,
                                      "subject": subject, "detail": detail, "at": now()})


def audit_entries(conn: sa.Connection, user_name: str | None = None,
                  limit: int = 100) -> list[AuditEntry]:
    """The latest audit entries, newest first."""
    query = sa.select(audit_log.c.id, audit_log.c.user_name, audit_log.c.action,
                      audit_log.c.subject, audit_log.c.detail, audit_log.c.at)
    if user_name:
        query = query.where(audit_log.c.user_name == user_name)
    rows = conn.execute(query.order_by(audit_log.c.id.desc()).limit(limit))
    return [AuditEntry(*row) for row in rows]
