"""Status lookup by application code, and place names after the 2025 reorganisation."""
from __future__ import annotations

import pytest

from bot.handlers.status_lookup import application_code
from procedures import communes


@pytest.mark.parametrize("text, code", [
    ("mã hồ sơ H26.107-250312-0001", "H26.107-250312-0001"),
    ("tra cuu ho so 000.00.31.H26-250101-0001 giup em", "000.00.31.H26-250101-0001"),
    ("my application code is G15-2025-123456", "G15-2025-123456"),
    ("số điện thoại 0912345678", None),
    ("012345678901", None),
    ("mã hồ sơ 123", None),
])
def test_application_codes(text, code):
    assert application_code(text) == code


def test_status_lookup_gives_the_portal_link_and_meanings(chat):
    resident = chat()
    resident.say("tra cứu mã hồ sơ H26.107-250312-0001")
    assert "H26.107-250312-0001" in resident.text
    assert "Yêu cầu bổ sung" in resident.text and "Từ chối giải quyết" in resident.text
    assert [b["url"] for b in resident.buttons] == ["https://dichvucong.gov.vn/tra-cuu-ho-so"]
    english = chat()
    english.say("what is the status of my application code G15-2025-123456")
    assert "More papers needed" in english.text
    assert all("G15" not in b["url"] for b in english.buttons)  # the code never goes into the URL


def test_installed_data_is_the_2025_two_level_list():
    assert communes.counts() == (34, 3321)


@pytest.mark.parametrize("text, ward, province, converted", [
    ("Phường Hoàn Kiếm, Hà Nội", "Phường Hoàn Kiếm", "Thành phố Hà Nội", False),
    ("xa phu ho, hue", "Xã Phú Hồ", "Thành phố Huế", False),
    ("xã Phú Xuân, huyện Phú Vang, tỉnh Thừa Thiên Huế", "Xã Phú Hồ", "Thành phố Huế", True),
    ("phuong 1 quan 3 tp hcm", "Phường Bàn Cờ", "Thành phố Hồ Chí Minh", True),
])
def test_place_names_map_to_the_current_commune(text, ward, province, converted):
    place = communes.resolve(text)
    assert (place.ward, place.province, place.converted) == (ward, province, converted)


@pytest.mark.parametrize("text", ["", "Bệnh viện Từ Dũ", "asdf"])
def test_unknown_places(text):
    assert communes.resolve(text) is None
