"""Rows of the exchange file: which tables travel, and how a row is written and read back.

A row leaves the room with its integer keys replaced by the ``uid`` of the row
they point at (rooms' integer keys collide at the county; uids do not) and
comes back with them replaced by the county's own keys. Values are written as
JSON: dates as ISO text, money as decimal text, codes as their English value.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Numeric, Table
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


def from_json(column: Column[Any], value: Any) -> Any:
    """The Python value a column takes, from what ``to_json`` wrote; ValueError if it cannot be."""
    if value is None:
        return None
    kind = column.type
    if isinstance(kind, SAEnum) and kind.enum_class is not None:
        return kind.enum_class(value)
    if isinstance(kind, DateTime):
        return datetime.fromisoformat(value)
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, Numeric):
        return Decimal(str(value))
    if isinstance(kind, JSON):
        return json.loads(json.dumps(value))
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


def load(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A row from the file as column values, references still as uids; KeyError/ValueError if malformed."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.name == "id":
            continue
        raw = row[column.name]
        if reference_of(column) is not None:
            if raw is not None and not isinstance(raw, str):
                raise ValueError(f"{table.name}.{column.name}")
            values[column.name] = raw
        else:
            values[column.name] = from_json(column, raw)
    return values
