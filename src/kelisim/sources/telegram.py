"""Telegram channel exports: the ``result.json`` that Telegram Desktop writes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from kelisim.records import RawItem, Skip


def is_telegram_export(data: object) -> bool:
    """True for a Telegram Desktop export of one chat or channel."""
    return isinstance(data, dict) and isinstance(data.get("messages"), list) and (
        "type" in data or "name" in data
    )


def read_telegram_export(data: dict, path: Path, source_id: int | None) -> Iterator[RawItem | Skip]:
    """One raw item per message with text; service and media-only messages are skipped."""
    channel = str(data.get("id") or data.get("name") or path.parent.name)
    name = str(data.get("name") or channel)
    for message in data["messages"]:
        item = _message_item(message, channel, name, path, source_id)
        if item is not None:
            yield item


def _message_item(message: object, channel: str, name: str, path: Path,
                  source_id: int | None) -> RawItem | Skip | None:
    if not isinstance(message, dict) or "id" not in message:
        return Skip(f"tg:{channel}/?", "malformed_json", f"{path}: a message without an id")
    origin = f"tg:{channel}/{message['id']}"
    if message.get("type", "message") != "message":
        return None
    text = message_text(message.get("text"))
    if not text.strip():
        return Skip(origin, "media_only", f"{path}: message {message['id']} has no text")
    meta = {"path": str(path), "channel": name, "message_id": message["id"]}
    for key in ("forwarded_from", "views", "edited"):
        if key in message:
            meta[key] = message[key]
    return RawItem(origin=origin, body=text, kind="text", source_id=source_id,
                   author=_text(message.get("from") or message.get("author")) or name,
                   published=message_date(message), meta=meta)


def message_text(value: object) -> str:
    """A message's text: plain, or a list of plain strings and formatted entities."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part if isinstance(part, str) else _text(part.get("text"))
                       for part in value if isinstance(part, (str, dict)))
    return ""


def message_date(message: dict) -> datetime | None:
    """The message's time in UTC (the export's local ``date`` is a fallback)."""
    unix = message.get("date_unixtime")
    try:
        if unix is not None:
            return datetime.fromtimestamp(int(unix), tz=timezone.utc)
        return datetime.fromisoformat(str(message["date"])).replace(tzinfo=timezone.utc)
    except (KeyError, TypeError, ValueError, OverflowError, OSError):
        return None  # TypeError: a list or an object where the export has a number


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
