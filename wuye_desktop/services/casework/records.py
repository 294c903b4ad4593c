"""调查记录 and 调解记录: what was heard and found at an investigation or a mediation session."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from wuye_desktop.errors import ConflictError, IllegalTransitionError, NotFoundError, ValidationError
from wuye_desktop.models import CaseStatus, MediationRecord, RecordKind
from wuye_desktop.services import audit, validation
from wuye_desktop.services.cases.registration import load
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, may_act_on_case, requires

_TEXT_LIMIT = 20_000


@dataclass
class RecordInput:
    kind: RecordKind
    held_at: datetime
    matter: str
    place: str = ""
    participants: str = ""
    parties_present: str = ""
    rights_told: bool = True
    statements: str = ""
    findings: str = ""
    outcome: str = ""
    recorder: str = ""


@dataclass(frozen=True)
class RecordView:
    id: int
    version: int
    case_id: int
    kind: RecordKind
    held_at: datetime
    matter: str
    place: str
    participants: str
    parties_present: str
    rights_told: bool
    statements: str
    findings: str
    outcome: str
    recorder: str


def _view(r: MediationRecord) -> RecordView:
    return RecordView(r.id, r.version, r.case_id, r.kind, r.held_at, r.matter, r.place, r.participants,
                      r.parties_present, r.rights_told, r.statements, r.findings, r.outcome, r.recorder)


def _clean(ctx: Context, data: RecordInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    if not data.matter.strip():
        errors["matter"] = "请填写事由（这次调查或调解是为了什么）"
    elif len(data.matter.strip()) > 200:
        errors["matter"] = "事由请控制在200字以内"
    if data.held_at.date() > ctx.today():
        errors["held_at"] = "记录时间不能晚于今天"
    if len(data.place.strip()) > 100:
        errors["place"] = "地点请控制在100字以内"
    for name in ("statements", "findings", "outcome", "participants", "parties_present"):
        if len(str(getattr(data, name))) > _TEXT_LIMIT:
            errors[name] = f"内容过长，请控制在{_TEXT_LIMIT}字以内"
    if errors:
        raise ValidationError(errors)
    return {
        "kind": data.kind, "held_at": data.held_at, "matter": data.matter.strip(), "place": data.place.strip(),
        "participants": data.participants.strip(), "parties_present": data.parties_present.strip(),
        "rights_told": data.rights_told, "statements": data.statements.strip(),
        "findings": data.findings.strip(), "outcome": data.outcome.strip(),
        "recorder": data.recorder.strip() or ctx.actor,
    }


def _check_open(session: Session, case_id: int) -> None:
    case = load(session, case_id)
    if case.status in (CaseStatus.CLOSED, CaseStatus.REFUSED):
        raise IllegalTransitionError(
            f"案件 {case.number} 当前状态为“{case.status.label}”，不能再添加或修改记录；如需补充请先重新调解")


@requires(Permission.READ_CASES)
def records(ctx: Context, case_id: int) -> list[RecordView]:
    """The case's records; what was said and found is masked for a user who may not see personal data."""
    shown = may_act_on_case(ctx, Permission.REVEAL_PERSONAL, case_id)
    with ctx.db.reading() as session:
        load(session, case_id)
        views = [_view(r) for r in session.scalars(
            select(MediationRecord).where(MediationRecord.case_id == case_id)
            .order_by(MediationRecord.held_at, MediationRecord.id))]
    return views if shown else [_masked(v) for v in views]


def _masked(view: RecordView) -> RecordView:
    t = validation.mask_text
    return dataclasses.replace(view, matter=t(view.matter), place=t(view.place), participants=t(view.participants),
                               parties_present=t(view.parties_present), statements=t(view.statements),
                               findings=t(view.findings), outcome=t(view.outcome))


@requires(Permission.MEDIATE)
def add_record(ctx: Context, case_id: int, data: RecordInput) -> int:
    values = _clean(ctx, data)
    with ctx.db.writing() as session:
        _check_open(session, case_id)
        row = MediationRecord(case_id=case_id, **values)
        session.add(row)
        session.flush()
        audit.record(session, ctx.actor, "add_record", "case", case_id,
                     {"record": row.id, "kind": data.kind.value, "matter": row.matter[:100]})
        return row.id


def _existing(session: Session, record_id: int, expected_version: int) -> MediationRecord:
    row = session.get(MediationRecord, record_id)
    if row is None:
        raise NotFoundError("找不到这条记录，可能已被其他人删除，请刷新")
    if row.version != expected_version:
        raise ConflictError(f"这条{row.kind.label}已被其他人修改，请重新载入后再保存")
    return row


@requires(Permission.MEDIATE)
def update_record(ctx: Context, record_id: int, data: RecordInput, expected_version: int) -> None:
    values = _clean(ctx, data)
    with ctx.db.writing() as session:
        row = _existing(session, record_id, expected_version)
        _check_open(session, row.case_id)
        changed = [k for k, v in values.items() if getattr(row, k) != v]
        for key in changed:
            setattr(row, key, values[key])
        audit.record(session, ctx.actor, "edit_record", "case", row.case_id, {"record": row.id, "fields": changed})


@requires(Permission.MEDIATE)
def delete_record(ctx: Context, record_id: int, expected_version: int) -> None:
    with ctx.db.writing() as session:
        row = _existing(session, record_id, expected_version)
        _check_open(session, row.case_id)
        audit.record(session, ctx.actor, "delete_record", "case", row.case_id,
                     {"record": row.id, "kind": row.kind.value, "matter": row.matter[:100]})
        session.delete(row)
