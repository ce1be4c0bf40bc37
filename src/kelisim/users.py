"""Users and roles: admin, analyst, viewer; an analyst may be limited to some regions and then
sees nothing of the others. Passwords are hashed with Argon2id; API tokens are random and stored
as SHA-256 hashes; what users do is written to the audit log. The web app and the CLI are shells
over :class:`Accounts`."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kelisim.store.schema import ROLES, now
from kelisim.store.views import UserView
from kelisim.warning.units import NOT_A_REGION, find_unit, region_of

MIN_PASSWORD = 10
TOKEN_PREFIX = "klsm_"
_HASHER = PasswordHasher()
# Verifying against this when the user is unknown keeps both answers equally slow.
_DUMMY = _HASHER.hash("kelisim: no such user")


class AccountError(ValueError):
    """A user that cannot be made as asked: the message says why."""


@dataclass(frozen=True)
class Scope:
    """What a user may see: every region (``regions`` None) or only these region codes."""

    regions: frozenset[str] | None

    @classmethod
    def of(cls, user: UserView) -> Scope:
        """An analyst with regions is limited to them; everyone else sees every region."""
        if user.role == "analyst" and user.regions:
            return cls(frozenset(user.regions))
        return cls(None)

    @property
    def limited(self) -> bool:
        """Whether some regions are out of sight."""
        return self.regions is not None

    def allows(self, kato: str | None) -> bool:
        """Whether a unit (region, district or settlement code) may be shown; a limited scope
        shows nothing that is placed nowhere."""
        if self.regions is None:
            return True
        return kato is not None and region_of(kato) in self.regions


def can_act(user: UserView) -> bool:
    """Whether a user may change things (acknowledge alerts, verify incidents, correct)."""
    return user.role in ("admin", "analyst") and user.enabled


class Accounts:
    """Users over a store: making them, checking passwords and tokens, auditing."""

    def __init__(self, store) -> None:
        """Bind to a store."""
        self._store = store

    def add(self, name: str, password: str, role: str, regions: Iterable[str] = ()) -> UserView:
        """Create a user; AccountError for a weak password, an unknown role or region."""
        if role not in ROLES:
            raise AccountError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
        if len(password) < MIN_PASSWORD:
            raise AccountError(f"a password has at least {MIN_PASSWORD} characters")
        codes = [self._region(value) for value in regions]
        if codes and role != "analyst":
            raise AccountError("only an analyst is limited to regions; an admin or a viewer "
                               "sees every region")
        return self._store.users.add(name, _HASHER.hash(password), role, codes)

    @staticmethod
    def _region(value: str) -> str:
        code = find_unit(value)
        if code is None:
            raise AccountError(f"the region {value!r} {NOT_A_REGION}")
        return code

    def authenticate(self, name: str, password: str) -> UserView | None:
        """The user when the password is right (and the account enabled), else None."""
        stored = self._store.users.password_hash(name)
        try:
            _HASHER.verify(stored or _DUMMY, password)
        except (VerificationError, InvalidHashError):
            return None
        user = self._store.users.get(name)
        if stored is None or user is None:
            return None
        if _HASHER.check_needs_rehash(stored):
            self._store.users.set_password_hash(user.id, _HASHER.hash(password))
        return user

    def new_token(self, name: str, label: str = "api") -> str:
        """A new API token for a user, shown once: only its hash is kept."""
        user = self._store.users.get(name)
        if user is None:
            raise AccountError(f"no user named {name!r}")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self._store.users.add_token(user.id, label, token_hash(token))
        return token

    def revoke_tokens(self, name: str, label: str | None = None) -> int:
        """Revoke a user's API tokens (those with ``label`` only, when given); how many."""
        user = self._store.users.get(name)
        if user is None:
            raise AccountError(f"no user named {name!r}")
        return self._store.users.remove_tokens(user.id, label)

    def by_token(self, token: str) -> UserView | None:
        """The enabled user a token belongs to, or None."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        return self._store.users.by_token(token_hash(token), now())

    def session_tag(self, name: str) -> str | None:
        """A fingerprint of the user's password hash for their session (None: no such user)."""
        stored = self._store.users.password_hash(name)
        return hashlib.sha256(stored.encode("utf-8")).hexdigest()[:16] if stored else None

    def by_session(self, name: str, tag: str) -> UserView | None:
        """The enabled user of a session whose password has not changed since, or None."""
        current = self.session_tag(name)
        if current is None or not hmac.compare_digest(current, tag):
            return None
        user = self._store.users.get(name)
        return user if user is not None and user.enabled else None

    def audit(self, user: UserView, action: str, subject: str, detail: dict | None = None) -> None:
        """Record what a user did."""
        self._store.users.audit(user.name, action, subject, detail)


def token_hash(token: str) -> str:
    """The SHA-256 of a token: tokens are long and random, so no slow hash is needed."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
