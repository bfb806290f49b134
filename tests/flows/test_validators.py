"""Validators of prefill fields, case by case."""
from __future__ import annotations

from datetime import date

import pytest

from procedures import validators as v

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("text, expected", [
    ("12/3/2024", date(2024, 3, 12)),
    ("12/03/2024", date(2024, 3, 12)),
    ("12-03-24", date(2024, 3, 12)),
    ("12.3.2024", date(2024, 3, 12)),
    ("12 3 2024", date(2024, 3, 12)),
    ("ngày 12 tháng 3 năm 2024", date(2024, 3, 12)),
    ("Ngày 12 tháng 03 năm 2024.", date(2024, 3, 12)),
    ("ngay 12 thang 3 nam 2024", date(2024, 3, 12)),
    ("12 tháng 3 năm 2024", date(2024, 3, 12)),
    ("2024-03-12", date(2024, 3, 12)),
    ("12032024", date(2024, 3, 12)),
    ("12 March 2024", date(2024, 3, 12)),
    ("March 12, 2024", date(2024, 3, 12)),
    ("1/1/85", date(1985, 1, 1)),
    ("29/2/2024", date(2024, 2, 29)),
])
def test_dates_in_common_forms(text, expected):
    assert v.parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["31/2/2024", "29/2/2023", "12/13/2024", "hôm qua", "", "12/3", "3/12/20245", "abc 12"])
def test_unreadable_dates(text):
    assert v.parse_date(text, TODAY) is None
    assert v.check_date(text, TODAY).error == v.DATE_ERROR


def test_date_in_the_future_and_too_old():
    assert v.check_date("1/1/2027", TODAY).error == v.FUTURE_ERROR
    assert v.check_date("1/1/1850", TODAY).error == v.TOO_OLD_ERROR
    assert v.check_date("ngày 5 tháng 11 năm 2026", TODAY).value == "05/11/2026"


@pytest.mark.parametrize("text, expected", [
    ("012345678901", "012345678901"),
    ("0123 4567 8901", "012345678901"),
    ("012.345.678.901", "012345678901"),
    (" 001099012345 ", "001099012345"),
])
def test_personal_id_valid(text, expected):
    assert v.check_personal_id(text).value == expected


@pytest.mark.parametrize("text", ["01234567890", "0123456789012", "01234567890a", "", "số căn cước", "123456789"])
def test_personal_id_invalid(text):
    assert v.check_personal_id(text).error == v.ID_ERROR


@pytest.mark.parametrize("text, expected", [
    ("0912345678", "0912345678"),
    ("091 234 5678", "0912345678"),
    ("0912.345.678", "0912345678"),
    ("+84912345678", "0912345678"),
    ("+84 91 234 5678", "0912345678"),
    ("84912345678", "0912345678"),
    ("0362345678", "0362345678"),
    ("0862345678", "0862345678"),
    ("0702345678", "0702345678"),
    ("0592345678", "0592345678"),
])
def test_mobile_valid(text, expected):
    assert v.check_phone(text).value == expected


@pytest.mark.parametrize("text", ["0123456789", "0212345678", "091234567", "09123456789", "+8491234567",
                                  "+1 415 555 0100", "0012345678", "", "không có"])
def test_mobile_invalid(text):
    assert v.check_phone(text).error == v.PHONE_ERROR


@pytest.mark.parametrize("text, expected", [
    ("Nguyễn Văn An", "Nguyễn Văn An"),
    ("nguyễn   văn   an", "Nguyễn Văn An"),
    ("NGUYEN VAN AN", "Nguyen Van An"),
    ("Nguyễn Thị Hồng-Nhung", "Nguyễn Thị Hồng-Nhung"),
])
def test_names_valid(text, expected):
    assert v.check_name(text).value == expected


@pytest.mark.parametrize("text", ["123", "An 2", "A", "", "Nguyễn Văn An?", "x" * 101])
def test_names_invalid(text):
    assert v.check_name(text).error == v.NAME_ERROR


def test_text_and_dispatch():
    assert v.check_text("Bệnh viện Từ Dũ").value == "Bệnh viện Từ Dũ"
    assert v.check_text("1").error == v.TEXT_ERROR
    assert v.check("phone", "0912345678").ok and not v.check("personal_id", "12").ok
    assert v.check("place", "xã Phú Hồ").ok


def test_a_name_without_diacritics_is_accepted_with_a_word():
    bare = v.check_name("tran thi hoa")
    assert bare.ok and bare.value == "Tran Thi Hoa" and bare.warning == v.NAME_WITHOUT_DIACRITICS
    assert v.check_name("Trần Thị Hoa").warning is None
