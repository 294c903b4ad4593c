"""待办提醒: what needs doing soon, from the deadlines the register already holds.

Four kinds: mediation deadlines passed or near, agreements inside their
judicial-confirmation window, return visits due, and 12345 work orders
near their due time. The warning periods are settings. Each kind is cut at
``limit`` rows (most urgent first) with its full count reported, so a
register with thousands of overdue cases still answers at once.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from wuye_desktop.models import (
    Agreement,
    AgreementStatus,
    CaseStatus,
    Estate,
    JudicialStatus,
    MediationCase,
    ReturnVisit,
    WorkOrder,
)
from wuye_desktop.services import settings, validation
from wuye_desktop.services.cases.registration import OPEN_STATUSES
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires, sees_personal

DEFAULT_LIMIT = 300


class ReminderKind(StrEnum):
    OVERDUE = "overdue"
    DEADLINE = "deadline"
    JUDICIAL = "judicial"
    VISIT = "visit"
    HOTLINE = "hotline"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ReminderKind.OVERDUE: "调解已超期", ReminderKind.DEADLINE: "调解期限将到",
    ReminderKind.JUDICIAL: "司法确认期内", ReminderKind.VISIT: "待回访",
    ReminderKind.HOTLINE: "12345工单将到期",
}


_ORDER = [ReminderKind.OVERDUE, ReminderKind.HOTLINE, ReminderKind.DEADLINE, ReminderKind.JUDICIAL,
          ReminderKind.VISIT]


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    case_id: int | None  # None: a work order not yet linked to a case
    reference: str  # case number, or the work order's number
    subject: str
    due: date
    days_left: int  # negative: overdue by that many days


@dataclass(frozen=True)
class ReminderList:
    items: list[Reminder]
    totals: dict[ReminderKind, int] = field(default_factory=dict)
    limit: int = DEFAULT_LIMIT

    def truncated(self, kind: ReminderKind) -> bool:
        return self.totals.get(kind, 0) > sum(1 for r in self.items if r.kind is kind)


@requires(Permission.READ_CASES)
def due(ctx: Context, limit: int = DEFAULT_LIMIT) -> ReminderList:
    today = ctx.today()
    items: list[Reminder] = []
    totals: dict[ReminderKind, int] = {}
    with ctx.db.reading() as session:
        for collect in (_deadlines, _judicial, _visits, _hotline):
            found, counts = collect(session, today, limit)
            items.extend(found)
            totals.update(counts)
    # The mediation limit and 12345 due times first, then the rest, each most urgent first.
    items.sort(key=lambda r: (_ORDER.index(r.kind), r.days_left, r.reference))
    shown = sees_personal(ctx)  # a subject quotes 简要案情 or the 12345 content: masked as the case is
    items = [r if shown(r.case_id) else dataclasses.replace(r, subject=validation.mask_text(r.subject))
             for r in items]
    return ReminderList(items, totals, limit)


def _subject(estate: str | None, summary: str) -> str:
    return f"{estate}：{summary}" if estate else summary


def _deadlines(session: Session, today: date, limit: int) -> tuple[list[Reminder], dict[ReminderKind, int]]:
    horizon = today + timedelta(days=int(settings.read(session, settings.REMIND_DEADLINE_DAYS)))
    c = MediationCase
    base = and_(c.status.in_(OPEN_STATUSES), c.deadline.is_not(None))
    overdue = and_(base, c.deadline < today)
    near = and_(base, c.deadline >= today, c.deadline <= horizon)
    found: list[Reminder] = []
    totals: dict[ReminderKind, int] = {}
    for kind, condition in ((ReminderKind.OVERDUE, overdue), (ReminderKind.DEADLINE, near)):
        totals[kind] = session.scalar(select(func.count()).select_from(c).where(condition)) or 0
        stmt = (select(c.id, c.number, c.summary, c.deadline, Estate.name)
                .outerjoin(Estate, Estate.id == c.estate_id).where(condition)
                .order_by(c.deadline, c.id).limit(limit))
        for case_id, number, summary, deadline, estate in session.execute(stmt):
            if deadline is None:  # excluded by the query; this tells the type checker
                continue
            found.append(Reminder(kind, case_id, number, _subject(estate, summary), deadline,
                                  (deadline - today).days))
    return found, totals


def _judicial(session: Session, today: date, limit: int) -> tuple[list[Reminder], dict[ReminderKind, int]]:
    a = Agreement
    condition = and_(a.status == AgreementStatus.SIGNED, a.judicial_status == JudicialStatus.NOT_APPLIED,
                     a.judicial_deadline.is_not(None), a.judicial_deadline >= today)
    total = session.scalar(select(func.count()).select_from(a).where(condition)) or 0
    stmt = (select(a.case_id, MediationCase.number, a.number, a.judicial_deadline, MediationCase.summary)
            .join(MediationCase, MediationCase.id == a.case_id).where(condition)
            .order_by(a.judicial_deadline, a.id).limit(limit))
    found = [
        Reminder(ReminderKind.JUDICIAL, case_id, number,
                 f"协议 {agreement_no} 可申请司法确认：{summary}", deadline, (deadline - today).days)
        for case_id, number, agreement_no, deadline, summary in session.execute(stmt) if deadline is not None
    ]
    return found, {ReminderKind.JUDICIAL: total}


def _visits(session: Session, today: date, limit: int) -> tuple[list[Reminder], dict[ReminderKind, int]]:
    """Agreed cases not yet filed whose agreement has had no return visit."""
    after = int(settings.read(session, settings.REMIND_VISIT_DAYS))
    warn = int(settings.read(session, settings.REMIND_DEADLINE_DAYS))
    a = Agreement
    visited = exists().where(ReturnVisit.case_id == a.case_id)
    condition = and_(a.status == AgreementStatus.SIGNED, a.signed_on.is_not(None),
                     MediationCase.status == CaseStatus.AGREED, ~visited,
                     a.signed_on <= today - timedelta(days=after) + timedelta(days=warn))
    joined = select(a.id).join(MediationCase, MediationCase.id == a.case_id).where(condition)
    total = session.scalar(select(func.count()).select_from(joined.subquery())) or 0
    stmt = (select(a.case_id, MediationCase.number, a.signed_on, MediationCase.summary)
            .join(MediationCase, MediationCase.id == a.case_id).where(condition)
            .order_by(a.signed_on, a.id).limit(limit))
    found = []
    for case_id, number, signed_on, summary in session.execute(stmt):
        if signed_on is None:
            continue
        visit_on = signed_on + timedelta(days=after)
        subject = f"协议已于 {signed_on:%Y-%m-%d} 签署，尚未回访：{summary}"
        found.append(Reminder(ReminderKind.VISIT, case_id, number, subject, visit_on, (visit_on - today).days))
    return found, {ReminderKind.VISIT: total}


def _hotline(session: Session, today: date, limit: int) -> tuple[list[Reminder], dict[ReminderKind, int]]:
    days = int(settings.read(session, settings.REMIND_HOTLINE_DAYS))
    horizon = datetime.combine(today + timedelta(days=days), time.max)
    w = WorkOrder
    condition = and_(w.finished_at.is_(None), w.due_at.is_not(None), w.due_at <= horizon)
    total = session.scalar(select(func.count()).select_from(w).where(condition)) or 0
    stmt = (select(w.case_id, MediationCase.number, w.order_no, w.due_at, w.caller, w.content)
            .outerjoin(MediationCase, MediationCase.id == w.case_id).where(condition)
            .order_by(w.due_at, w.id).limit(limit))
    found = []
    for case_id, number, order_no, due_at, caller, content in session.execute(stmt):
        if due_at is None:
            continue
        text = "".join(content.split())[:60]
        subject = f"工单 {order_no}" + (f"（{caller}）" if caller else "") + f"：{text}"
        found.append(Reminder(ReminderKind.HOTLINE, case_id, number or order_no, subject, due_at.date(),
                              (due_at.date() - today).days))
    return found, {ReminderKind.HOTLINE: total}
