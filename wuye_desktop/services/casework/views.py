"""What the case workspace shows beyond ``cases.get``: steps, agreements, visits and history.

The free text of each (what was said at a step, clauses, visit notes, the flat of a party) is
masked by the one detector for a user who may not see personal data on the case, as
``cases.get`` masks 简要案情 and 纠纷事实; the audit details of the history are masked for everyone.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from wuye_desktop.models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    AuditEvent,
    CaseStatus,
    ConsultationStep,
    JudicialStatus,
    PartyKind,
    Performance,
    ReturnVisit,
    Satisfaction,
    StepForm,
)
from wuye_desktop.services.cases.registration import load
from wuye_desktop.services.cases.workflow import STEPS
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, may_act_on_case, requires
from wuye_desktop.services.validation import mask_text


@dataclass(frozen=True)
class StepView:
    id: int
    position: int
    step_name: str
    held_at: datetime
    form: StepForm
    place: str
    expected_count: int | None
    present_count: int | None
    participants: str
    content: str
    decision: str
    publicity: str
    supervision: str
    recorder: str


@dataclass(frozen=True)
class AgreementView:
    id: int
    version: int
    kind: AgreementKind
    status: AgreementStatus
    number: str
    facts: str
    clauses: list[str]
    performance: str
    performance_deadline: date | None
    amount: Decimal | None
    copies: int
    mediator_names: str
    recorder: str
    signed_on: date | None
    judicial_deadline: date | None
    judicial_status: JudicialStatus
    judicial_applied_on: date | None


@dataclass(frozen=True)
class VisitView:
    id: int
    visited_on: date
    visitor: str
    method: str
    visited_parties: str
    performance: Performance
    satisfaction: Satisfaction | None
    lawsuit: bool
    measures: str
    notes: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    action: str  # in Chinese
    detail: str


ACTION_LABELS = {
    "create": "登记", "register": "登记", "step": "记录协商步骤", "assign": "指派调解员", "recuse": "调解员回避",
    "draft_agreement": "起草协议", "edit_agreement": "修改协议草稿", "discard_agreement": "删除协议草稿",
    "sign_agreement": "协议签署生效", "judicial": "司法确认", "visit": "回访",
    "edit_case": "修改案件信息", "edit_party": "修改当事人", "add_party": "增加当事人",
    "remove_party": "移除当事人", "reveal": "查看完整个人信息", "add_record": "添加记录",
    "edit_record": "修改记录", "delete_record": "删除记录", "add_attachment": "添加附件",
    "open_attachment": "打开附件", "remove_attachment": "移除附件", "print": "打印", "export": "导出",
    **{name: step.label for name, step in STEPS.items()},
}
_DETAIL_LABELS = {
    "number": "编号", "from": "原状态", "to": "新状态", "note": "说明", "mediator": "调解员", "role": "角色",
    "chosen_by": "产生方式", "reason": "原因", "step": "步骤", "agreement": "协议", "status": "状态",
    "performance": "履行情况", "fields": "修改项", "file": "文件", "matter": "事由", "kind": "类别",
    "parties": "当事人", "party": "当事人", "size": "大小",
}
_FIELD_LABELS = {
    "summary": "简要案情", "facts": "纠纷事实", "source": "来源", "source_ref": "来源编号",
    "official_type": "纠纷类型", "subtype_id": "纠纷小类", "estate_id": "小区", "building_id": "楼栋",
    "property_company_id": "物业企业", "risk": "风险等级", "amount": "金额", "people_count": "涉及人数",
    "name": "姓名/名称", "phone": "电话", "id_number": "证件号码", "address": "地址", "gender": "性别",
    "ethnicity": "民族", "occupation": "职业", "age": "年龄", "birth_date": "出生日期", "room": "房号",
    "representative": "法定代表人", "representative_title": "职务", "role": "身份", "kind": "类别",
    "held_at": "时间", "matter": "事由", "place": "地点", "participants": "参加人",
    "parties_present": "到场当事人", "rights_told": "权利义务告知", "statements": "当事人陈述",
    "findings": "调查/调解情况", "outcome": "结果", "recorder": "记录人", "clauses": "协议条款",
    "performance": "履行方式", "performance_deadline": "履行期限",
}
_HIDDEN_DETAIL = {"sha256", "record", "attachment"}


def shown_text(ctx: Context, case_id: int) -> Callable[[str], str]:
    """How this user sees the free text of this case: as typed, or with its personal numbers masked."""
    return _as_typed if may_act_on_case(ctx, Permission.REVEAL_PERSONAL, case_id) else mask_text


def _as_typed(value: str) -> str:
    return value


@requires(Permission.READ_CASES)
def steps(ctx: Context, case_id: int) -> list[StepView]:
    t = shown_text(ctx, case_id)
    with ctx.db.reading() as session:
        load(session, case_id)
        return [
            StepView(s.id, s.position, s.step_name, s.held_at, s.form, t(s.place), s.expected_count,
                     s.present_count, t(s.participants), t(s.content), t(s.decision), t(s.publicity),
                     t(s.supervision), s.recorder)
            for s in session.scalars(select(ConsultationStep).where(ConsultationStep.case_id == case_id)
                                     .order_by(ConsultationStep.position, ConsultationStep.id))
        ]


@requires(Permission.READ_CASES)
def case_agreements(ctx: Context, case_id: int) -> list[AgreementView]:
    t = shown_text(ctx, case_id)
    with ctx.db.reading() as session:
        load(session, case_id)
        return [
            AgreementView(a.id, a.version, a.kind, a.status, a.number or "", t(a.facts),
                          [t(c.text) for c in a.clauses], t(a.performance), a.performance_deadline, a.amount,
                          a.copies, a.mediator_names, a.recorder, a.signed_on, a.judicial_deadline, a.judicial_status,
                          a.judicial_applied_on)
            for a in session.scalars(select(Agreement).where(Agreement.case_id == case_id).order_by(Agreement.id))
        ]


@requires(Permission.READ_CASES)
def visits(ctx: Context, case_id: int) -> list[VisitView]:
    t = shown_text(ctx, case_id)
    with ctx.db.reading() as session:
        load(session, case_id)
        return [
            VisitView(v.id, v.visited_on, v.visitor, v.method, t(v.visited_parties), v.performance, v.satisfaction,
                      v.lawsuit, t(v.measures), t(v.notes))
            for v in session.scalars(select(ReturnVisit).where(ReturnVisit.case_id == case_id)
                                     .order_by(ReturnVisit.visited_on, ReturnVisit.id))
        ]


@requires(Permission.READ_CASES)
def history(ctx: Context, case_id: int) -> list[HistoryEntry]:
    """Every recorded action on the case, newest first, from the audit trail."""
    with ctx.db.reading() as session:
        load(session, case_id)
        rows = session.scalars(select(AuditEvent).where(AuditEvent.object_type == "case",
                                                        AuditEvent.object_id == str(case_id))
                               .order_by(AuditEvent.id.desc()))
        # Details are masked when written; masking again on the way out also covers older entries.
        return [HistoryEntry(e.at, e.actor, ACTION_LABELS.get(e.action, e.action), mask_text(describe(e.detail)))
                for e in rows]


def describe(detail: str) -> str:
    """The audit detail as a clerk reads it: 调解员：李桂兰；原因：……"""
    try:
        data = json.loads(detail or "{}")
    except ValueError:
        return detail
    if not isinstance(data, dict):
        return str(data)
    labels = {s.value: s.label for s in CaseStatus}
    parts = []
    for key, value in data.items():
        if key in _HIDDEN_DETAIL or value in ("", None, [], {}):
            continue
        if isinstance(value, list):
            value = "、".join(_FIELD_LABELS.get(str(v), str(v)) for v in value)
        text = labels.get(str(value), str(value))
        parts.append(f"{_DETAIL_LABELS.get(key, key)}：{text}")
    return "；".join(parts)


@dataclass(frozen=True)
class PartyPlace:
    """Where a party lives, which ``CaseDetail.parties`` leaves out, for editing the party."""

    party_id: int
    estate_id: int | None
    building_id: int | None
    room: str


@requires(Permission.READ_CASES)
def party_places(ctx: Context, case_id: int) -> dict[int, PartyPlace]:
    """Each party's place; a person's flat only for a user who may see personal data on the case."""
    shown = may_act_on_case(ctx, Permission.REVEAL_PERSONAL, case_id)
    with ctx.db.reading() as session:
        case = load(session, case_id)
        return {cp.party_id: PartyPlace(cp.party_id, cp.party.estate_id, cp.party.building_id,
                                        cp.party.room if shown or cp.party.kind is not PartyKind.PERSON
                                        or not cp.party.room else "****")
                for cp in case.parties}


@requires(Permission.READ_CASES)
def people_count(ctx: Context, case_id: int) -> int:
    """涉及人数, which ``CaseDetail`` leaves out."""
    with ctx.db.reading() as session:
        return load(session, case_id).people_count
