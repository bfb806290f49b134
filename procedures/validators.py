"""Checking what a resident types into a prefill field: dates, ID numbers, phones, names.

Each validator takes the raw text and returns a `Checked`: the clean value to store, or the
msgid of a clear error to show. Messages are English msgids, translated by i18n.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from i18n import N_
from knowledge.normalize import strip_diacritics


@dataclass(frozen=True)
class Checked:
    value: str | None = None
    error: str | None = None  # an English msgid, shown through gettext
    warning: str | None = None  # accepted, but the resident should know (an English msgid)

    @property
    def ok(self) -> bool:
        return self.error is None


DATE_ERROR = N_("I could not read that date. Please write it as day/month/year, for example 12/3/2024.")
ID_ERROR = N_("The personal identification number has exactly 12 digits (it is printed on the chip ID card). Please check it and type it again.")
PHONE_ERROR = N_("That does not look like a Vietnamese mobile number. Please type 10 digits starting with 0 (for example 0912345678), or +84 followed by 9 digits.")
NAME_ERROR = N_("Please type the full name in letters only, for example Nguyễn Văn An.")
NAME_WITHOUT_DIACRITICS = N_("Noted. The name has no diacritics: the portal and the papers need it written exactly as on "
                             "the ID card, with diacritics (for example Nguyễn, not Nguyen). You can correct it when I "
                             "show the summary.")
TEXT_ERROR = N_("Please type a little more (at least 2 letters).")
FUTURE_ERROR = N_("That date is in the future. Please check it and type it again.")
TOO_OLD_ERROR = N_("That date is too long ago. Please check the year and type it again.")

_SEPARATED = re.compile(r"^(\d{1,2})\s*[/.\-\s]\s*(\d{1,2})\s*[/.\-\s]\s*(\d{2}|\d{4})$")
_WORDS = re.compile(r"^(?:ngay\s*)?(\d{1,2})\s*(?:thang|/|-|\.)\s*(\d{1,2})\s*(?:nam|/|-|\.)\s*(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_MONTHS_EN = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_EN_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3})[a-z]*\.?,?\s+(\d{4})$")
_EN_MONTH_DAY = re.compile(r"^([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")

# Mobile prefixes after the 0 (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile, Itelecom,
# Reddi, Wintel...): the 10-digit plan in force since the 2018 conversion.
MOBILE_PREFIXES = frozenset({
    "32", "33", "34", "35", "36", "37", "38", "39", "86", "96", "97", "98",
    "81", "82", "83", "84", "85", "88", "91", "94",
    "70", "76", "77", "78", "79", "89", "90", "93",
    "52", "56", "58", "92", "59", "99", "87", "55",
})


def _two_digit_year(year: int, today: date) -> int:
    """'24' → 2024, '85' → 1985: the most recent year not in the future."""
    full = 2000 + year
    return full if full <= today.year else 1900 + year


def parse_date(text: str, today: date | None = None) -> date | None:
    """A date in any common form residents type: 12/3/2024, 12-03-24, 12.3.2024,
    'ngày 12 tháng 3 năm 2024', 2024-03-12, 12032024, '12 March 2024'. None when unreadable."""
    today = today or date.today()
    plain = " ".join(strip_diacritics(unicodedata.normalize("NFC", text or "")).lower().split())
    plain = plain.strip(" .,")
    for pattern, order in ((_WORDS, "dmy"), (_SEPARATED, "dmy"), (_ISO, "ymd"), (_COMPACT, "dmy")):
        found = pattern.match(plain)
        if found:
            parts = dict(zip(order, (int(g) for g in found.groups())))
            return _make_date(parts["d"], parts["m"], parts["y"], today)
    return _english_date(plain, today)


def _english_date(plain: str, today: date) -> date | None:
    found = _EN_DAY_MONTH.match(plain)
    if found:
        day, month, year = found.group(1), found.group(2), found.group(3)
    else:
        found = _EN_MONTH_DAY.match(plain)
        if not found:
            return None
        month, day, year = found.group(1), found.group(2), found.group(3)
    if month not in _MONTHS_EN:
        return None
    return _make_date(int(day), _MONTHS_EN[month], int(year), today)


def _make_date(day: int, month: int, year: int, today: date) -> date | None:
    if year < 100:
        year = _two_digit_year(year, today)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def check_date(text: str, today: date | None = None, past_only: bool = True) -> Checked:
    today = today or date.today()
    parsed = parse_date(text, today)
    if parsed is None:
        return Checked(error=DATE_ERROR)
    if past_only and parsed > today:
        return Checked(error=FUTURE_ERROR)
    if parsed.year < 1900:
        return Checked(error=TOO_OLD_ERROR)
    return Checked(value=parsed.strftime("%d/%m/%Y"))


def check_personal_id(text: str) -> Checked:
    """The 12-digit personal identification number (số định danh cá nhân / số CCCD)."""
    digits = re.sub(r"[\s.\-]", "", text or "")
    if not re.fullmatch(r"\d{12}", digits):
        return Checked(error=ID_ERROR)
    return Checked(value=digits)


def check_phone(text: str) -> Checked:
    """A Vietnamese mobile number: 0xxxxxxxxx or +84xxxxxxxxx; stored as 0xxxxxxxxx."""
    compact = re.sub(r"[\s.\-()]", "", text or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("84") and len(compact) == 11:
        compact = "0" + compact[2:]
    if not re.fullmatch(r"0\d{9}", compact) or compact[1:3] not in MOBILE_PREFIXES:
        return Checked(error=PHONE_ERROR)
    return Checked(value=compact)


def check_name(text: str) -> Checked:
    """A person's full name: letters, spaces, hyphens and apostrophes; capitalised word by word."""
    name = " ".join(unicodedata.normalize("NFC", text or "").split())
    letters_only = all(ch.isalpha() or ch in " -'" for ch in name)
    if not letters_only or len(name.replace(" ", "")) < 2 or len(name) > 100:
        return Checked(error=NAME_ERROR)
    value = " ".join("-".join(_capital(part) for part in word.split("-")) for word in name.split(" "))
    bare = strip_diacritics(name) == name and len(name.split()) > 1  # "tran thi hoa": accepted, with a word
    return Checked(value=value, warning=NAME_WITHOUT_DIACRITICS if bare else None)


def _capital(word: str) -> str:
    return word[:1].upper() + word[1:].lower()


def check_text(text: str) -> Checked:
    """Free text such as a place of birth: at least two letters, at most 200 characters."""
    value = " ".join(unicodedata.normalize("NFC", text or "").split())[:200]
    if sum(ch.isalpha() for ch in value) < 2:
        return Checked(error=TEXT_ERROR)
    return Checked(value=value)


VALIDATORS = {
    "date": check_date,
    "personal_id": check_personal_id,
    "phone": check_phone,
    "name": check_name,
    "text": check_text,
    "place": check_text,  # a place name; the flow also maps it to the current commune
}


def check(kind: str, text: str) -> Checked:
    """Validate `text` as a field of the given kind (see VALIDATORS)."""
    return VALIDATORS[kind](text)
