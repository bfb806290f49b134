"""channels/timers.py: the "typing…" bubbles of slow answers, on one thread per process."""
from __future__ import annotations

import threading
import time

from channels.timers import Timers


def test_a_call_runs_once_after_its_delay_and_a_cancelled_one_never():
    fired: list[tuple[str, float]] = []
    done = threading.Event()
    timers = Timers()
    start = time.monotonic()
    cancelled = timers.call_later(0.05, lambda: fired.append(("cancelled", time.monotonic() - start)))
    timers.call_later(0.1, lambda: (fired.append(("kept", time.monotonic() - start)), done.set()))
    cancelled.cancel()
    assert done.wait(2)
    time.sleep(0.05)
    assert [name for name, _at in fired] == ["kept"]
    assert fired[0][1] >= 0.1


def test_a_call_due_sooner_than_the_others_is_not_held_up_by_them():
    order: list[str] = []
    done = threading.Event()
    timers = Timers()
    timers.call_later(5, order.append, "late")
    timers.call_later(0.05, lambda: (order.append("soon"), done.set()))
    assert done.wait(1)
    assert order == ["soon"]


def test_a_failing_call_does_not_stop_the_ones_after_it():
    done = threading.Event()
    timers = Timers()
    timers.call_later(0.01, lambda: 1 / 0)
    timers.call_later(0.02, done.set)
    assert done.wait(2)
