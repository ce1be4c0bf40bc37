"""Users, their API tokens and the audit log of what they did."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from kelisim.store.errors import InvalidValueError
from kelisim.store.schema import (ROLES, api_tokens, audit_log, auth_failures, now, users,
                                  web_sessions)
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
    """Remove a user, their tokens and sessions (their audit entries stay); False if unknown."""
    conn.execute(web_sessions.delete().where(web_sessions.c.user_name == name))
    return conn.execute(users.delete().where(users.c.name == name)).rowcount == 1


def add_token(conn: sa.Connection, user_id: int, label: str, token_hash: str) -> TokenView:
    """Store an API token's hash."""
    row = {"user_id": user_id, "label": label, "token_hash": token_hash, "created_at": now()}
    token_id = conn.execute(api_tokens.insert().returning(api_tokens.c.id), row).scalar_one()
    return TokenView(token_id, user_id, label, row["created_at"], None)


def token_owner(conn: sa.Connection, token_hash: str) -> tuple[int, datetime | None, UserView] | None:
    """(token id, when it was last used, its enabled user) of a token hash, or None."""
    row = conn.execute(sa.select(api_tokens.c.id, api_tokens.c.user_id, api_tokens.c.last_used_at)
                       .where(api_tokens.c.token_hash == token_hash)).first()
    if row is None:
        return None
    user = get_user(conn, row.user_id)
    if user is None or not user.enabled:
        return None
    return row.id, row.last_used_at, user


def mark_token_used(conn: sa.Connection, token_id: int, at: datetime) -> None:
    """Note when a token was last used."""
    conn.execute(api_tokens.update().where(api_tokens.c.id == token_id).values(last_used_at=at))


def remove_tokens(conn: sa.Connection, user_id: int, label: str | None = None) -> int:
    """Remove a user's tokens (only those with ``label`` when given); how many."""
    query = api_tokens.delete().where(api_tokens.c.user_id == user_id)
    if label is not None:
        query = query.where(api_tokens.c.label == label)
    return conn.execute(query).rowcount


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


def add_failure(conn: sa.Connection, keys: Sequence[str], at: datetime, window: timedelta) -> None:
    """Count one failure under each key, and forget the failures older than the window."""
    conn.execute(auth_failures.delete().where(auth_failures.c.at <= at - window))
    conn.execute(auth_failures.insert(), [{"key": key, "at": at} for key in keys])


def nth_latest_failure(conn: sa.Connection, key: str, since: datetime, n: int) -> datetime | None:
    """The time of the n-th latest failure under a key after ``since`` (None: fewer than n)."""
    query = (sa.select(auth_failures.c.at)
             .where(auth_failures.c.key == key, auth_failures.c.at > since)
             .order_by(auth_failures.c.at.desc()).offset(n - 1).limit(1))
    return conn.scalar(query)


def clear_failures(conn: sa.Connection, keys: Sequence[str]) -> None:
    """Forget the failures under these keys."""
    conn.execute(auth_failures.delete().where(auth_failures.c.key.in_(list(keys))))


def add_session(conn: sa.Connection, id_hash: str, user_name: str, at: datetime,
                expires_at: datetime) -> None:
    """Record a new session, and forget the sessions that have expired."""
    conn.execute(web_sessions.delete().where(web_sessions.c.expires_at <= at))
    conn.execute(web_sessions.insert(), {"id_hash": id_hash, "user_name": user_name,
                                         "created_at": at, "expires_at": expires_at})


def session_user(conn: sa.Connection, id_hash: str, at: datetime) -> str | None:
    """The user name of a live session, or None when it ended or expired."""
    return conn.scalar(sa.select(web_sessions.c.user_name)
                       .where(web_sessions.c.id_hash == id_hash, web_sessions.c.expires_at > at))


def end_sessions(conn: sa.Connection, id_hash: str | None = None,
                 user_name: str | None = None) -> int:
    """End one session (by its hash) or every session of a user; how many ended."""
    query = web_sessions.delete()
    if id_hash is not None:
        query = query.where(web_sessions.c.id_hash == id_hash)
    if user_name is not None:
        query = query.where(web_sessions.c.user_name == user_name)
    if id_hash is None and user_name is None:
        raise ValueError("name a session or a user")
    return conn.execute(query).rowcount
