"""infra/logs.py: JSON lines with the request or event id, and personal values redacted."""
from __future__ import annotations

import io
import json
import logging

import pytest

from infra.logs import log_context, make_handler, redact


@pytest.mark.parametrize("text, shown", [
    ("CCCD 001203004567 đã nhập", "CCCD [number] đã nhập"),
    ("CMND cũ 123456789", "CMND cũ [number]"),
    ("gọi 0912345678 hoặc +84 912 345 678 hoặc 0236.3800.001", "gọi [phone] hoặc [phone] hoặc [phone]"),
    ("link https://bot.example/go/abc.DEF-123?x=1 sent", "link https://bot.example/go/[redacted]?x=1 sent"),
    ("page 106000000000001 psid 7654321098765432", "page 106000000000001 psid 7654321098765432"),
    ("took 12 ms, 3 events, shard 7, 2026-12-03 10:15:08", "took 12 ms, 3 events, shard 7, 2026-12-03 10:15:08"),
])
def test_personal_values_are_redacted_and_platform_ids_kept(text, shown):
    assert redact(text) == shown


def test_a_line_is_one_json_object_with_the_event_id_and_a_redacted_traceback():
    stream = io.StringIO()
    logger = logging.getLogger("tests.logs")
    logger.addHandler(make_handler("json", stream))
    logger.propagate = False
    token = log_context.set("facebook:106000000000001:m_1")
    try:
        try:
            raise ValueError("bad id 001203004567")
        except ValueError:
            logger.exception("event failed")
    finally:
        log_context.reset(token)
        logger.handlers.clear()
        logger.propagate = True
    record = json.loads(stream.getvalue())
    assert record["id"] == "facebook:106000000000001:m_1"
    assert record["message"] == "event failed" and record["level"] == "ERROR"
    assert "001203004567" not in stream.getvalue() and "[number]" in record["exc_info"]


def test_the_text_format_is_redacted_too():
    stream = io.StringIO()
    logger = logging.getLogger("tests.logs.text")
    logger.addHandler(make_handler("text", stream))
    logger.propagate = False
    try:
        logger.warning("phone %s", "0912345678")
    finally:
        logger.handlers.clear()
        logger.propagate = True
    assert "0912345678" not in stream.getvalue() and "[phone]" in stream.getvalue()
