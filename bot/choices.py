"""The buttons offered in the last turn: remembered in the conversation state, so that a resident
who types what a button says ("giay to", "lệ phí", "chuan bi thong tin") gets what the button does,
and a tap can be shown to staff by its title rather than by its machine payload."""
from __future__ import annotations

from rapidfuzz import fuzz

from bot.messages import QuickReply, Reply
from knowledge.normalize import normalize_vietnamese

MAX_OFFERED = 20
TYPO_RATIO = 88  # rapidfuzz ratio (0-100) above which a typed text is the title with a slip of the finger
MIN_PREFIX_WORDS = 2  # "le phi" stands for "Lệ phí, thời gian"; one word ("le") is too little


def remember_offered(state: dict, replies: list[Reply]) -> None:
    """Keep the quick replies of this turn's last reply that has any (the ones on screen now)."""
    offered = next((r.quick_replies for r in reversed(replies) if r.quick_replies), [])
    if offered:
        state["offered"] = [[q.title, q.payload] for q in offered[:MAX_OFFERED]]
    else:
        state.pop("offered", None)


def offered(state: dict) -> list[QuickReply]:
    rows = state.get("offered")
    if not isinstance(rows, list):
        return []
    return [QuickReply(str(r[0]), str(r[1])) for r in rows if isinstance(r, list) and len(r) == 2]


def title_of(payload: str | None, state: dict) -> str | None:
    """The title of the offered button behind a payload, if it was offered in the last turn."""
    return next((q.title for q in offered(state) if q.payload == payload), None) if payload else None


def typed_choice(text: str | None, state: dict) -> QuickReply | None:
    """The offered button a typed text stands for: the same title without diacritics or case,
    with a small typo, or its first words. None when no button, or more than one, fits."""
    plain = _plain(text or "")
    if not plain:
        return None
    fits = [(score, q) for q in offered(state) if (score := _fit(plain, _plain(q.title))) > 0]
    if not fits:
        return None
    fits.sort(key=lambda pair: -pair[0])
    if len(fits) > 1 and fits[1][0] == fits[0][0]:
        return None  # two buttons fit as well: do not guess
    return fits[0][1]


def _plain(text: str) -> str:
    return " ".join(normalize_vietnamese(text).plain.split())


def _fit(typed: str, title: str) -> float:
    """3 for the title itself, 2 for a small typo, 1 for its first words; 0 otherwise."""
    if not title:
        return 0
    if typed == title:
        return 3
    if len(title) >= 4 and fuzz.ratio(typed, title) >= TYPO_RATIO:
        return 2
    words, title_words = typed.split(), title.split()
    if len(words) >= MIN_PREFIX_WORDS and title_words[:len(words)] == words:
        return 1
    return 0
