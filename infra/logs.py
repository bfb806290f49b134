"""Log lines as operators and their tools read them: one JSON object per line (python-json-logger)
with the request or event it belongs to (`id`), and never a personal value.

Redaction runs on the finished line, so it also covers exception texts and arguments: 9–12 digit
runs (ID card numbers, the old 9-digit ID), Vietnamese phone numbers, and /go/<token> links (a
token opens a resident's prepared data). Longer platform ids (Page, PSID, OA: 15–19 digits) stay.
"""
from __future__ import annotations

import contextvars
import logging
import re
import sys

from pythonjsonlogger.json import JsonFormatter

log_context: contextvars.ContextVar[str | None] = contextvars.ContextVar("log_context", default=None)

_GO_LINK = re.compile(r"/go/[^\s\"'?#<>]+")
_PHONE = re.compile(r"(?<![\w.])(?:\+84|0084|84|0)(?:[ .-]?\d){8,10}(?![\d])")
_DIGITS = re.compile(r"(?<!\d)\d{9,12}(?!\d)")


def redact(text: str) -> str:
    """The text with links to prepared data, phone numbers and ID-like numbers replaced."""
    text = _GO_LINK.sub("/go/[redacted]", text)
    text = _PHONE.sub("[phone]", text)
    return _DIGITS.sub("[number]", text)


class ContextFilter(logging.Filter):
    """Adds `id`: the request id (web) or the event key (worker) the line was written for."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.id = log_context.get()
        return True


class RedactingJsonFormatter(JsonFormatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s %(id)s",
                         rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
                         json_ensure_ascii=False)

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class RedactingTextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s [%(id)s] %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def make_handler(fmt: str = "json", stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(RedactingTextFormatter() if fmt == "text" else RedactingJsonFormatter())
    handler.addFilter(ContextFilter())
    handler._bot_handler = True  # type: ignore[attr-defined]
    return handler


def configure_logging(level: str = "INFO", fmt: str = "json") -> None:
    """Our handler on the root logger, once per process; left alone when something else (pytest's
    capture, an embedding program) configured logging first, as logging.basicConfig does."""
    root = logging.getLogger()
    if any(getattr(h, "_bot_handler", False) for h in root.handlers):
        return
    if root.handlers:
        return
    root.addHandler(make_handler(fmt))
    root.setLevel(level)


def adopt(name: str) -> None:
    """Give a library logger that set up its own handlers (rq's worker) our format, redaction and
    ids, and stop it propagating to ours as well (one line per record)."""
    logger = logging.getLogger(name)
    ours = next((h for h in logging.getLogger().handlers if getattr(h, "_bot_handler", False)), None)
    if ours is None or not logger.handlers:
        return
    for handler in logger.handlers:
        handler.setFormatter(ours.formatter)
        handler.addFilter(ContextFilter())
    logger.propagate = False
