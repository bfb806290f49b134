"""Links to the national public-service portal (dichvucong.gov.vn), by procedure.

The portal was rebuilt in 2025–2026: the old /p/home/...?ma_thu_tuc= links show an empty
page. A procedure's page is now /thu-tuc-hanh-chinh/<formalityId>; when only the national
code is known, the portal's search by code is the safe fallback (procedures.md §1.6).
Only non-personal parameters ever go into these URLs.
"""
from __future__ import annotations

from urllib.parse import urlencode

DEFAULT_BASE = "https://dichvucong.gov.vn"


def build_portal_link(content: dict, base: str = DEFAULT_BASE) -> str | None:
    """The best official link for a procedure entry, or None when it has no known code or page."""
    if content.get("portal_url"):
        return content["portal_url"]
    base = base.rstrip("/")
    if content.get("formality_id"):
        return f"{base}/thu-tuc-hanh-chinh/{content['formality_id']}"
    if content.get("code"):
        return f"{base}/tim-kiem-thu-tuc-hanh-chinh?{urlencode({'keyword': content['code']})}"
    return None


def status_lookup_link(base: str = DEFAULT_BASE) -> str:
    return f"{base.rstrip('/')}/tra-cuu-ho-so"
