"""Header variants and the values of a 12345 sheet, one cell at a time (no database)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from wuye_desktop.errors import ValidationError
from wuye_desktop.services.hotline import columns as col


@pytest.mark.parametrize(("header", "field"), [
    ("工单编号", "order_no"), ("工单号", "order_no"), ("编号", "order_no"), ("*工单编号：", "order_no"),
    ("来电人", "caller"), ("诉求人", "caller"), ("诉求人姓名", "caller"),
    ("联系电话", "phone"), ("电话", "phone"), ("联系方式（手机）", "phone"), ("诉求人联系电话", "phone"),
    ("受理时间", "received_at"), ("来电时间", "received_at"), ("来电时间(必填)", "received_at"),
    ("主要内容", "content"), ("诉求内容", "content"), ("办理时限", "due_at"), ("回访满意度", "satisfaction"),
    ("市民工单编号", "order_no"), ("序号", None), ("备注", None), ("", None),
])
def test_headers_and_their_variants(header: str, field: str | None) -> None:
    found = col.match_field(header)
    assert (found[0] if found else None) == field


def test_each_column_and_field_is_used_once_exact_names_first() -> None:
    mapping = col.guess_mapping(["编号", "工单编号", "电话", "联系电话", "来电人", "内容"])
    assert mapping == {"order_no": 1, "phone": 3, "caller": 4, "content": 5}


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026年3月5日", datetime(2026, 3, 5)), ("2026/3/5", datetime(2026, 3, 5)),
    ("2026-03-05 09:30", datetime(2026, 3, 5, 9, 30)), ("2026年3月5日 9时30分", datetime(2026, 3, 5, 9, 30)),
    ("2026.3.5 9:30:15", datetime(2026, 3, 5, 9, 30, 15)), ("20260305", datetime(2026, 3, 5)),
    ("２０２６－０３－０５　０９：３０", datetime(2026, 3, 5, 9, 30)),
    ("2026-03-05T09:30:00", datetime(2026, 3, 5, 9, 30)),
    (46086.395833333, datetime(2026, 3, 5, 9, 30)), ("46086", datetime(2026, 3, 5)),
    (datetime(2026, 3, 5, 9, 29, 59, 999_900), datetime(2026, 3, 5, 9, 30)), (date(2026, 3, 5), datetime(2026, 3, 5)),
    ("", None), (None, None),
])
def test_dates_in_every_form_the_platforms_write(raw: object, expected: datetime | None) -> None:
    assert col.moment(raw, "受理时间") == expected


@pytest.mark.parametrize(("raw", "message"), [
    ("2026-02-30", "不存在"), ("下周一", "无法识别"), ("2026-03-05 上午", "时间部分无法识别"),
    ("2026-03-05 25:00", "不存在"),
])
def test_bad_dates_say_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        col.moment(raw, "受理时间")


def test_numbers_stored_as_text_floats_or_full_width() -> None:
    assert col.code(2026100300012.0, "工单编号") == "2026100300012"
    assert col.code(" ＧＤ２０２６ 001 ", "工单编号") == "GD2026001"
    with pytest.raises(ValidationError, match="科学计数法"):
        col.code("2.02610E+12", "工单编号")
    assert col.phone(13812345678, "联系电话") == "13812345678"
    assert col.phone("１３８１２３４５６７８ / 0714-6251234", "联系电话") == "13812345678"
    assert col.phone("", "联系电话") == ""
    assert col.text(3.0) == "3" and col.text(3.5) == "3.5"


def test_deadlines_and_working_days() -> None:
    received = datetime(2026, 10, 9, 14, 0)  # a Friday
    assert col.deadline("15个工作日", received, "办理时限") == 15
    assert col.deadline("7天", received, "办理时限") == datetime(2026, 10, 16, 23, 59, 59)
    assert col.deadline("2026-10-20 17:00", received, "办理时限") == datetime(2026, 10, 20, 17, 0)
    assert col.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 12)
    assert col.add_working_days(date(2026, 10, 9), 5) == date(2026, 10, 16)
    table = {"咨询": 2, "投诉": 15, "其他": 10}
    assert (col.due_days(table, "咨询"), col.due_days(table, "投诉类"), col.due_days(table, "表扬")) == (2, 15, 10)


def test_satisfaction_words() -> None:
    assert [col.satisfaction(v, "满意度") for v in ("满意", "非常满意", "一般", "不满意", "")] == [
        "满意", "满意", "基本满意", "不满意", ""]
