"""Small inline SVG charts drawn on the server: no script, no CDN, readable on a phone."""
from __future__ import annotations

from dataclasses import dataclass

from admin.stats import Day


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


def daily_bars(days: list[Day], width: int = 600, height: int = 160) -> tuple[list[Bar], int]:
    """Stacked bars per day: answered, clarified, unanswered, other; returns the bars and the y maximum."""
    top = max((d.messages for d in days), default=0) or 1
    step = width / max(len(days), 1)
    bars = []
    for i, day in enumerate(days):
        other = day.messages - day.answered - day.clarified - day.unanswered
        base = height
        for value, css in ((day.answered, "answered"), (day.clarified, "clarified"),
                           (day.unanswered, "unanswered"), (other, "other")):
            if value <= 0:
                continue
            h = value / top * (height - 4)
            base -= h
            bars.append(Bar(round(i * step + 1, 1), round(base, 1), round(max(step - 2, 1), 1), round(h, 1), css,
                            f"{day.day.isoformat()}: {value}"))
    return bars, top
