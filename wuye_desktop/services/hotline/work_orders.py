"""12345 work orders: check a platform export row by row, then register the good rows as cases.

``check`` reads nothing into the register: it returns every problem with
its row and column, in Chinese. ``import_orders`` checks again against
the register as it is now, then writes every good row (a WorkOrder and a
case with source 12345, registered through ``cases.register_in`` so
numbering and search are the same as by hand) in one transaction: all of
them or, on any failure, none. Orders already in the register, and rows
repeated in the file, are skipped, so importing the same file twice adds
nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.models import Building, CaseSource, Estate, MediationCase, OfficialType, WorkOrder
from wuye_desktop.services import audit, cases, permissions, settings
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context
from wuye_desktop.services.hotline import columns as col
from wuye_desktop.services.hotline._reading import SourceTable, read_table
from wuye_desktop.services.permissions import Permission, requires

Progress = Callable[[int, int], None]
ANONYMOUS = "匿名来电人"
SUMMARY_LENGTH = 60
_SENTENCE_END = re.compile(r"[。！？!?；;\n]")
_BUILDING_NUMBER = re.compile(r"\s*(\d+)\s*(?:号楼|栋|幢|号)")
_PARTY_FIELDS = {"name": "caller", "phone": "phone", "address": "address"}

__all__ = ["CheckReport", "ImportResult", "Problem", "SourceTable", "check", "import_orders", "read_table"]


@dataclass(frozen=True)
class Problem:
    row: int | None  # the row number in the file; None: the file as a whole
    column: str
    message: str
    blocking: bool = True  # False: the row is skipped on purpose (already imported, repeated, empty)

    @property
    def where(self) -> str:
        return f"第{self.row}行" if self.row is not None else "整个文件"


@dataclass(frozen=True)
class PreparedOrder:
    row: int
    values: dict[str, Any]  # WorkOrder columns
    draft: CaseDraft
    checked: cases.CheckedDraft


@dataclass(frozen=True)
class CheckReport:
    file: str
    sheet: str
    header_row: int
    headers: list[str]
    mapping: dict[str, int]  # field key → column index
    rows: int  # data rows that are not blank
    ready: list[PreparedOrder] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def fatal(self) -> bool:
        """Nothing can be imported until the file or the column mapping is fixed."""
        return any(p.row is None and p.blocking for p in self.problems)

    @property
    def rejected(self) -> int:
        return len({p.row for p in self.problems if p.blocking and p.row is not None})

    @property
    def skipped(self) -> int:
        return len({p.row for p in self.problems if not p.blocking and p.row is not None})


@dataclass(frozen=True)
class ImportResult:
    imported: int
    case_ids: list[int]
    skipped: int
    rejected: int


class _Lookup:
    """What a row is checked against: orders already imported, estates and buildings, the due-days table."""

    def __init__(self, session: Session, orders: list[str]) -> None:
        self.existing: dict[str, str] = {}
        for start in range(0, len(orders), 2000):
            chunk = orders[start:start + 2000]
            self.existing.update(session.execute(
                select(WorkOrder.order_no, MediationCase.number)
                .outerjoin(MediationCase, MediationCase.id == WorkOrder.case_id)
                .where(WorkOrder.order_no.in_(chunk))).all())
        estates = session.execute(select(Estate.id, Estate.name).where(Estate.active.is_(True))).all()
        self.estates = sorted(estates, key=lambda e: -len(e[1]))  # the longest name that fits wins
        self.buildings: dict[int, dict[str, int]] = {}
        for building_id, estate_id, name in session.execute(select(Building.id, Building.estate_id, Building.name)):
            number = re.match(r"\d+", name)
            self.buildings.setdefault(estate_id, {})[number[0] if number else name] = building_id
        self.due_days: dict[str, int] = settings.check_due_days(settings.read(session, settings.HOTLINE_DUE_DAYS))
        self.earliest = settings.earliest_day(session)

    def place(self, *texts: str) -> tuple[int | None, int | None]:
        for text in texts:
            for estate_id, name in self.estates:
                at = text.find(name)
                if at >= 0:
                    number = _BUILDING_NUMBER.match(text, at + len(name))
                    return estate_id, self.buildings.get(estate_id, {}).get(number[1]) if number else None
        return None, None


def column_letter(index: int) -> str:
    """A, B, … Z, AA, … for a 0-based column index, as Excel labels columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _label(table: SourceTable, index: int) -> str:
    header = table.headers[index] if index < len(table.headers) else ""
    return f"{header or '（无列名）'}（{column_letter(index)}列）"


@requires(Permission.IMPORT)
def check(ctx: Context, table: SourceTable, mapping: dict[str, int] | None = None,
          progress: Progress | None = None) -> CheckReport:
    """Every problem of every row, and the rows ready to import; nothing is written."""
    with ctx.db.reading() as session:
        return _check(session, ctx, table, mapping, progress)


def _check(session: Session, ctx: Context, table: SourceTable, mapping: dict[str, int] | None,
           progress: Progress | None) -> CheckReport:
    chosen = dict(col.guess_mapping(table.headers) if mapping is None else mapping)
    problems: list[Problem] = []
    width = len(table.headers)
    for key, index in list(chosen.items()):
        if key not in col.BY_KEY or not 0 <= index < width:
            raise ValidationError.single("mapping", f"列的对应关系有误：{key} → 第{index + 1}列")
    for f in col.FIELDS:
        if f.required and f.key not in chosen:
            problems.append(Problem(None, f.label, f"找不到“{f.label}”列（也可能叫“{'、'.join(f.variants[1:4])}”），"
                                                   f"请指定哪一列是{f.label}"))
    data = [(number, cells) for number, cells in table.rows if not _blank(cells)]
    report = CheckReport(table.name, table.sheet, table.header_row, list(table.headers), chosen, len(data))
    if problems:
        report.problems.extend(problems)
        return report
    if not data:
        report.problems.append(Problem(None, "", "表头下面没有工单数据，请确认导出的文件是否完整"))
        return report
    order_index = chosen["order_no"]
    lookup = _Lookup(session, sorted({code for _n, c in data if (code := _plain_code(c[order_index]))}))
    seen: dict[str, tuple[int, tuple[object, ...]]] = {}
    for position, (number, cells) in enumerate(data, 1):
        _check_row(ctx, table, chosen, lookup, seen, number, cells, report)
        if progress is not None and (position % 500 == 0 or position == len(data)):
            progress(position, len(data))
    report.problems.sort(key=lambda p: (p.row or 0, not p.blocking))
    report.ready.sort(key=lambda o: (o.values["received_at"], o.row))
    return report


def _plain_code(value: object) -> str:
    try:
        return col.code(value, "")
    except ValidationError:
        return ""


def _blank(cells: list[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _check_row(ctx: Context, table: SourceTable, mapping: dict[str, int], lookup: _Lookup,
               seen: dict[str, tuple[int, tuple[object, ...]]], number: int, cells: list[object],
               report: CheckReport) -> None:
    errors: list[Problem] = []

    def problem(key: str, message: str, blocking: bool = True) -> None:
        column = _label(table, mapping[key]) if key in mapping else col.BY_KEY[key].label
        errors.append(Problem(number, column, message, blocking))

    values: dict[str, Any] = {}
    raw_due: object = None
    for key, index in mapping.items():
        raw, label = cells[index] if index < len(cells) else None, col.BY_KEY[key].label
        try:
            if key == "order_no":
                values[key] = col.code(raw, label)
            elif key == "phone":
                values[key] = col.phone(raw, label)
            elif key in col.DATETIME_FIELDS:
                values[key] = col.moment(raw, label)
            elif key == "due_at":
                raw_due = raw
            elif key == "satisfaction":
                values[key] = col.satisfaction(raw, label)
            else:
                values[key] = col.text(raw)
        except ValidationError as exc:
            problem(key, "；".join(exc.errors.values()))
    if not values.get("order_no") and not values.get("content") and not any(e.blocking for e in errors):
        report.problems.append(Problem(number, "", "没有工单编号和内容，已跳过（可能是表尾的合计或说明）", False))
        return
    for key in ("order_no", "content", "received_at"):
        if key in values and not values[key]:
            problem(key, f"请填写{col.BY_KEY[key].label}")
    for key, limit in col.MAX_LENGTH.items():
        if len(values.get(key) or "") > limit:
            problem(key, f"{col.BY_KEY[key].label}超过{limit}个字")
    received: datetime | None = values.get("received_at")
    if received is not None and received.date() > ctx.today():
        problem("received_at", f"受理时间 {received:%Y-%m-%d %H:%M} 晚于今天，请核对")
    if "due_at" in mapping:
        try:
            values["due_at"] = col.deadline(raw_due, received, col.BY_KEY["due_at"].label)
        except ValidationError as exc:
            problem("due_at", "；".join(exc.errors.values()))
    order_no = values.get("order_no") or ""
    if order_no and not any(e.blocking for e in errors):
        # Only the imported columns: a repeated row often differs in its 序号.
        fingerprint = tuple(col.text(cells[i]) if i < len(cells) else "" for i in sorted(mapping.values()))
        if order_no in seen:
            first, earlier = seen[order_no]
            if earlier == fingerprint:
                problem("order_no", f"与第{first}行完全相同，已跳过", blocking=False)
            else:
                problem("order_no", f"工单编号 {order_no} 与第{first}行相同但内容不同，请核对后只保留一行")
        else:
            seen[order_no] = (number, fingerprint)
            if order_no in lookup.existing:
                case_number = lookup.existing[order_no] or "未关联案件"
                problem("order_no", f"工单 {order_no} 已导入过（{case_number}），不再重复登记", blocking=False)
    if not errors and received is not None:
        prepared = _prepare(ctx, lookup, values, received, problem)
        if prepared is not None:
            report.ready.append(PreparedOrder(number, *prepared))
    report.problems.extend(errors)


def _prepare(ctx: Context, lookup: _Lookup, values: dict[str, Any], received: datetime,
             problem: Callable[[str, str], None]) -> tuple[dict[str, Any], CaseDraft, cases.CheckedDraft] | None:
    """The work order's fields and the case to register for it, checked by the registration rules."""
    due = values.get("due_at")
    if not isinstance(due, datetime):
        days = due if isinstance(due, int) else col.due_days(lookup.due_days, values.get("category", ""))
        values["due_at"] = col.end_of_day(col.add_working_days(received.date(), days))
    content = values["content"]
    estate_id, building_id = lookup.place(values.get("address", ""), content)
    details = "；".join(f"{col.BY_KEY[k].label}：{values[k]}" for k in ("category", "urgency", "channel", "address")
                       if values.get(k))
    draft = CaseDraft(
        summary=_summary(content),
        parties=[PartyInput(values.get("caller") or ANONYMOUS, phone=values.get("phone", ""),
                            address=values.get("address", ""), estate_id=estate_id, building_id=building_id)],
        source=CaseSource.HOTLINE, source_ref=values["order_no"], official_type=OfficialType.PROPERTY,
        estate_id=estate_id, building_id=building_id,
        facts=f"{content}\n（12345工单 {values['order_no']}" + (f"；{details}）" if details else "）"),
        registered_on=received.date().isoformat(), registrar=ctx.actor,
    )
    try:
        checked = cases.check_draft(ctx, draft, lookup.earliest)
    except ValidationError as exc:
        for key, message in exc.errors.items():
            problem(_PARTY_FIELDS.get(key.rsplit(".", 1)[-1], "received_at" if key == "registered_on" else "content"),
                    message)
        return None
    return values, draft, checked


def _summary(content: str) -> str:
    first = _SENTENCE_END.split(content.strip(), maxsplit=1)[0].strip() or content.strip()
    return first if len(first) <= SUMMARY_LENGTH else first[:SUMMARY_LENGTH - 1] + "…"


@requires(Permission.IMPORT)
def import_orders(ctx: Context, table: SourceTable, mapping: dict[str, int] | None = None,
                  progress: Progress | None = None) -> tuple[CheckReport, ImportResult]:
    """Check against the register as it is now, then write all good rows in one transaction."""
    permissions.require(ctx, Permission.REGISTER_CASES)
    try:
        with ctx.db.writing() as session:
            report = _check(session, ctx, table, mapping, None)
            if report.fatal:
                first = next(p for p in report.problems if p.row is None and p.blocking)
                raise DomainError(f"未导入：{first.message}")
            case_ids = _write(session, ctx, table, report, progress)
    except IntegrityError:
        raise DomainError("其他人正在导入同一批工单，本次未导入任何内容，请稍后重试") from None
    return report, ImportResult(len(case_ids), case_ids, report.skipped, report.rejected)


def _write(session: Session, ctx: Context, table: SourceTable, report: CheckReport,
           progress: Progress | None) -> list[int]:
    now = ctx.now()
    case_ids: list[int] = []
    for position, order in enumerate(report.ready, 1):
        ref = cases.register_in(session, ctx, order.draft, order.checked)
        session.add(WorkOrder(**order.values, case_id=ref.id, source_file=table.name[:255], imported_at=now))
        case_ids.append(ref.id)
        if progress is not None and (position % 50 == 0 or position == len(report.ready)):
            progress(position, len(report.ready))
    if case_ids:
        session.flush()
        audit.record(session, ctx.actor, "import", "work_order", table.name[:40], {
            "file": table.name, "imported": len(case_ids), "skipped": report.skipped, "rejected": report.rejected,
            "first_case": case_ids[0], "last_case": case_ids[-1],
        })
    return case_ids
