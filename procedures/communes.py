"""Place names after the July 2025 reorganisation (two levels: province → commune/ward).

Residents still write their old commune, district and province. `resolve` reads a place name,
converts an old three-level address to the current commune with `vietnamadminunits`
(old→new converter) and checks the result against `vietnam-provinces` (the National Statistics
Office list of 34 provinces and 3,321 communes/wards after 1 July 2025).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import vietnam_provinces as vp
from vietnamadminunits import convert_address, parse_address

from knowledge.normalize import normalize_vietnamese

# Words that only exist in pre-2025 addresses: a district level.
_DISTRICT_WORDS = (" huyen ", " quan ", " thi xa ", " tx ", " h ")


@dataclass(frozen=True)
class Place:
    ward: str  # "Xã Phú Hồ"
    province: str  # "Thành phố Huế"
    ward_code: int  # National Statistics Office code
    converted: bool  # True when the resident wrote a pre-2025 address

    @property
    def label(self) -> str:
        return f"{self.ward}, {self.province}"


def _looks_old(text: str) -> bool:
    return any(word in f" {normalize_vietnamese(text).plain} " for word in _DISTRICT_WORDS)


def _official(unit, converted: bool) -> Place | None:
    """The unit in vietnam-provinces that the parser's result names, or None if none is current.
    The converter's codes sometimes differ from the statistics office's, so the name within
    the province decides when the code does not."""
    if unit is None or not unit.ward or not unit.province:
        return None
    ward = _by_name(unit.ward, unit.province)
    if ward is None:
        return None
    province = vp.Province.from_code(ward.province_code)
    return Place(ward=ward.name, province=province.name, ward_code=int(ward.code), converted=converted)


def _key(name: str) -> str:
    return normalize_vietnamese(name).plain


@lru_cache(maxsize=1)
def _wards() -> dict[tuple[str, str], "vp.Ward"]:
    provinces = {p.code: _key(p.name) for p in vp.Province.iter_all()}
    return {(_key(w.name), provinces[w.province_code]): w for w in vp.Ward.iter_all()}


def _by_name(ward: str, province: str):
    return _wards().get((_key(ward), _key(province)))


def _parsed(text: str) -> Place | None:
    try:
        return _official(parse_address(text), converted=False)
    except Exception:  # the parser raises on text it cannot split; that is "not a place"
        return None


def _converted(text: str) -> Place | None:
    try:
        return _official(convert_address(text), converted=True)
    except Exception:  # same: unreadable as an old address
        return None


def resolve(text: str | None) -> Place | None:
    """The current commune/ward a place name means, or None when it cannot tell."""
    if not text or not text.strip():
        return None
    attempts = (_converted, _parsed) if _looks_old(text) else (_parsed, _converted)
    for attempt in attempts:
        place = attempt(text)
        if place is not None:
            return place
    return None


def counts() -> tuple[int, int]:
    """(provinces, communes) in the installed vietnam-provinces data: 34 and 3,321 after 2025."""
    return len(list(vp.Province.iter_all())), len(list(vp.Ward.iter_all()))
