"""Drafting and signing agreements, judicial confirmation, and return visits."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from wuye_desktop.errors import DomainError, IllegalTransitionError, NotFoundError, ValidationError
from wuye_desktop.models import (
    Agreement,
    AgreementClause,
    AgreementStatus,
    CaseStatus,
    JudicialStatus,
    ReturnVisit,
)
from wuye_desktop.services import audit, settings, validation
from wuye_desktop.services.cases import numbering
from wuye_desktop.services.cases.dto import AgreementDraft, VisitInput
from wuye_desktop.services.cases.registration import load
from wuye_desktop.services.cases.workflow import transition
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires

_DRAFTABLE = (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


def check_draft(content: AgreementDraft) -> tuple[list[str], Decimal | None, date | None]:
    """The clauses, amount and performance deadline of a draft, or every problem with them at once."""
    clauses = [c.strip() for c in content.clauses if c.strip()]
    errors: dict[str, str] = {}
    if not clauses:
        errors["clauses"] = "请至少填写一条协议内容"
    amount = None
    try:
        amount = validation.amount(content.amount, field="amount")
    except ValidationError as exc:
        errors.update(exc.errors)
    deadline = None
    if content.performance_deadline.strip():
        try:
            deadline = validation.parse_date(content.performance_deadline, field="performance_deadline")
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return clauses, amount, deadline


@requires(Permission.MEDIATE)
def draft(ctx: Context, case_id: int, content: AgreementDraft, expected_version: int | None = None) -> int:
    """A draft agreement; it has no number until it is signed."""
    clauses, amount, deadline = check_draft(content)
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        if case.status not in _DRAFTABLE:
            raise IllegalTransitionError(
                f"案件 {case.number} 当前状态为“{case.status.label}”，只有已受理或调解中的案件可以起草协议"
            )
        agreement = Agreement(
            case_id=case.id, committee_id=case.committee_id, kind=content.kind,
            facts=content.facts.strip() or case.facts, performance=content.performance.strip(),
            performance_deadline=deadline, amount=amount, copies=len(case.parties) + 1,
            mediator_names=content.mediator_names.strip() or _mediator_names(case),
            recorder=content.recorder.strip() or ctx.actor,
            clauses=[AgreementClause(position=i, text=t) for i, t in enumerate(clauses, 1)],
        )
        session.add(agreement)
        session.flush()
        audit.record(session, ctx.actor, "draft_agreement", "case", case.id, {"agreement": agreement.id})
        return agreement.id


def _mediator_names(case) -> str:  # type: ignore[no-untyped-def]
    return "、".join(a.mediator.name for a in case.assignments if a.recused_at is None)


@requires(Permission.MEDIATE)
def sign(ctx: Context, agreement_id: int, signed_on: str = "") -> str:
    """Signed and sealed: number it, freeze the parties' details, start the 30-day clock."""
    day = validation.parse_date(signed_on, field="signed_on") if signed_on.strip() else ctx.today()
    settings.check_day(ctx, day, field="signed_on", what="签署日期")
    with ctx.db.writing() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None:
            raise NotFoundError("找不到这份协议")
        if agreement.status is AgreementStatus.SIGNED:
            raise DomainError(f"协议 {agreement.number} 已经签署生效")
        case = load(session, agreement.case_id)
        if day < (case.accepted_on or case.registered_on):
            raise ValidationError.single("signed_on", "签署日期不能早于受理日期")
        transition(session, case, "agree", ctx, day, note=f"{agreement.kind.label}")
        committee = case.committee
        seq, number = numbering.take_next(session, committee, numbering.AGREEMENT, day.year)
        agreement.number, agreement.year, agreement.seq = number, day.year, seq
        agreement.status = AgreementStatus.SIGNED
        agreement.signed_on, agreement.signed_at = day, ctx.now()
        agreement.judicial_deadline = day + timedelta(days=int(settings.read(session, settings.JUDICIAL_DAYS)))
        case.concluded_on = day
        if agreement.amount is not None:
            case.amount = agreement.amount
        for cp in case.parties:
            cp.snapshot = _snapshot(cp)
            cp.snapshot_at = ctx.now()
        audit.record(session, ctx.actor, "sign_agreement", "case", case.id, {"agreement": number})
        return number


def _snapshot(cp) -> dict[str, object]:  # type: ignore[no-untyped-def]
    p = cp.party
    return {
        "role": cp.role.value, "kind": p.kind.value, "name": p.name, "gender": p.gender,
        "ethnicity": p.ethnicity, "birth_date": p.birth_date.isoformat() if p.birth_date else None,
        "age": p.age, "occupation": p.occupation, "phone": p.phone, "id_number": p.id_number,
        "address": p.address, "room": p.room, "representative": p.representative,
        "representative_title": p.representative_title, "agent_name": cp.agent_name,
    }


@requires(Permission.MEDIATE)
def record_judicial(ctx: Context, agreement_id: int, status: JudicialStatus, on: str = "") -> None:
    """司法确认: applied for (within the deadline) and the court's answer."""
    day = validation.parse_date(on, field="on") if on.strip() else ctx.today()
    with ctx.db.writing() as session:
        agreement = session.get(Agreement, agreement_id)
        if agreement is None or agreement.status is not AgreementStatus.SIGNED:
            raise DomainError("只有已生效的协议可以申请司法确认")
        if status is JudicialStatus.APPLIED:
            if agreement.judicial_deadline and day > agreement.judicial_deadline:
                raise ValidationError.single(
                    "on", f"司法确认应在 {agreement.judicial_deadline:%Y年%m月%d日} 前申请，已超过期限")
            agreement.judicial_applied_on = day
        agreement.judicial_status = status
        audit.record(session, ctx.actor, "judicial", "case", agreement.case_id,
                     {"agreement": agreement.number, "status": status.value})


@requires(Permission.MEDIATE)
def record_visit(ctx: Context, case_id: int, visit: VisitInput) -> int:
    """回访 after an agreement (Art. 31)."""
    errors: dict[str, str] = {}
    day: date | None = None
    try:
        day = validation.parse_date(visit.visited_on, field="visited_on")
    except ValidationError as exc:
        errors.update(exc.errors)
    if day is not None:
        try:
            settings.check_day(ctx, day, field="visited_on", what="回访日期")
        except ValidationError as exc:
            errors.update(exc.errors)
    if not visit.visitor.strip():
        errors["visitor"] = "请填写回访人"
    if errors:
        raise ValidationError(errors)
    assert day is not None
    with ctx.db.writing() as session:
        case = load(session, case_id)
        if case.status not in (CaseStatus.AGREED, CaseStatus.CLOSED):
            raise IllegalTransitionError(
                f"案件 {case.number} 当前状态为“{case.status.label}”，尚未达成协议，不能登记回访"
            )
        agreement_id = visit.agreement_id or session.scalar(
            select(func.max(Agreement.id)).where(Agreement.case_id == case.id,
                                                 Agreement.status == AgreementStatus.SIGNED))
        row = ReturnVisit(
            case_id=case.id, agreement_id=agreement_id, visited_on=day, visitor=visit.visitor.strip(),
            method=visit.method.strip(), visited_parties=visit.visited_parties.strip(),
            performance=visit.performance, satisfaction=visit.satisfaction, lawsuit=visit.lawsuit,
            measures=visit.measures.strip(), notes=visit.notes.strip(),
        )
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "visit", "case", case.id, {"performance": visit.performance.value})
        return row.id
