"""What a clerk sees when typing IDs, phones, dates and sums into a form."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from wuye_desktop.errors import ValidationError
from wuye_desktop.services.validation import (
    amount,
    birth_date_from_id,
    credit_code,
    gender_from_id,
    is_mobile,
    mask_address,
    mask_id,
    mask_phone,
    parse_date,
    parse_month,
    phone,
    resident_id,
)

GB11643_EXAMPLE = "11010519491231002X"  # the example printed in GB 11643-1999
GB32100_EXAMPLE = "91110000600037341L"  # the example printed in GB 32100-2015
TODAY = date(2026, 6, 1)


def refusal(func: Callable[..., Any], value: str, field: str, **kwargs: Any) -> str:
    """Call ``func`` expecting a refusal keyed by ``field``; return its message."""
    with pytest.raises(ValidationError) as caught:
        func(value, field=field, **kwargs)
    assert list(caught.value.errors) == [field]
    message = caught.value.errors[field]
    assert message and message == caught.value.message
    return message


# --- 居民身份证号码 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (GB11643_EXAMPLE, GB11643_EXAMPLE),
        ("11010519491231002x", GB11643_EXAMPLE),  # lower-case x
        ("１１０１０５１９４９１２３１００２Ｘ", GB11643_EXAMPLE),  # full-width IME input
        ("\u3000110105 19491231 002x ", GB11643_EXAMPLE),  # ideographic space, grouped
        ("110105194912310011", "110105194912310011"),
        ("460108198001010015", "460108198001010015"),  # Hainan, born before the province existed
    ],
)
def test_resident_id_accepts_and_normalises(typed: str, stored: str) -> None:
    assert resident_id(typed, today=TODAY) == stored


def test_resident_id_wrong_check_character() -> None:
    message = refusal(resident_id, "110105194912310021", "party_id", today=TODAY)
    assert "校验" in message and "最后一位" in message


def test_resident_id_old_15_digit_number_asks_for_18() -> None:
    message = refusal(resident_id, "110105491231002", "id_number")
    assert "15位" in message and "18位" in message


@pytest.mark.parametrize(("typed", "count"), [("1101051949123100", "16"), ("11010519491231002X1", "19")])
def test_resident_id_wrong_length_says_how_many(typed: str, count: str) -> None:
    message = refusal(resident_id, typed, "id_number")
    assert "18位" in message and f"{count}位" in message


def test_resident_id_letters_in_the_middle() -> None:
    message = refusal(resident_id, "11010519A91231002X", "id_number")
    assert "数字" in message and "X" in message


def test_resident_id_impossible_birth_date_reported_before_checksum() -> None:
    message = refusal(resident_id, "11010519491331002X", "id_number", today=TODAY)
    assert "出生日期" in message and "1949-13-31" in message
    assert "校验" not in message


def test_resident_id_february_30th() -> None:
    message = refusal(resident_id, "110105194902300020", "id_number", today=TODAY)
    assert "1949-02-30" in message and "不存在" in message


def test_resident_id_birth_date_in_the_future() -> None:
    message = refusal(resident_id, "110105203001010028", "id_number", today=TODAY)
    assert "2030-01-01" in message and "晚于今天" in message
    assert resident_id("110105203001010028", today=date(2030, 1, 1)) == "110105203001010028"


def test_resident_id_empty() -> None:
    assert "请填写" in refusal(resident_id, "  ", "id_number")


def test_birth_date_and_gender_from_id() -> None:
    assert birth_date_from_id(GB11643_EXAMPLE) == date(1949, 12, 31)
    assert gender_from_id(GB11643_EXAMPLE) == "女"  # sequence 002
    assert gender_from_id("110105194912310011") == "男"  # sequence 001
    assert "校验" in refusal(gender_from_id, "110105194912310021", "id_number")


# --- 统一社会信用代码 -------------------------------------------------------


@pytest.mark.parametrize("typed", [GB32100_EXAMPLE, "91110000600037341l", " 911100006000 37341Ｌ\u3000"])
def test_credit_code_accepts_and_upper_cases(typed: str) -> None:
    assert credit_code(typed) == GB32100_EXAMPLE


def test_credit_code_wrong_check_character() -> None:
    message = refusal(credit_code, "91110000600037341A", "org_code")
    assert "校验" in message


def test_credit_code_wrong_length() -> None:
    message = refusal(credit_code, "9111000060003734", "credit_code")
    assert "18位" in message and "16位" in message


@pytest.mark.parametrize(("typed", "bad"), [("9111000060003734IL", "I"), ("91110000600O37341L", "O")])
def test_credit_code_letters_not_used_by_the_standard(typed: str, bad: str) -> None:
    message = refusal(credit_code, typed, "credit_code")
    assert f"“{bad}”" in message and "I、O、Z、S、V" in message


# --- 电话 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0086 13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("１９９１２３４５６７８", "19912345678"),
        ("0571-88776655", "0571-88776655"),
        ("057188776655", "0571-88776655"),
        ("(0571)88776655", "0571-88776655"),
        ("（0571）8877 6655", "0571-88776655"),
        ("0571-8877-6655", "0571-88776655"),
        ("0571-88776655-123", "0571-88776655-123"),
        ("0571-88776655转123", "0571-88776655-123"),
        ("01088776655", "010-88776655"),  # Beijing's code has three digits, not 0108
        ("020-8877665", "020-8877665"),
        ("88776655", "88776655"),
        ("8877665", "8877665"),
    ],
)
def test_phone_accepted_forms(typed: str, stored: str) -> None:
    assert phone(typed) == stored


@pytest.mark.parametrize(("typed", "count"), [("1381234567", "10"), ("138123456789", "12")])
def test_phone_mobile_wrong_length(typed: str, count: str) -> None:
    message = refusal(phone, typed, "phone")
    assert "11位" in message and f"{count}位" in message


def test_phone_mobile_bad_second_digit() -> None:
    assert "第二位" in refusal(phone, "12812345678", "phone")


@pytest.mark.parametrize("typed", ["abc", "0571-887766", "0571-1234567", "138一二三四5678"])
def test_phone_unrecognised_names_both_forms(typed: str) -> None:
    message = refusal(phone, typed, "contact_phone")
    assert "手机" in message and "座机" in message and "区号" in message


def test_phone_empty() -> None:
    assert "请填写" in refusal(phone, "\u3000", "phone")


def test_is_mobile() -> None:
    assert is_mobile("+86 138 1234 5678")
    assert not is_mobile("0571-88776655")
    assert not is_mobile("1381234567")


# --- 日期与月份 ---------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "2026-10-05",
        "2026-10-5",
        "2026/10/05",
        "2026.10.05",
        "20261005",
        "2026年10月5日",
        "2026年10月05日",
        "２０２６年１０月５日",
        " 2026-10-05\u3000",
    ],
)
def test_parse_date_accepted_forms(typed: str) -> None:
    assert parse_date(typed) == date(2026, 10, 5)


@pytest.mark.parametrize("typed", ["2026-02-30", "2026-13-01", "20261332", "2026年2月29日"])
def test_parse_date_impossible_dates_show_input_and_example(typed: str) -> None:
    message = refusal(parse_date, typed, "signed_on")
    assert typed in message and "不存在" in message and "2026-10-05" in message


def test_parse_date_leap_day() -> None:
    assert parse_date("2028-02-29") == date(2028, 2, 29)


@pytest.mark.parametrize("typed", ["明天", "10/05/2026", "2026-10", "2026/10-05"])
def test_parse_date_unrecognised(typed: str) -> None:
    message = refusal(parse_date, typed, "date")
    assert typed in message and "2026-10-05" in message


@pytest.mark.parametrize("typed", ["2026-10", "2026/10", "202610", "2026年10月", "２０２６年１０月"])
def test_parse_month_accepted_forms(typed: str) -> None:
    assert parse_month(typed) == (2026, 10)


@pytest.mark.parametrize("typed", ["2026-13", "2026-00", "202600"])
def test_parse_month_impossible(typed: str) -> None:
    message = refusal(parse_month, typed, "fee_month")
    assert typed in message and "1至12" in message


def test_parse_month_unrecognised() -> None:
    assert "2026-10" in refusal(parse_month, "十月", "month")


# --- 金额 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("1234", "1234.00"),
        ("1,234.50", "1234.50"),
        ("１２３４．５", "1234.50"),
        ("1234.5元", "1234.50"),
        ("¥1234", "1234.00"),
        ("￥1,234", "1234.00"),
        ("0", "0.00"),
        ("999999999999.99", "999999999999.99"),
    ],
)
def test_amount_accepted_forms(typed: str, value: str) -> None:
    result = amount(typed)
    assert result == Decimal(value)
    assert result is not None and result.as_tuple().exponent == -2  # stored to the 分


def test_amount_empty() -> None:
    assert amount("") is None
    assert amount("\u3000") is None
    assert "请填写" in refusal(amount, "", "deposit", allow_empty=False)


@pytest.mark.parametrize("typed", ["-5", "-¥5", "¥-5"])
def test_amount_refuses_negative(typed: str) -> None:
    assert "负" in refusal(amount, typed, "arrears")


def test_amount_refuses_fractions_of_a_fen() -> None:
    assert "两位小数" in refusal(amount, "1.234", "amount")


@pytest.mark.parametrize("typed", ["abc", "1e3", "1,23", "12.3.4", "五百"])
def test_amount_refuses_non_numbers(typed: str) -> None:
    message = refusal(amount, typed, "amount")
    assert typed in message and "数字" in message


@pytest.mark.parametrize("typed", ["1000000000000", "1,000,000,000,000.00"])
def test_amount_refuses_a_trillion(typed: str) -> None:
    assert "过大" in refusal(amount, typed, "amount")


# --- 脱敏 -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("13812345678", "138****5678"),
        ("0571-88776655", "0571-****6655"),
        ("0571-88776655-123", "0571-****6655"),
        ("88776655", "****6655"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(stored: str | None, shown: str) -> None:
    assert mask_phone(stored) == shown


def test_mask_id() -> None:
    assert mask_id(GB11643_EXAMPLE) == "110***********002X"
    assert mask_id(GB11643_EXAMPLE).count("*") == 11
    assert mask_id("") == "" and mask_id(None) == ""


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("翠苑小区3栋2单元501室", "翠苑小区3栋****"),
        ("金色家园1幢101", "金色家园1幢****"),
        ("阳光花园12号楼3单元", "阳光花园12号楼****"),
        ("学院路28号院5室", "学院路28号****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_address(stored: str | None, shown: str) -> None:
    assert mask_address(stored) == shown
