"""Mediators on a case (designation, recusal) and the consultation steps held."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wuye_desktop.errors import DomainError, IllegalTransitionError, NotFoundError, ValidationError
from wuye_desktop.models import (
    Assignment,
    AssignmentRole,
    CaseParty,
    CaseStatus,
    ChosenBy,
    ConsultationStep,
    Mediator,
    Party,
    StepTemplate,
)
from wuye_desktop.services import audit
from wuye_desktop.services.cases.dto import StepInput
from wuye_desktop.services.cases.registration import load
from wuye_desktop.services.cases.workflow import transition
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires

_ASSIGNABLE = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


@requires(Permission.READ_CASES)
def assignment_warnings(ctx: Context, case_id: int, mediator_id: int) -> list[str]:
    """Reasons the mediator may not be impartial here, to show before confirming."""
    with ctx.db.reading() as session:
        case = load(session, case_id)
        mediator = session.get(Mediator, mediator_id)
        if mediator is None:
            raise NotFoundError("找不到所选调解员")
        warnings: list[str] = []
        if not mediator.active:
            warnings.append(f"{mediator.name} 已停用")
        if mediator.home_building_id is not None and mediator.home_building_id == case.building_id:
            warnings.append(f"{mediator.name} 与纠纷发生在同一楼栋，可能需要回避")
        parties = session.scalars(
            select(Party).join(CaseParty, CaseParty.party_id == Party.id).where(CaseParty.case_id == case_id)
        ).all()
        for party in parties:
            if mediator.home_building_id is not None and party.building_id == mediator.home_building_id:
                warnings.append(f"{mediator.name} 与当事人{party.name}住在同一楼栋，可能需要回避")
            if mediator.phone and mediator.phone == party.phone:
                warnings.append(f"{mediator.name} 与当事人{party.name}登记的电话相同，请确认不是亲属")
            elif party.name and party.name[0] == mediator.name[:1] and len(party.name) > 1:
                warnings.append(f"{mediator.name} 与当事人{party.name}同姓，请确认不是近亲属")
        return list(dict.fromkeys(warnings))


@requires(Permission.ASSIGN_MEDIATORS)
def assign(ctx: Context, case_id: int, mediator_id: int, role: AssignmentRole = AssignmentRole.LEAD,
           chosen_by: ChosenBy = ChosenBy.COMMITTEE, expected_version: int | None = None) -> int:
    """Designate a mediator (Art. 19); a new lead replaces nobody: recuse the old one first."""
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        if case.status not in _ASSIGNABLE:
            raise IllegalTransitionError(f"案件当前状态为“{case.status.label}”，不能再指派调解员")
        mediator = session.get(Mediator, mediator_id)
        if mediator is None or not mediator.active:
            raise ValidationError.single("mediator_id", "所选调解员不存在或已停用")
        current = [a for a in case.assignments if a.recused_at is None]
        if any(a.mediator_id == mediator_id for a in current):
            raise DomainError(f"{mediator.name} 已是本案调解员")
        if role is AssignmentRole.LEAD and any(a.role is AssignmentRole.LEAD for a in current):
            raise DomainError("本案已有主办调解员；如需更换，请先办理原调解员回避")
        assignment = Assignment(case_id=case.id, mediator_id=mediator_id, role=role,
                                chosen_by=chosen_by, assigned_at=ctx.now())
        session.add(assignment)
        session.flush()
        audit.record(session, ctx.actor, "assign", "case", case.id,
                     {"mediator": mediator.name, "role": role.value, "chosen_by": chosen_by.value})
        return assignment.id


@requires(Permission.ASSIGN_MEDIATORS)
def recuse(ctx: Context, assignment_id: int, reason: str) -> None:
    """回避: the mediator leaves the case; the row stays as the record of it."""
    if not reason.strip():
        raise ValidationError.single("reason", "请填写回避的原因（例如当事人申请、与当事人有亲属关系）")
    with ctx.db.writing() as session:
        assignment = session.get(Assignment, assignment_id)
        if assignment is None:
            raise NotFoundError("找不到这条调解员指派记录")
        if assignment.recused_at is not None:
            raise DomainError("该调解员已经回避")
        assignment.recused_at = ctx.now()
        assignment.recusal_reason = reason.strip()
        audit.record(session, ctx.actor, "recuse", "case", assignment.case_id,
                     {"mediator": assignment.mediator.name, "reason": reason.strip()[:200]})


@requires(Permission.MEDIATE)
def record_step(ctx: Context, case_id: int, step: StepInput, expected_version: int | None = None) -> int:
    """Record one consultation step; the first one starts mediation on an accepted case."""
    if step.expected_count is not None and step.present_count is not None \
            and step.present_count > step.expected_count:
        raise ValidationError.single("present_count", "实到人数不能多于应到人数")
    if step.held_at.date() > ctx.today():
        raise ValidationError.single("held_at", "协商时间不能晚于今天")
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        if case.status is CaseStatus.ACCEPTED:
            transition(session, case, "start", ctx, step.held_at.date())
        elif case.status is not CaseStatus.MEDIATING:
            raise IllegalTransitionError(
                f"案件 {case.number} 当前状态为“{case.status.label}”，只有已受理或调解中的案件可以记录协商步骤"
            )
        position = (session.scalar(select(func.max(ConsultationStep.position))
                                   .where(ConsultationStep.case_id == case.id)) or 0) + 1
        template = _template_for(session, step, position)
        row = ConsultationStep(
            case_id=case.id, template_id=template.id if template else None,
            step_name=step.step_name.strip() or (template.name if template else f"第{position}步"),
            position=position, held_at=step.held_at, form=step.form, place=step.place.strip(),
            expected_count=step.expected_count, present_count=step.present_count,
            participants=step.participants.strip(), content=step.content.strip(),
            decision=step.decision.strip(), publicity=step.publicity.strip(),
            supervision=step.supervision.strip(), recorder=step.recorder.strip() or ctx.actor,
        )
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "step", "case", case.id, {"step": row.step_name})
        return row.id


def _template_for(session: Session, step: StepInput, position: int) -> StepTemplate | None:
    if step.template_id is not None:
        return session.get(StepTemplate, step.template_id)
    if step.step_name.strip():
        return session.scalar(select(StepTemplate).where(StepTemplate.name == step.step_name.strip()))
    return session.scalar(select(StepTemplate).where(StepTemplate.active.is_(True))
                          .order_by(StepTemplate.position).offset(position - 1).limit(1))
