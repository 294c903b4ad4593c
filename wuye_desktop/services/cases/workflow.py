"""The life of a case: which step may follow which, in one table.

Every status change goes through ``transition``; an illegal move raises
``IllegalTransitionError`` with a message that names the current status and
the statuses the step needs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from wuye_desktop.errors import IllegalTransitionError, ValidationError
from wuye_desktop.models import CaseEvent, CaseStatus, EscalationLevel, MediationCase
from wuye_desktop.services import audit, settings, validation
from wuye_desktop.services.cases.registration import load
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires

S = CaseStatus


@dataclass(frozen=True)
class Step:
    label: str  # what the user asked to do, in Chinese
    allowed_from: frozenset[CaseStatus]
    to: CaseStatus | None  # None: the status stays


STEPS: dict[str, Step] = {
    "accept": Step("受理", frozenset({S.REGISTERED}), S.ACCEPTED),
    "refuse": Step("不予受理", frozenset({S.REGISTERED}), S.REFUSED),
    "start": Step("开始调解", frozenset({S.ACCEPTED}), S.MEDIATING),
    "agree": Step("达成协议", frozenset({S.ACCEPTED, S.MEDIATING}), S.AGREED),
    "terminate": Step("终止调解", frozenset({S.ACCEPTED, S.MEDIATING}), S.TERMINATED),
    "refer": Step("转办", frozenset({S.REGISTERED, S.ACCEPTED, S.MEDIATING}), S.REFERRED),
    "close": Step("结案归档", frozenset({S.AGREED, S.TERMINATED, S.REFUSED, S.REFERRED}), S.CLOSED),
    "reopen": Step("重新调解", frozenset({S.CLOSED, S.TERMINATED, S.AGREED}), S.MEDIATING),
    "escalate": Step("上报", frozenset({S.ACCEPTED, S.MEDIATING}), None),
    "extend": Step("延长调解期限", frozenset({S.ACCEPTED, S.MEDIATING}), None),
}

_ESCALATION_ORDER = [
    EscalationLevel.NONE, EscalationLevel.PARTY_BRANCH,
    EscalationLevel.COMMUNITY, EscalationLevel.DEPARTMENTS,
]


def allowed_steps(status: CaseStatus) -> list[str]:
    """The steps a case in ``status`` may take, for enabling buttons."""
    return [name for name, step in STEPS.items() if status in step.allowed_from]


def transition(session: Session, case: MediationCase, step_name: str, ctx: Context,
               on: date | None = None, note: str = "") -> CaseEvent:
    step = STEPS[step_name]
    if case.status not in step.allowed_from:
        needed = "、".join(f"“{s.label}”" for s in sorted(step.allowed_from, key=list(S).index))
        raise IllegalTransitionError(
            f"案件 {case.number} 当前状态为“{case.status.label}”，不能{step.label}；"
            f"只有{needed}状态的案件可以{step.label}。"
        )
    before = case.status
    if step.to is not None:
        case.status = step.to
    event = CaseEvent(
        case_id=case.id, action=step_name, from_status=before, to_status=step.to,
        occurred_on=on or ctx.today(), recorded_at=ctx.now(), actor=ctx.actor, note=note,
    )
    session.add(event)
    audit.record(session, ctx.actor, step_name, "case", case.id,
                 {"number": case.number, "from": before.value,
                  "to": (step.to or before).value, "note": note[:200]})
    return event


def _event_date(ctx: Context, raw: str, what: str, field: str = "on") -> date:
    if not raw.strip():
        return ctx.today()
    return settings.check_day(ctx, validation.parse_date(raw, field=field), field=field, what=what)


def _require(text: str, field: str, message: str) -> str:
    if not text.strip():
        raise ValidationError.single(field, message)
    return text.strip()


@requires(Permission.HANDLE_CASES)
def accept(ctx: Context, case_id: int, on: str = "", expected_version: int | None = None) -> None:
    """受理: the mediation clock starts; the deadline is set from the configured days."""
    day = _event_date(ctx, on, "受理日期")
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        if day < case.registered_on:
            raise ValidationError.single("on", "受理日期不能早于登记日期")
        transition(session, case, "accept", ctx, day)
        case.accepted_on = day
        case.deadline = day + timedelta(days=int(settings.read(session, settings.MEDIATION_DAYS)))


@requires(Permission.HANDLE_CASES)
def refuse(ctx: Context, case_id: int, reason: str, expected_version: int | None = None) -> None:
    """不予受理 (Art. 17: a party expressly refuses mediation)."""
    why = _require(reason, "reason", "请填写不予受理的理由")
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        transition(session, case, "refuse", ctx, note=why)
        case.refusal_reason = why
        case.concluded_on = ctx.today()


@requires(Permission.MEDIATE)
def start_mediation(ctx: Context, case_id: int, expected_version: int | None = None) -> None:
    with ctx.db.writing() as session:
        transition(session, load(session, case_id, expected_version), "start", ctx)


@requires(Permission.HANDLE_CASES)
def refer(ctx: Context, case_id: int, department: str, reason: str = "",
          expected_version: int | None = None) -> None:
    """转办 to a department (公安, 消防, 市场监管, 综合执法, 住建/房管, 街道, ...)."""
    dept = _require(department, "department", "请填写转办的部门")
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        transition(session, case, "refer", ctx, note=f"{dept}：{reason.strip()}".rstrip("："))
        case.referred_to = dept
        case.concluded_on = ctx.today()


@requires(Permission.HANDLE_CASES)
def escalate(ctx: Context, case_id: int, note: str = "", expected_version: int | None = None) -> EscalationLevel:
    """One level up the chain: 小区党支部 → 社区党委 → 联动部门."""
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        index = _ESCALATION_ORDER.index(case.escalation)
        if index == len(_ESCALATION_ORDER) - 1:
            raise IllegalTransitionError(f"案件 {case.number} 已上报至联动部门，不能再上报")
        level = _ESCALATION_ORDER[index + 1]
        transition(session, case, "escalate", ctx, note=f"上报至{level.label}。{note.strip()}".strip())
        case.escalation = level
        return level


@requires(Permission.HANDLE_CASES)
def extend_deadline(ctx: Context, case_id: int, new_deadline: str, reason: str,
                    expected_version: int | None = None) -> None:
    """Extensions need both parties' consent: the reason records it."""
    why = _require(reason, "reason", "延长调解期限须经双方当事人同意，请填写延期理由")
    day = validation.parse_date(new_deadline, field="deadline")
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        if case.deadline is not None and day <= case.deadline:
            raise ValidationError.single("deadline", f"新的期限应晚于原期限 {case.deadline:%Y-%m-%d}")
        transition(session, case, "extend", ctx, note=f"期限延至{day:%Y-%m-%d}：{why}")
        case.deadline = day


@requires(Permission.HANDLE_CASES)
def terminate(ctx: Context, case_id: int, reason: str, expected_version: int | None = None) -> None:
    """调解终止: the parties are told their other routes (court, arbitration, administrative)."""
    why = _require(reason, "reason", "请填写终止调解的原因")
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        transition(session, case, "terminate", ctx, note=why)
        case.termination_reason = why
        case.concluded_on = ctx.today()


@requires(Permission.HANDLE_CASES)
def close(ctx: Context, case_id: int, expected_version: int | None = None) -> None:
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        transition(session, case, "close", ctx)
        case.closed_on = ctx.today()


@requires(Permission.HANDLE_CASES)
def reopen(ctx: Context, case_id: int, reason: str, expected_version: int | None = None) -> None:
    """Back to mediation, e.g. when a return visit finds the agreement not performed."""
    why = _require(reason, "reason", "请填写重新调解的原因")
    with ctx.db.writing() as session:
        case = load(session, case_id, expected_version)
        transition(session, case, "reopen", ctx, note=why)
        case.closed_on = None
        case.concluded_on = None
