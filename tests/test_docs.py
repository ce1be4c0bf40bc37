"""The docs stay true: every CLI command and every setting is documented."""

from __future__ import annotations

from pathlib import Path

import typer.main

from kelisim.cli import app
from kelisim.config import FetchOptions, IngestOptions, WebOptions, describe

ROOT = Path(__file__).resolve().parents[1]


def _commands(group, prefix: str = "") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            names += _commands(command, f"{prefix}{name} ")
        else:
            names.append(f"{prefix}{name}")
    return names


def test_every_command_is_in_the_cli_reference():
    reference = (ROOT / "docs/cli.md").read_text(encoding="utf-8")
    commands = _commands(typer.main.get_command(app))
    assert len(commands) >= 11
    for name in commands:
        assert f"## `kelisim {name}`" in reference, f"docs/cli.md lacks `kelisim {name}`"


def test_every_setting_is_documented():
    reference = (ROOT / "docs/settings.md").read_text(encoding="utf-8")
    for options in (FetchOptions, IngestOptions, WebOptions):
        for name, _default, help_text in describe(options):
            assert f"`{name}`" in reference, f"docs/settings.md lacks {options.__name__}.{name}"
            assert help_text


def test_readme_shows_the_two_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
