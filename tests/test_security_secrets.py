"""Secrets come from configuration or the environment only, and go nowhere else: none is
committed, logged, shown on a page, written to the audit log or the store; the key file warns
when others can read it; credentials in a feed's URL are hidden from the dashboard.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from kelisim.config import Settings, WebOptions
from kelisim.store import Store
from kelisim.store.schema import metadata
from kelisim.users import Accounts
from kelisim.web.app import create_app
from kelisim.web.session import KEY_FILE, secret_key

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ("src", "scripts", "docs", "tests", "bench", "eval", "Makefile", "README.md",
           "pyproject.toml", "SECURITY.md")
SKIPPED = {".venv", "build", "__pycache__", ".git", "kelisim.egg-info"}
# What a committed secret looks like; the demo login of scripts/demo.sh is documented, not secret.
SECRET_SHAPES = {
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    "API token": re.compile(r"klsm_[A-Za-z0-9_-]{20,}"),
    "AWS key": re.compile(r"AKIA[0-9A-Z]{16}"),
    "GitHub token": re.compile(r"gh[pousr]_[A-Za-z0-9]{36}"),
    "Slack token": re.compile(r"xox[abprs]-[A-Za-z0-9-]{10,}"),
}
# In the code and scripts (tests have passwords of their own on purpose): a literal credential.
LITERAL = re.compile(r"(?i)\b(password|passwd|secret|api_key|token)\w*\s*[:=]\s*['\"][^'\"\s]{8,}['\"]")
KEY = "test-secret-key-" + "z" * 40
TOKEN_GUESS = "klsm_" + "q" * 43
PASSWORDS = ("правильный-пароль-7", "неверный-пароль-8")


def text_files():
    for name in SCANNED:
        path = ROOT / name
        files = [path] if path.is_file() else path.rglob("*") if path.is_dir() else []
        for found in files:
            if found.is_file() and not SKIPPED & set(found.parts) and found.suffix not in (
                    ".png", ".pdf", ".gz", ".db", ".pyc", ".bin", ".npz", ".pt", ".onnx"):
                yield found


def test_no_secret_is_committed():
    found = []
    for path in text_files():
        text = path.read_text(encoding="utf-8", errors="replace")
        found += [f"{path}: {kind}" for kind, shape in SECRET_SHAPES.items() if shape.search(text)]
        # Vendored libraries are third-party code pinned by integrity: their UI strings
        # («Password:») are not our credentials, but their keys and tokens would be.
        if path.relative_to(ROOT).parts[0] in ("src", "scripts") and "vendor" not in path.parts:
            found += [f"{path}: {m.group(0)}" for m in LITERAL.finditer(text)]
    assert found == []


def test_the_key_file_is_private_and_warns_when_it_is_not(tmp_path, caplog):
    key = secret_key(WebOptions(), tmp_path)
    path = tmp_path / KEY_FILE
    assert len(key) >= 48 and oct(path.stat().st_mode & 0o777) == "0o600"
    with caplog.at_level(logging.WARNING):
        assert secret_key(WebOptions(), tmp_path) == key
        assert caplog.records == []
        os.chmod(path, 0o644)
        assert secret_key(WebOptions(), tmp_path) == key
    assert "can be read by other users" in caplog.text and "chmod 600" in caplog.text
    assert key not in caplog.text


def test_settings_never_show_the_key():
    settings = Settings(db_url="sqlite:////tmp/x.db", web=WebOptions(secret_key=KEY))
    assert KEY not in repr(settings) and KEY not in str(settings.web)


def test_no_secret_reaches_the_store_the_log_or_a_page(tmp_path, caplog):
    url = f"sqlite:///{tmp_path / 'kelisim.db'}"
    with Store.open(url) as store:
        Accounts(store).add("admin", PASSWORDS[0], "admin")
        token = Accounts(store).new_token("admin")
        store.add_source("feed", "rss", "https://reader:feedpass123@feeds.example.kz/rss")
    app = create_app(Settings(db_url=url, web=WebOptions(secret_key=KEY)))
    shown = []
    with caplog.at_level(logging.DEBUG), TestClient(app, follow_redirects=False) as client:
        client.post("/login", data={"username": "admin", "password": PASSWORDS[1]})
        client.post("/login", data={"username": PASSWORDS[1], "password": PASSWORDS[0]})
        client.get("/api/alerts", headers={"Authorization": f"Bearer {TOKEN_GUESS}"})
        client.get("/api/alerts", headers={"Authorization": f"Bearer {token}"})
        assert client.post("/login", data={"username": "admin",
                                           "password": PASSWORDS[0]}).status_code == 303
        for path in ("/", "/sources", "/api/sources", "/search?q=x", "/openapi.json"):
            shown.append(client.get(path, headers={"Authorization": f"Bearer {token}"}).text)
    secrets = (KEY, token, TOKEN_GUESS, PASSWORDS[0], "feedpass123")
    assert [s for s in secrets if s in caplog.text] == []
    assert [s for s in secrets if any(s in page for page in shown)] == []
    assert "https://***@feeds.example.kz/rss" in shown[2]
    stored = dump(url)
    assert [s for s in (KEY, token, TOKEN_GUESS, *PASSWORDS) if s in stored] == []
    assert "login" in stored  # the audit log was written, without the password


def dump(url: str) -> str:
    """Every row of every table, as text."""
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return "\n".join(str(row) for table in metadata.sorted_tables
                             for row in conn.execute(sa.select(table)))
    finally:
        engine.dispose()


def test_a_short_configured_key_is_refused(tmp_path):
    with pytest.raises(ValueError, match="at least 32"):
        secret_key(WebOptions(secret_key="hunter2"), tmp_path)
    assert secret_key(WebOptions(secret_key=KEY), tmp_path) == KEY
