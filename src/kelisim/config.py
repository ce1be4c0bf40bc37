"""Settings: every option declared once, with its default and help text.

The shells (CLI, web, workers) build a :class:`Settings` from flags, the environment and
config files; everything below them receives the options objects explicitly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import platformdirs

MiB = 2**20


def default_data_dir() -> Path:
    """The user's data directory for Kelisim (the embedded store lives here)."""
    return Path(platformdirs.user_data_dir("kelisim", appauthor=False))


def default_db_url() -> str:
    """The embedded SQLite store in the user's data directory."""
    return f"sqlite:///{default_data_dir() / 'kelisim.db'}"


def default_replay_db_url() -> str:
    """The store ``kelisim replay`` uses unless told otherwise: never the main archive."""
    return f"sqlite:///{default_data_dir() / 'replay.db'}"


def default_models_dir() -> Path:
    """Where ``kelisim train`` writes models and reading looks for them."""
    return default_data_dir() / "models"


def db_url_from(value: str | None) -> str:
    """Turn a --db value (a URL or a plain file path) into a database URL."""
    if not value:
        return default_db_url()
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def _opt(default, help: str, *, repr: bool = True):  # noqa: A002
    return field(default=default, repr=repr, metadata={"help": help})


@dataclass(frozen=True)
class FetchOptions:
    """How Kelisim talks to the web: politely, safely, with limits."""

    user_agent: str = _opt(
        "Kelisim/0.1 (interethnic media monitor; respects robots.txt)",
        "User-Agent sent with every request and matched against robots.txt.",
    )
    connect_timeout: float = _opt(10.0, "Seconds to wait for a connection.")
    read_timeout: float = _opt(20.0, "Seconds to wait between two chunks of a response.")
    total_timeout: float = _opt(60.0, "Seconds a whole response, body included, may take.")
    max_bytes: int = _opt(10 * MiB, "Largest response body accepted; larger ones are refused.")
    retries: int = _opt(3, "Retries after a connection error, a timeout, 429 or 5xx.")
    backoff: float = _opt(1.0, "First retry delay in seconds; doubles with each retry.")
    min_interval: float = _opt(1.0, "Seconds between two requests to the same host.")
    max_redirects: int = _opt(5, "Redirects followed before giving up.")
    respect_robots: bool = _opt(True, "Obey robots.txt (turn off only for your own sites).")
    allow_private: bool = _opt(
        False, "Allow fetching private, loopback and link-local addresses (off: SSRF guard)."
    )


@dataclass(frozen=True)
class IngestOptions:
    """Limits and thresholds of reading, cleaning and de-duplication."""

    max_document_bytes: int = _opt(
        5 * MiB, "Largest single document (a txt/html/md file or one record) accepted."
    )
    max_file_bytes: int = _opt(
        512 * MiB, "Largest container file (json, jsonl, csv, Telegram export) accepted."
    )
    near_duplicate_threshold: float = _opt(
        0.6, "Estimated similarity of word 4-shingles (the larger of Jaccard and containment "
        "in an earlier document) at or above which a text is a reprint; see docs/dedup.md."
    )
    workers: int = _opt(os.cpu_count() or 1, "Processes that clean and read documents in parallel.")
    batch_size: int = _opt(200, "Documents written per transaction, cleaned or read.")


@dataclass(frozen=True)
class WebOptions:
    """The dashboard's sessions and its guard against password guessing."""

    secret_key: str | None = _opt(
        None, "Key that signs session cookies (env KELISIM_SECRET_KEY). None: a random key kept "
        "in web-secret.key in the data directory, made on first use, readable by its owner only.",
        repr=False,
    )
    secure_cookies: bool | None = _opt(
        None, "Send the session cookie only over HTTPS. None: when the request came over HTTPS "
        "(behind a proxy, run uvicorn with --proxy-headers)."
    )
    session_hours: float = _opt(12.0, "Hours a login lasts.")
    login_attempts: int = _opt(5, "Failed logins allowed per address and per user name in "
                               "login_window minutes; more are refused with 429.")
    login_window: float = _opt(15.0, "Minutes over which failed logins (and failed API tokens) "
                               "are counted.")
    token_attempts: int = _opt(20, "Failed API tokens allowed per address in login_window "
                               "minutes; more are refused with 429, even a valid token.")


@dataclass(frozen=True)
class Settings:
    """Everything a Kelisim run needs to know."""

    db_url: str = _opt(default_db_url(), "Database URL: sqlite:///PATH or postgresql://…")
    models_dir: Path = _opt(default_models_dir(), "Folder of models trained by `kelisim train`; "
                            "reading uses one found there instead of the shipped one.")
    rules: Path | None = _opt(None, "Alert rules file (TOML); the shipped defaults watch every "
                              "region and district and send nothing. See docs/alerts.md.")
    fetch: FetchOptions = field(default_factory=FetchOptions)
    ingest: IngestOptions = field(default_factory=IngestOptions)
    web: WebOptions = field(default_factory=WebOptions)


def describe(options_class) -> list[tuple[str, object, str]]:
    """(name, default, help) of every option of an options class, for docs and --help."""
    rows = []
    for f in fields(options_class):
        if "help" in f.metadata:
            rows.append((f.name, f.default, f.metadata["help"]))
    return rows
