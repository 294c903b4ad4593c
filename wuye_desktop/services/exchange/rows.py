"""Rows of the exchange file: which tables travel, and how a row is written and read back.

A row leaves the room with its integer keys replaced by the ``uid`` of the row
they point at (rooms' integer keys collide at the county; uids do not) and
comes back with them replaced by the county's own keys. Values are written as
JSON: dates as ISO text, money as decimal text, codes as their English value.
Read back, every value is checked against its column before anything merges:
integers bounded, dates real and in a sane range, no time after the file was
made, texts no longer than their column, codes among their values, amounts
finite; a value that fails is a ``FieldError`` naming the table, row and field.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, Numeric, String, Table
from sqlalchemy import Enum as SAEnum

from wuye_desktop.models import (
    Agreement,
    AgreementClause,
    Assignment,
    Base,
    Building,
    CaseEvent,
    CaseParty,
    Committee,
    Community,
    ConsultationStep,
    DisputeSubtype,
    Estate,
    MediationCase,
    MediationRecord,
    Mediator,
    Party,
    PropertyCompany,
    ReturnVisit,
)


# In the order they are merged: every table after the ones it points at.
def _tables(*models: type[Base]) -> tuple[Table, ...]:
    return tuple(Base.metadata.tables[m.__tablename__] for m in models)


REFERENCE_TABLES = _tables(Committee, Community, PropertyCompany, Estate, Building, DisputeSubtype, Mediator, Party)
(CASE_TABLE,) = _tables(MediationCase)
# Rows that belong to one case (directly or through its agreement), replaced as a whole per case.
CHILD_TABLES = _tables(CaseParty, Assignment, ConsultationStep, MediationRecord, Agreement, AgreementClause,
                       ReturnVisit)
(EVENT_TABLE,) = _tables(CaseEvent)
ALL_TABLES: tuple[Table, ...] = (*REFERENCE_TABLES, CASE_TABLE, *CHILD_TABLES, EVENT_TABLE)
TABLE_NAMES = {t.name for t in ALL_TABLES}

# References that do not travel: the county keeps its own step list and steps carry their name.
DROPPED_REFERENCES = {("consultation_step", "template_id")}
# The bounds every value of a file is checked against before anything merges.
INT_MAX = 2**31 - 1  # PostgreSQL's integer
TEXT_LIMIT = 200_000  # characters of one long text; the forms allow 20,000 for a record's parts
EARLIEST = datetime(1900, 1, 1)
CLOCK_ALLOWANCE = timedelta(days=1)  # two PCs' clocks, time zones, a step noted later the same day
LATEST_DATE_AHEAD = timedelta(days=3660)  # deadlines lie ahead: ten years at most

# What each table is called in messages to the user.
LABELS = {
    "committee": "调委会", "community": "社区", "property_company": "物业企业", "estate": "小区",
    "building": "楼栋", "dispute_subtype": "纠纷类别", "mediator": "调解员", "party": "当事人",
    "mediation_case": "案件", "case_party": "案件当事人", "assignment": "调解员指派",
    "consultation_step": "议事协商记录", "mediation_record": "调查/调解记录", "agreement": "调解协议",
    "agreement_clause": "协议条款", "return_visit": "回访记录", "case_event": "案件经过",
}


def reference_of(column: Column[Any]) -> str | None:
    """The table an integer foreign key points at, or None for an ordinary column."""
    for fk in column.foreign_keys:
        return str(fk.column.table.name)
    return None


def to_json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def dump(table: Table, row: Any, uids: dict[str, dict[int, str]]) -> dict[str, Any]:
    """One database row as written to the file: no ``id``, references as uids."""
    out: dict[str, Any] = {}
    mapping = row._mapping
    for column in table.columns:
        if column.name == "id":
            continue
        value = mapping[column.name]
        target = reference_of(column)
        if target is not None:
            if (table.name, column.name) in DROPPED_REFERENCES or value is None:
                out[column.name] = None
            else:
                out[column.name] = uids[target][value]
        else:
            out[column.name] = to_json(value)
    return out


@dataclass(frozen=True)
class Bounds:
    """The latest time and date a value of one file may hold: its own creation (and a day of clock allowance)."""

    latest: datetime

    @classmethod
    def of_file(cls, created: datetime) -> Bounds:
        return cls(created + CLOCK_ALLOWANCE)


class FieldError(ValueError):
    """A value of the file that its column cannot take: which table, row (from 1) and field, and why."""

    def __init__(self, table: str, row: int, field: str, reason: str) -> None:
        super().__init__(f"{table}[{row}].{field}: {reason}")
        self.table, self.row, self.field, self.reason = table, row, field, reason

    def message(self, file: str) -> str:
        where = f"{LABELS.get(self.table, self.table)}（{self.table}）第 {self.row} 行"
        return f"文件“{file}”中{where}的字段 {self.field}{self.reason}，没有导入任何数据。"


def load(table: Table, row: object, index: int, bounds: Bounds) -> dict[str, Any]:
    """A row from the file as column values, references still as uids; every value checked (``FieldError``)."""
    if not isinstance(row, dict):
        raise FieldError(table.name, index, "（整行）", "不是一条记录")
    columns = {c.name: c for c in table.columns if c.name != "id"}
    for name in row:
        if name not in columns:
            raise FieldError(table.name, index, str(name)[:40], "不是本程序认识的字段")
    values: dict[str, Any] = {}
    for name, column in columns.items():
        if name not in row:
            raise FieldError(table.name, index, name, "缺失")
        try:
            values[name] = _value(column, row[name], bounds)
        except _RefusedError as refused:
            raise FieldError(table.name, index, name, str(refused)) from None
    return values


class _RefusedError(Exception):
    """Why a value cannot be taken (the reason, in Chinese)."""


def _value(column: Column[Any], raw: Any, bounds: Bounds) -> Any:
    """The Python value ``column`` takes from what ``to_json`` wrote, or ``_RefusedError``."""
    if raw is None:
        if not column.nullable:
            raise _RefusedError("不能为空")
        return None
    if reference_of(column) is not None:
        return None if (column.table.name, column.name) in DROPPED_REFERENCES else _text(raw, 32)
    kind = column.type
    if isinstance(kind, SAEnum) and kind.enum_class is not None:
        if not isinstance(raw, str) or raw not in {m.value for m in kind.enum_class}:
            raise _RefusedError(f"不是本程序认识的取值（文件中是{_shown(raw)}）")
        return kind.enum_class(raw)
    if isinstance(kind, Boolean):
        if not isinstance(raw, bool):
            raise _RefusedError(f"应为 true 或 false（文件中是{_shown(raw)}）")
        return raw
    if isinstance(kind, Integer):
        low = 1 if column.name == "version" else 0
        if isinstance(raw, bool) or not isinstance(raw, int):
            raise _RefusedError(f"应为整数（文件中是{_shown(raw)}）")
        if not low <= raw <= INT_MAX:
            raise _RefusedError(f"超出允许的范围 {low}～{INT_MAX}（文件中是{_shown(raw)}）")
        return raw
    if isinstance(kind, DateTime):
        when = _parsed(raw, datetime.fromisoformat, "时间")
        if when.tzinfo is not None or when < EARLIEST:
            raise _RefusedError(f"不是合理的时间（文件中是{_shown(raw)}）")
        if when > bounds.latest:
            raise _RefusedError(f"的时间 {when:%Y-%m-%d %H:%M} 晚于文件的导出时间")
        return when
    if isinstance(kind, Date):
        day = _parsed(raw, date.fromisoformat, "日期")
        if not EARLIEST.date() <= day <= bounds.latest.date() + LATEST_DATE_AHEAD:
            raise _RefusedError(f"的日期 {day.isoformat()} 不在合理的范围内")
        return day
    if isinstance(kind, Numeric):
        return _amount(kind, raw)
    if isinstance(kind, JSON):
        if not isinstance(raw, dict | list) or len(json.dumps(raw, ensure_ascii=False)) > TEXT_LIMIT:
            raise _RefusedError("不是有效的内容")
        return json.loads(json.dumps(raw))
    if isinstance(kind, String):
        text = _text(raw, kind.length or TEXT_LIMIT)
        if column.name == "uid" and not text:
            raise _RefusedError("不能为空")
        return text
    raise _RefusedError("的类型本程序无法核对")  # a column type added without a check here


def _text(raw: Any, limit: int) -> str:
    if not isinstance(raw, str):
        raise _RefusedError(f"应为文字（文件中是{_shown(raw)}）")
    if len(raw) > limit:
        raise _RefusedError(f"过长（{len(raw)} 字，最多 {limit} 字）")
    return raw


def _parsed(raw: Any, parse: Any, what: str) -> Any:
    if not isinstance(raw, str) or len(raw) > 40:
        raise _RefusedError(f"不是有效的{what}（文件中是{_shown(raw)}）")
    try:
        return parse(raw)
    except ValueError:
        raise _RefusedError(f"不是有效的{what}（文件中是{_shown(raw)}）") from None


def _amount(kind: Numeric[Any], raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, str | int) or len(str(raw)) > 40:
        raise _RefusedError(f"不是有效的金额（文件中是{_shown(raw)}）")
    try:
        value = Decimal(str(raw))
    except ArithmeticError:
        raise _RefusedError(f"不是有效的金额（文件中是{_shown(raw)}）") from None
    scale = kind.scale or 0
    limit = Decimal(10) ** ((kind.precision or 14) - scale)
    exponent = value.as_tuple().exponent
    if not value.is_finite() or not isinstance(exponent, int) or exponent < -scale or not 0 <= value < limit:
        raise _RefusedError(f"不是有效的金额（文件中是{_shown(raw)}）")
    return value


def _shown(value: Any) -> str:
    """A value as a message may quote it: never more than a few dozen characters."""
    if isinstance(value, str):
        return f"“{value}”" if len(value) <= 30 else f"“{value[:20]}…”（共 {len(value)} 字）"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, int | float | bool) else type(value).__name__
    return text if len(text) <= 30 else f"{text[:20]}…（共 {len(text)} 位）"
