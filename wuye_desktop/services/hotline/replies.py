"""Replies to the 12345 platform: 工单编号, 办理结果, 回复内容, 办结时间, from each order's case.

What a clerk typed on the work order itself wins; otherwise the reply is
written from the case as it stands: the agreement's clauses, the reason
mediation ended, the department it was referred to, or that it is still
being mediated. An order belongs to a period when it was received or
finished in it. A reply leaves the room for the platform, so the phones, ID
numbers and flats in it are masked whoever exports it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from wuye_desktop.models import Agreement, AgreementClause, AgreementStatus, CaseStatus, MediationCase, WorkOrder
from wuye_desktop.services import audit, outputs, settings, validation
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.services.statistics.periods import Period, check_span

Progress = Callable[[int, int], None]
_OPEN = {CaseStatus.REGISTERED: ("已登记", "已登记，正在安排调解员受理。"),
         CaseStatus.ACCEPTED: ("办理中", "已受理，正在组织双方调解。"),
         CaseStatus.MEDIATING: ("办理中", "正在调解中，调解员已与双方当事人联系。")}


@dataclass(frozen=True)
class Reply:
    order_no: str
    result: str
    reply: str
    finished: datetime | date | None
    case_number: str


@dataclass(frozen=True)
class RepliesExport:
    path: Path
    count: int


@requires(Permission.EXPORT)
def replies(ctx: Context, period: Period) -> list[Reply]:
    with ctx.db.reading() as session:
        return _replies(session, period)


def _replies(session: Session, period: Period) -> list[Reply]:
    start = datetime.combine(period.start, datetime.min.time())
    after = datetime.combine(period.end + timedelta(days=1), datetime.min.time())
    stmt = (select(WorkOrder, MediationCase).outerjoin(MediationCase, MediationCase.id == WorkOrder.case_id)
            .where(or_(and_(WorkOrder.received_at >= start, WorkOrder.received_at < after),
                       and_(WorkOrder.finished_at >= start, WorkOrder.finished_at < after),
                       MediationCase.concluded_on.between(period.start, period.end)))
            .order_by(WorkOrder.received_at, WorkOrder.order_no))
    found = session.execute(stmt).all()
    clauses = _clauses(session, [case.id for _order, case in found if case is not None])
    return [_reply(order, case, clauses) for order, case in found]


def _clauses(session: Session, case_ids: list[int]) -> dict[int, list[str]]:
    """The clauses of each case's latest signed agreement."""
    latest: dict[int, int] = {}
    texts: dict[int, list[str]] = {}
    for start in range(0, len(case_ids), 2000):
        chunk = case_ids[start:start + 2000]
        for case_id, agreement_id in session.execute(
                select(Agreement.case_id, Agreement.id).where(Agreement.case_id.in_(chunk),
                                                              Agreement.status == AgreementStatus.SIGNED)
                .order_by(Agreement.signed_on, Agreement.id)):
            latest[case_id] = agreement_id
    wanted = {agreement_id: case_id for case_id, agreement_id in latest.items()}
    ids = list(wanted)
    for start in range(0, len(ids), 2000):
        for agreement_id, text in session.execute(
                select(AgreementClause.agreement_id, AgreementClause.text)
                .where(AgreementClause.agreement_id.in_(ids[start:start + 2000]))
                .order_by(AgreementClause.agreement_id, AgreementClause.position)):
            texts.setdefault(wanted[agreement_id], []).append(text)
    return texts


def _reply(order: WorkOrder, case: MediationCase | None, clauses: dict[int, list[str]]) -> Reply:
    result, text, finished = _from_case(case, clauses) if case is not None else ("未登记案件", "", None)
    return Reply(order.order_no, order.result or result, validation.mask_text(order.reply or text),
                 order.finished_at or finished, case.number if case is not None else "")


def _from_case(case: MediationCase, clauses: dict[int, list[str]]) -> tuple[str, str, date | None]:
    if case.status in _OPEN:
        result, text = _OPEN[case.status]
        return result, text, None
    agreed = case.id in clauses
    if case.status is CaseStatus.AGREED or (case.status is CaseStatus.CLOSED and agreed
                                              and not case.termination_reason):
        items = "；".join(f"{i}. {t}" for i, t in enumerate(clauses.get(case.id, []), 1))
        text = f"经调解，双方自愿达成协议：{items}" if items else "经调解，双方自愿达成协议。"
        return "调解成功", text, case.concluded_on
    if case.status is CaseStatus.TERMINATED or case.termination_reason:
        why = case.termination_reason.rstrip("。")
        return ("调解终止", f"经调解双方未能达成一致，调解终止（{why}）。"
                            "已告知当事人可依法通过诉讼、仲裁或行政途径解决。", case.concluded_on)
    if case.status is CaseStatus.REFERRED or case.referred_to:
        return "已转办", f"已转{case.referred_to}依职责办理。", case.concluded_on
    if case.status is CaseStatus.REFUSED or case.refusal_reason:
        return "不予受理", f"{case.refusal_reason.rstrip('。')}，依法不予受理，已向来电人说明。", case.concluded_on
    return "已办结", "已办结归档。", case.closed_on


@requires(Permission.EXPORT)
def export_replies(ctx: Context, period: Period, path: str | Path, *, replace: bool = False) -> RepliesExport:
    """The replies as an .xlsx the platform can take: header in the first row, one order per row.

    ``replace``: the user agreed to replace a file already there (never the register, see ``outputs``).
    """
    from wuye_desktop.exports import workbook

    target = outputs.check(ctx, path, outputs.WORKBOOK, replace=replace)
    with ctx.db.reading() as session:
        check_span(period, settings.earliest_day(session), ctx.today())
        rows = _replies(session, period)
    with outputs.saving(target) as temp:
        workbook.write_replies(temp, [(r.order_no, r.result, r.reply, r.finished) for r in rows])
        with ctx.db.writing() as session:
            audit.record(session, ctx.actor, "export", "work_order", period.label, {
                "what": "hotline_replies", "period": [period.start.isoformat(), period.end.isoformat()],
                "orders": len(rows), "file": target.name})
            outputs.replace_file(temp, target)
    return RepliesExport(target, len(rows))
