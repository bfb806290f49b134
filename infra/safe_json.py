"""JSON from strangers: any bytes give either a value or `JsonRejected`, never another exception.

`json.loads` alone raises RecursionError on 100,000 nested brackets, returns lone UTF-16
surrogates ("\\ud800") that fail later when the text is encoded for Redis or the database and NUL
characters ("\\u0000") that PostgreSQL refuses to store, and happily returns structures nested
hundreds deep that any recursive code downstream trips on.
Platform and web chat payloads are a few levels deep, so deeper ones are refused outright.
"""
from __future__ import annotations

import json
import re

MAX_DEPTH = 32  # Messenger batches are 6 deep, Zalo events 3, web chat messages 1
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)")  # a lone surrogate or NUL (PostgreSQL refuses NUL)


class JsonRejected(ValueError):
    """The bytes are not JSON this service accepts; the text says why (→ HTTP 400)."""


def loads(raw: bytes, max_depth: int = MAX_DEPTH) -> object:
    """The value of `raw`, nested at most `max_depth` containers deep, with no lone surrogates."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise JsonRejected(f"the JSON is nested deeper than {max_depth} levels") from None
    except ValueError:  # also UnicodeDecodeError and integers of more than 4,300 digits
        raise JsonRejected("the body is not valid JSON") from None
    # a value with fewer brackets than the limit cannot be nested deeper: most bodies skip the walk
    if raw.count(b"[") + raw.count(b"{") > max_depth and _depth(value) > max_depth:
        raise JsonRejected(f"the JSON is nested deeper than {max_depth} levels")
    if _UNSTORABLE_ESCAPE.search(raw):
        value = _storable(value)
    return value


def _depth(value: object) -> int:
    """How many containers deep `value` goes, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


def _storable(value: object) -> object:
    """Lone surrogates (valid pairs were joined by the parser) become U+FFFD and NUL characters are
    dropped, so every text can be encoded and stored; the depth is already bounded."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace("\x00", "")
    if isinstance(value, list):
        return [_storable(item) for item in value]
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    return value
