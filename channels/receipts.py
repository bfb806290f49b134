"""Read receipts: Messenger's `read.watermark` (everything sent at or before it was read, on the
platform's clock), Messenger's echo of our own message (its time on that clock) and Zalo's
`user_seen_message` (`message.msg_ids`). Channels only parse and pass them on; whoever cares (the
campaign funnel in outreach/, above this layer) registers a listener at start-up."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Receipt:
    platform: str
    commune_id: int
    user: str
    watermark_ms: int | None = None  # Messenger
    message_ids: tuple[str, ...] = ()  # Zalo; with sent_ms, the Messenger message echoed
    sent_ms: int | None = None  # Messenger echo: the platform's time of message_ids[0] (not a read)


_listeners: list[Callable[[Receipt], None]] = []


def listen(listener: Callable[[Receipt], None]) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def notify(receipt: Receipt) -> None:
    for listener in _listeners:
        try:
            listener(receipt)
        except Exception:  # a receipt is a statistic: never worth failing the batch of residents' messages
            log.exception("read receipt not recorded")
