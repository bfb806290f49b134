"""Gettext catalogues for the bot's fixed strings: Vietnamese first, English.

Catalogues are the .po files under i18n/<lang>/LC_MESSAGES/; they are compiled in memory
when first used, so there is no build step between editing a translation and running.
"""
from __future__ import annotations

import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

HERE = Path(__file__).parent
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"


@lru_cache(maxsize=None)
def translations(lang: str) -> NullTranslations:
    path = HERE / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it: for texts kept in tables at import
    time and passed to gettext when a reply is written (pybabel runs with `-k N_`)."""
    return message


def gettext(lang: str, message: str, **values: object) -> str:
    text = translations(lang if lang in LANGUAGES else DEFAULT_LANGUAGE).gettext(message)
    return text.format(**values) if values else text


_VIETNAMESE_LETTERS = re.compile(r"[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)
_WORD = re.compile(r"[a-z']+")


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    lines = (HERE / "english_words.txt").read_text(encoding="utf-8").split()
    return frozenset(w.strip().lower() for w in lines if w.strip())


def detect_language(text: str) -> str | None:
    """'vi' or 'en' when the text says so clearly; None when it cannot tell (keep the current one)."""
    if not text:
        return None
    if _VIETNAMESE_LETTERS.search(text):
        return "vi"
    words = _WORD.findall(text.lower())
    if len(words) < 2:
        return None
    english = sum(w in _english_words() for w in words)
    if english / len(words) >= 0.5:
        return "en"
    if english / len(words) <= 0.2:
        return "vi"
    return None
