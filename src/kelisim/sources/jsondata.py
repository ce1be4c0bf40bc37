"""JSON from files and streams, read defensively: every failure is one ValueError with a message.

``json.loads`` lets out more than JSONDecodeError on hostile input: RecursionError for arrays
nested a thousand deep, a plain ValueError for an integer of more than 4,300 digits. And it
accepts lone surrogates («"\\ud800"») that no store can hold; they become U+FFFD here.
"""

from __future__ import annotations

import json
import re

from kelisim.clean.normalize import replace_surrogates

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


class JsonError(ValueError):
    """Text that is not JSON we can use; the message says where or why."""


def loads(text: str) -> object:
    """The JSON value of ``text``, lone surrogates replaced; raises JsonError."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise JsonError(f"{error.msg} at line {error.lineno}, column {error.colno}") from None
    except RecursionError:
        raise JsonError("nested too deeply") from None
    except ValueError:  # int() refuses more than 4,300 digits
        raise JsonError("a number too long to read") from None
    return scrubbed(data) if _SURROGATE_ESCAPE.search(text) else data


def scrubbed(data: object) -> object:
    """``data`` with lone surrogates replaced in every string and key, in place, without
    recursion (the data may be nested as deep as the parser allows)."""
    if isinstance(data, str):
        return replace_surrogates(data)
    stack = [data] if isinstance(data, (dict, list)) else []
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            pairs = [(replace_surrogates(key), value) for key, value in node.items()]
            node.clear()
            node.update((key, _leaf(value, stack)) for key, value in pairs)
        else:
            node[:] = [_leaf(value, stack) for value in node]
    return data


def _leaf(value: object, stack: list) -> object:
    if isinstance(value, str):
        return replace_surrogates(value)
    if isinstance(value, (dict, list)):
        stack.append(value)
    return value
