"""Alert rules: a TOML file that says which regions and signals to watch, how sensitive to be,
which saved searches become alerts, when a silent source is an alert, and where alerts go.

Kelisim ships default rules (``data/rules.toml``: every region and district, no delivery); an
operator's file replaces them. Secrets are never in the file: a channel names the environment
variable that holds its password or secret. See docs/alerts.md.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from kelisim.warning.baseline import SENSITIVITY, SIGNALS
from kelisim.warning.channels import Channel, ChannelConfigError, channel_from_config
from kelisim.warning.units import NOT_A_REGION, find_unit

LEVELS = ("region", "district")


class RulesError(ValueError):
    """An alert rules file that cannot be used; the message names the file, the rule and the key."""


@dataclass(frozen=True)
class SpikeRule:
    """Watch one signal at one level (in some regions or all) for spikes."""

    name: str
    signal: str
    level: str = "region"
    regions: tuple[str, ...] = ()  # KATO codes of regions; () = all
    sensitivity: str = "medium"
    min_count: int = 3
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchRule:
    """A saved search: new documents that match it are an alert."""

    name: str
    query: str
    regions: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class SilenceRule:
    """A source is silent when it has published nothing for ``factor`` times its long gap (the
    90th percentile of its recent gaps), and
    at least ``hours``; or when its polls failed ``errors`` times in a row."""

    hours: float = 48.0
    factor: float = 4.0
    errors: int = 5
    min_items: int = 5
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoryRule:
    """A story of a conflict-type event that grows fast (breaking) is an alert."""

    enabled: bool = True
    min_severity: int = 1
    channels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportSchedule:
    """Regional reports written when each calendar period of ``every_months`` ends (Jan–Feb,
    Mar–Apr, … for 2): one per region, language and format (see docs/report.md)."""

    regions: tuple[str, ...]
    every_months: int = 2
    formats: tuple[str, ...] = ("pdf", "html")
    langs: tuple[str, ...] = ("ru", "kk")
    out: str = "reports"


REPORT_FORMATS, REPORT_LANGS = ("pdf", "html", "json"), ("ru", "kk")


@dataclass(frozen=True)
class Rules:
    """Everything the alert stage is told to do."""

    spikes: tuple[SpikeRule, ...] = ()
    searches: tuple[SearchRule, ...] = ()
    silence: SilenceRule | None = field(default_factory=SilenceRule)
    stories: StoryRule | None = field(default_factory=StoryRule)
    channels: Mapping[str, Channel] = field(default_factory=dict)
    retries: int = 3
    backoff: float = 2.0
    max_attempts: int = 8
    base_url: str | None = None
    report: ReportSchedule | None = None  # scheduled regional reports; None: none
    origin: str = "defaults"  # the file the rules came from


def default_rules_text() -> str:
    """The shipped rules file."""
    return resources.files("kelisim.warning").joinpath("data", "rules.toml").read_text("utf-8")


def load_rules(path: Path | None, env: Mapping[str, str]) -> Rules:
    """The rules of a TOML file (the shipped defaults when ``path`` is None).

    Args:
        path: the operator's rules file, or None.
        env: the environment, where channels find their secrets.

    Raises:
        RulesError: the file is missing, is not TOML, or a rule is wrong; the message says where.
    """
    if path is None:
        return parse_rules(default_rules_text(), env, "the default rules")
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RulesError(f"cannot read the alert rules {path}: {error}") from error
    return parse_rules(text, env, str(path))


def parse_rules(text: str, env: Mapping[str, str], origin: str = "<rules>") -> Rules:
    """The rules in a TOML text (see :func:`load_rules`)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(f"{origin}: not valid TOML: {error}") from error
    _only(data, {"spike", "search", "silence", "stories", "channel", "delivery", "base_url",
                 "report"}, origin, "the file")
    channels = _channels(data.get("channel", {}), env, origin)
    delivery = _table(data.get("delivery", {}), origin, "[delivery]")
    _only(delivery, {"retries", "backoff_seconds", "max_attempts"}, origin, "[delivery]")
    rules = Rules(
        spikes=tuple(_spike(t, i, origin) for i, t in enumerate(_list(data, "spike", origin))),
        searches=tuple(_search(t, i, origin) for i, t in enumerate(_list(data, "search", origin))),
        silence=_silence(data["silence"], origin) if "silence" in data else None,
        stories=_stories(data["stories"], origin) if "stories" in data else None,
        channels=channels,
        retries=_int(delivery, "retries", 3, origin, "[delivery]", low=0),
        backoff=_number(delivery, "backoff_seconds", 2.0, origin, "[delivery]"),
        max_attempts=_int(delivery, "max_attempts", 8, origin, "[delivery]", low=1),
        base_url=_str(data, "base_url", None, origin, "the file"),
        report=_report(data["report"], origin) if "report" in data else None,
        origin=origin,
    )
    _check_channels(rules, origin)
    return rules


def _channels(tables: Any, env: Mapping[str, str], origin: str) -> dict[str, Channel]:
    tables = _table(tables, origin, "[channel]")
    found = {}
    for name, table in tables.items():
        try:
            found[name] = channel_from_config(name, _table(table, origin, f"[channel.{name}]"), env)
        except ChannelConfigError as error:
            raise RulesError(f"{origin}: {error}") from error
    return found


def _spike(table: Any, index: int, origin: str) -> SpikeRule:
    where = f"[[spike]] #{index + 1}"
    table = _table(table, origin, where)
    _only(table, {"name", "signal", "level", "regions", "sensitivity", "min_count", "channels"},
          origin, where)
    name = _str(table, "name", None, origin, where, required=True)
    where = f"[[spike]] {name!r}"
    return SpikeRule(
        name=name,
        signal=_choice(table, "signal", None, SIGNALS, origin, where),
        level=_choice(table, "level", "region", LEVELS, origin, where),
        regions=_regions(table, origin, where),
        sensitivity=_choice(table, "sensitivity", "medium", tuple(SENSITIVITY), origin, where),
        min_count=_int(table, "min_count", 3, origin, where, low=1),
        channels=_names(table, "channels", origin, where),
    )


def _search(table: Any, index: int, origin: str) -> SearchRule:
    where = f"[[search]] #{index + 1}"
    table = _table(table, origin, where)
    _only(table, {"name", "query", "regions", "channels"}, origin, where)
    name = _str(table, "name", None, origin, where, required=True)
    query = _str(table, "query", None, origin, f"[[search]] {name!r}", required=True)
    return SearchRule(name, query, _regions(table, origin, where),
                      _names(table, "channels", origin, where))


def _silence(table: Any, origin: str) -> SilenceRule:
    table = _table(table, origin, "[silence]")
    _only(table, {"hours", "factor", "errors", "min_items", "channels"}, origin, "[silence]")
    return SilenceRule(_number(table, "hours", 48.0, origin, "[silence]"),
                       _number(table, "factor", 4.0, origin, "[silence]"),
                       _int(table, "errors", 5, origin, "[silence]", low=1),
                       _int(table, "min_items", 5, origin, "[silence]", low=2),
                       _names(table, "channels", origin, "[silence]"))


def _stories(table: Any, origin: str) -> StoryRule:
    table = _table(table, origin, "[stories]")
    _only(table, {"enabled", "min_severity", "channels"}, origin, "[stories]")
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        raise RulesError(f"{origin}: [stories] enabled must be true or false")
    return StoryRule(enabled, _int(table, "min_severity", 1, origin, "[stories]", low=0),
                     _names(table, "channels", origin, "[stories]"))


def _report(table: Any, origin: str) -> ReportSchedule:
    where = "[report]"
    table = _table(table, origin, where)
    _only(table, {"regions", "every_months", "formats", "langs", "out"}, origin, where)
    regions = _regions(table, origin, where)
    if not regions:
        raise RulesError(f"{origin}: {where} regions must name at least one region")
    every = _int(table, "every_months", 2, origin, where, low=1)
    if 12 % every:
        raise RulesError(f"{origin}: {where} every_months must divide the year: "
                         "1, 2, 3, 4, 6 or 12")
    return ReportSchedule(regions, every,
                          _subset(table, "formats", ("pdf", "html"), REPORT_FORMATS, origin, where),
                          _subset(table, "langs", ("ru", "kk"), REPORT_LANGS, origin, where),
                          _str(table, "out", "reports", origin, where))


def _subset(table: Mapping[str, Any], key: str, default: tuple[str, ...],
            choices: tuple[str, ...], origin: str, where: str) -> tuple[str, ...]:
    values = _names(table, key, origin, where) if key in table else default
    wrong = [v for v in values if v not in choices]
    if wrong or not values:
        raise RulesError(f"{origin}: {where} {key} = {list(values)!r}: choose from "
                         f"{', '.join(choices)}")
    return tuple(dict.fromkeys(values))


def _check_channels(rules: Rules, origin: str) -> None:
    named = [(f"[[spike]] {r.name!r}", r.channels) for r in rules.spikes]
    named += [(f"[[search]] {r.name!r}", r.channels) for r in rules.searches]
    if rules.silence:
        named.append(("[silence]", rules.silence.channels))
    if rules.stories:
        named.append(("[stories]", rules.stories.channels))
    for where, channels in named:
        for channel in channels:
            if channel not in rules.channels:
                known = ", ".join(rules.channels) or "none is defined"
                raise RulesError(f"{origin}: {where} sends to the channel {channel!r}, which is "
                                 f"not defined ([channel.{channel}]); defined: {known}")
    names = [r.name for r in rules.spikes] + [r.name for r in rules.searches]
    repeated = {n for n in names if names.count(n) > 1}
    if repeated:
        raise RulesError(f"{origin}: rule names must differ; repeated: {', '.join(sorted(repeated))}")


def _regions(table: Mapping[str, Any], origin: str, where: str) -> tuple[str, ...]:
    return tuple(region_code(value, origin, where) for value in _names(table, "regions", origin, where))


def region_code(value: str, origin: str, where: str) -> str:
    """The KATO code of a region given by code or by name; RulesError saying where otherwise."""
    code = find_unit(value)
    if code is None:
        raise RulesError(f"{origin}: {where} names the region {value!r}, which {NOT_A_REGION}")
    return code


def _table(value: Any, origin: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RulesError(f"{origin}: {where} must be a table")
    return value


def _list(data: Mapping[str, Any], key: str, origin: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise RulesError(f"{origin}: {key} must be written [[{key}]] (a list of tables)")
    return value


def _only(table: Mapping[str, Any], keys: set[str], origin: str, where: str) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise RulesError(f"{origin}: {where} has unknown key(s) {', '.join(unknown)}; "
                         f"known: {', '.join(sorted(keys))}")


def _str(table: Mapping[str, Any], key: str, default: str | None, origin: str, where: str,
         required: bool = False) -> Any:
    if key not in table:
        if required:
            raise RulesError(f"{origin}: {where} needs {key} = \"…\"")
        return default
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise RulesError(f"{origin}: {where} {key} must be a non-empty string")
    return value.strip()


def _choice(table: Mapping[str, Any], key: str, default: str | None, choices: tuple[str, ...],
            origin: str, where: str) -> str:
    value = _str(table, key, default, origin, where, required=default is None)
    if value not in choices:
        raise RulesError(f"{origin}: {where} {key} = {value!r}: choose one of {', '.join(choices)}")
    return value


def _int(table: Mapping[str, Any], key: str, default: int, origin: str, where: str,
         low: int = 0) -> int:
    value = table.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < low:
        raise RulesError(f"{origin}: {where} {key} must be a whole number >= {low}")
    return value


def _number(table: Mapping[str, Any], key: str, default: float, origin: str, where: str) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise RulesError(f"{origin}: {where} {key} must be a number >= 0")
    return float(value)


def _names(table: Mapping[str, Any], key: str, origin: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesError(f"{origin}: {where} {key} must be a list of names")
    return tuple(v.strip() for v in value)
