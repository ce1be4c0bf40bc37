"""Users and roles: accounts with hashed passwords, tokens, regional scope, the audit log."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from kelisim.cli import app
from kelisim.store.errors import InvalidValueError
from kelisim.users import AccountError, Accounts, Scope, can_act, token_hash

PASSWORD = "верный-пароль-2024"


def test_an_analyst_limited_to_regions_named_in_either_language(store):
    accounts = Accounts(store)
    user = accounts.add("aigerim", PASSWORD, "analyst", ["Жамбылская область", "Түркістан облысы"])
    assert user.regions == ["310000000", "610000000"] and user.role == "analyst"
    scope = Scope.of(user)
    assert scope.limited and scope.allows("314800000") and scope.allows("610000000")
    assert not scope.allows("750000000") and not scope.allows(None)
    assert can_act(user)


def test_admins_and_viewers_see_every_region_and_only_admins_and_analysts_act(store):
    accounts = Accounts(store)
    admin = accounts.add("admin", PASSWORD, "admin")
    viewer = accounts.add("guest", PASSWORD, "viewer")
    assert not Scope.of(admin).limited and Scope.of(viewer).allows("750000000")
    assert can_act(admin) and not can_act(viewer)


@pytest.mark.parametrize(("args", "message"), [
    (("x", "short", "analyst", ()), "at least 10 characters"),
    (("x", PASSWORD, "owner", ()), "admin, analyst, viewer"),
    (("x", PASSWORD, "viewer", ["310000000"]), "only an analyst is limited"),
    (("x", PASSWORD, "analyst", ["Атлантида"]), "Атлантида"),
])
def test_accounts_that_cannot_be_made_say_why(store, args, message):
    with pytest.raises(AccountError, match=message):
        Accounts(store).add(*args)


def test_a_name_is_taken_once(store):
    Accounts(store).add("daulet", PASSWORD, "viewer")
    with pytest.raises(InvalidValueError, match="exists already"):
        Accounts(store).add("daulet", PASSWORD, "viewer")


def test_passwords_are_hashed_and_checked(store):
    accounts = Accounts(store)
    accounts.add("aigerim", PASSWORD, "analyst")
    stored = store.users.password_hash("aigerim")
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate("aigerim", PASSWORD).name == "aigerim"
    assert accounts.authenticate("aigerim", PASSWORD + "!") is None
    assert accounts.authenticate("nobody", PASSWORD) is None


def test_tokens_are_shown_once_kept_as_hashes_and_die_with_their_user(store):
    accounts = Accounts(store)
    user = accounts.add("bot", PASSWORD, "viewer")
    token = accounts.new_token("bot", "report script")
    assert accounts.by_token(token).name == "bot"
    (kept,) = store.users.tokens(user.id)
    assert kept.label == "report script" and kept.last_used_at is not None
    assert accounts.by_token(token + "x") is None and accounts.by_token("guess") is None
    assert token_hash(token) != token
    assert store.users.remove("bot")
    assert accounts.by_token(token) is None


def test_the_audit_log_keeps_who_did_what(store):
    accounts = Accounts(store)
    user = accounts.add("aigerim", PASSWORD, "analyst")
    accounts.audit(user, "alert.acknowledge", "alert:7", {"comment": "на связи с акиматом"})
    store.users.remove("aigerim")
    (entry,) = store.users.audit_entries("aigerim")
    assert (entry.action, entry.subject, entry.detail) == (
        "alert.acknowledge", "alert:7", {"comment": "на связи с акиматом"})


def test_the_users_commands(tmp_path):
    runner, db = CliRunner(), ["--db", str(tmp_path / "k.db")]
    added = runner.invoke(app, [*db, "users", "add", "aigerim", "--role", "analyst", "--region",
                                "Жамбылская область", "--password-stdin"], input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    weak = runner.invoke(app, [*db, "users", "add", "x", "--password-stdin"], input="short\n")
    assert weak.exit_code == 1 and "at least 10 characters" in weak.output
    token = runner.invoke(app, [*db, "users", "token", "aigerim"])
    assert token.exit_code == 0 and token.stdout.strip().startswith("klsm_")
    listed = json.loads(runner.invoke(app, [*db, "users", "list", "--json"]).stdout)
    assert [(u["name"], u["regions"], u["tokens"]) for u in listed] == [("aigerim", ["310000000"], 1)]
    runner.invoke(app, [*db, "users", "token", "aigerim", "--label", "laptop"])
    revoked = runner.invoke(app, [*db, "users", "revoke", "aigerim", "--label", "laptop"])
    assert revoked.exit_code == 0 and "Revoked 1 token" in revoked.output
    listed = json.loads(runner.invoke(app, [*db, "users", "list", "--json"]).stdout)
    assert [u["tokens"] for u in listed] == [1]
    assert runner.invoke(app, [*db, "users", "revoke", "nobody"]).exit_code == 1
    assert runner.invoke(app, [*db, "users", "remove", "aigerim"]).exit_code == 0
    assert runner.invoke(app, [*db, "users", "remove", "aigerim"]).exit_code == 1
