"""The columns of a 12345 work-order sheet: header names and their variants, and reading each value.

Hotline platforms differ by city and by version, and clerks retype or
re-save the sheets, so headers come with decorations (``*工单编号``,
``来电时间(必填)``), numbers arrive as text or as floats, dates as text in
half a dozen forms or as Excel serial numbers, and digits typed with a
Chinese input method arrive full-width. Everything here turns one raw
cell into the value stored, or a Chinese message saying what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from wuye_desktop.errors import ValidationError
from wuye_desktop.services import settings, validation


@dataclass(frozen=True)
class Field:
    key: str  # the WorkOrder attribute
    label: str  # the header this program writes
    variants: tuple[str, ...]  # headers seen in the wild, the label first
    required: bool = False


FIELDS: tuple[Field, ...] = (
    Field("order_no", "工单编号", ("工单编号", "工单号", "编号", "工单编码", "工单流水号", "受理编号", "诉求编号",
                                "事项编号", "单号"), required=True),
    Field("caller", "来电人", ("来电人", "诉求人", "来电人姓名", "诉求人姓名", "反映人", "市民姓名", "来电市民",
                            "联系人", "姓名")),
    Field("phone", "联系电话", ("联系电话", "电话", "来电号码", "联系方式", "手机号码", "手机", "来电电话",
                             "诉求人电话", "联系号码")),
    Field("category", "诉求类别", ("诉求类别", "诉求类型", "工单类型", "工单类别", "诉求分类", "问题类型",
                               "业务类型", "类别", "类型")),
    Field("urgency", "紧急程度", ("紧急程度", "紧急度", "缓急程度", "是否紧急", "紧急状态", "优先级")),
    Field("channel", "受理渠道", ("受理渠道", "来源渠道", "诉求渠道", "来电渠道", "渠道", "来源")),
    Field("address", "事发地址", ("事发地址", "地址", "诉求地址", "问题地址", "发生地址", "事发地点", "地点",
                               "详细地址")),
    Field("content", "主要内容", ("主要内容", "诉求内容", "工单内容", "来电内容", "问题描述", "反映内容",
                               "诉求描述", "事项内容", "内容"), required=True),
    Field("received_at", "受理时间", ("受理时间", "来电时间", "登记时间", "创建时间", "受理日期", "来电日期",
                                   "诉求时间"), required=True),
    Field("dispatched_at", "派单时间", ("派单时间", "交办时间", "转办时间", "下派时间", "派发时间", "派单日期")),
    Field("due_at", "办理时限", ("办理时限", "办结时限", "处理时限", "限办时间", "截止时间", "到期时间",
                              "办理期限", "时限")),
    Field("finished_at", "办结时间", ("办结时间", "完成时间", "办结日期", "回复时间")),
    Field("result", "办理结果", ("办理结果", "处理结果", "办结结果")),
    Field("reply", "回复内容", ("回复内容", "答复内容", "处理意见", "办理情况", "回复意见", "处理情况", "答复意见")),
    Field("satisfaction", "回访满意度", ("回访满意度", "满意度", "满意度评价", "市民评价", "满意程度", "评价")),
)
BY_KEY = {f.key: f for f in FIELDS}
DATETIME_FIELDS = ("received_at", "dispatched_at", "finished_at")
MAX_LENGTH = {"order_no": 60, "caller": 60, "category": 20, "urgency": 20, "channel": 40, "address": 200,
              "result": 60, "satisfaction": 20}
SATISFACTION = {"满意": "满意", "非常满意": "满意", "很满意": "满意", "基本满意": "基本满意", "比较满意": "基本满意",
                "一般": "基本满意", "不满意": "不满意", "很不满意": "不满意", "非常不满意": "不满意"}
OTHER_TYPE = settings.HOTLINE_OTHER_TYPE  # the due-days row for a request type the table does not list

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DECORATION = re.compile(r"[\s*＊:：]|[（(][^）)]*[）)]")
_DATE = re.compile(r"(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*[日号]?")
_COMPACT_DATE = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})(?:(?P<H>\d{2})(?P<M>\d{2})(?P<S>\d{2})?)?")
_TIME = re.compile(r"(?:T|\s*)(?P<H>\d{1,2})\s*[:时点]\s*(?P<M>\d{1,2})?"
                   r"\s*(?:[:分]\s*(?P<S>\d{1,2}(?:\.\d+)?)\s*秒?)?分?")
_SERIAL = re.compile(r"\d{5}(?:\.\d+)?")
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?[eE]\+?\d+")
_DAYS = re.compile(r"(?P<n>\d{1,3})\s*(?:个)?\s*(?P<unit>工作日|工作天|自然日|天|日)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def fold(text: str) -> str:
    """Full-width letters, digits and spaces (from a Chinese input method) to ASCII."""
    return text.translate(_FULL_WIDTH)


def header_key(text: object) -> str:
    """A header without decorations: ``*来电时间（必填）：`` → ``来电时间``."""
    return _DECORATION.sub("", fold(str(text or ""))).lower()


def match_field(header: object) -> tuple[str, int] | None:
    """(field key, strength): a known variant is strong, the canonical name strongest; a header that
    merely starts or ends with a variant is weak (below 100), the longer the variant the stronger."""
    key = header_key(header)
    if not key:
        return None
    for f in FIELDS:
        if key in f.variants:
            return f.key, 1000 - f.variants.index(key)
    best: tuple[str, int] | None = None
    for f in FIELDS:
        for variant in f.variants:
            if len(variant) >= 2 and (key.startswith(variant) or key.endswith(variant)) \
                    and (best is None or len(variant) > best[1]):
                best = (f.key, len(variant))
    return best


def guess_mapping(headers: Sequence[object]) -> dict[str, int]:
    """Field key → column index: the strongest matches first, each column and field used once, left first."""
    found = [(index, match) for index, h in enumerate(headers) if (match := match_field(h)) is not None]
    mapping: dict[str, int] = {}
    for index, (key, _strength) in sorted(found, key=lambda item: (-item[1][1], item[0])):
        if key not in mapping and index not in mapping.values():
            mapping[key] = index
    return mapping


def header_score(cells: Sequence[object]) -> int:
    return len(guess_mapping(cells))


# -- values ------------------------------------------------------------------------------


def text(value: object) -> str:
    """A cell as text; a whole number Excel stored as a float loses its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value).strip()


def code(value: object, label: str) -> str:
    """An order number: digits and letters as typed, whatever width; never a float or 1.2E+13."""
    raw = re.sub(r"\s", "", fold(text(value)))
    if _SCIENTIFIC.fullmatch(raw):
        raise ValidationError.single(label, f"{label}“{raw}”被 Excel 显示成了科学计数法，后几位已丢失；"
                                            "请在原表中把这一列设为“文本”后重新导出")
    return raw


def phone(value: object, label: str) -> str:
    """The first number of the cell (some platforms list two, separated by / or ，)."""
    raw = fold(text(value))
    first = re.split(r"[/,，;；、]", raw)[0].strip()
    if not first:
        return ""
    return validation.phone(first, field=label)


def moment(value: object, label: str) -> datetime | None:
    """A date and time in any of the forms the platforms export, or an Excel date."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return _whole_second(value.replace(tzinfo=None))
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value), label)
    raw = fold(str(value)).strip()
    if _SERIAL.fullmatch(raw):
        return _from_serial(float(raw), label)
    found = _DATE.match(raw)
    rest = raw[found.end():] if found else ""
    parts: dict[str, Any] = found.groupdict() if found else {}
    if not found:
        compact = _COMPACT_DATE.fullmatch(raw)
        if compact is None:
            raise ValidationError.single(
                label, f"{label}“{raw}”无法识别，请写成 2026-03-05 09:30 或 2026年3月5日")
        parts, rest = compact.groupdict(), ""
    clock = _TIME.fullmatch(rest) if rest.strip() else None
    if rest.strip() and clock is None:
        raise ValidationError.single(label, f"{label}“{raw}”中的时间部分无法识别，请写成 09:30")
    if clock is not None:
        parts |= {k: v for k, v in clock.groupdict().items() if v is not None}
    try:
        return datetime(int(parts["y"]), int(parts["m"]), int(parts["d"]), int(parts.get("H") or 0),
                        int(parts.get("M") or 0), int(float(parts.get("S") or 0)))
    except ValueError:
        raise ValidationError.single(label, f"{label}“{raw}”不存在，请核对年月日和时间") from None


def _from_serial(serial: float, label: str) -> datetime:
    # 1 = 1900-01-01 in Excel's calendar; beyond 2958465 is after the year 9999.
    if not 1 <= serial <= 2958465:
        raise ValidationError.single(label, f"{label}“{serial:g}”不是日期")
    return _EXCEL_EPOCH + timedelta(seconds=round(serial * 86400))


def _whole_second(moment_: datetime) -> datetime:
    """Excel keeps times as fractions of a day: 09:30 may come back as 09:29:59.9999."""
    return (moment_ + timedelta(microseconds=500_000)).replace(microsecond=0)


def deadline(value: object, received: datetime | None, label: str) -> datetime | int | None:
    """办理时限: a moment, or a number of (working) days; an int means working days from acceptance."""
    if value is None or value == "":
        return None
    raw = fold(text(value)).strip()
    days = _DAYS.fullmatch(raw)
    if days and not isinstance(value, datetime | date):
        count = int(days["n"])
        if received is None:
            return count
        if days["unit"] in ("天", "日", "自然日"):
            return end_of_day(received.date() + timedelta(days=count))
        return count
    return moment(value, label)


def satisfaction(value: object, label: str) -> str:
    raw = header_key(value)
    if not raw:
        return ""
    if raw not in SATISFACTION:
        raise ValidationError.single(label, f"{label}“{text(value)}”应为“满意”“基本满意”或“不满意”")
    return SATISFACTION[raw]


# -- deadlines --------------------------------------------------------------------------------


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59))


def add_working_days(start: date, days: int) -> date:
    """Monday to Friday after ``start``; public holidays and their make-up days are not known here."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def due_days(table: dict[str, int], category: str) -> int:
    """Working days for a request type: its own row, a row its name contains (投诉类 → 投诉), or 其他."""
    if category in table:
        return table[category]
    for name, days in table.items():
        if name != OTHER_TYPE and name and name in category:
            return days
    return table[OTHER_TYPE]


