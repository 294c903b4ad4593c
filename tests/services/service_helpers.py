"""Small builders shared by the service tests: valid ID numbers, parties, places, cases in any state.

Everything goes through the real services against the real database; the
only direct reads are of rows no service returns yet (agreements, steps,
audit entries), done with a read-only session.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from stdnum.cn import ric, uscc

from wuye_desktop.models import (
    Agreement,
    AuditEvent,
    CaseParty,
    CaseStatus,
    ConsultationStep,
    MediatorKind,
    PartyKind,
    PartyRole,
    StepForm,
)
from wuye_desktop.services import cases, reference
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import AgreementDraft, CaseDraft, CaseRef, PartyInput, StepInput
from wuye_desktop.services.casework import agreements, mediation
from wuye_desktop.services.context import Context

TODAY = date(2026, 11, 20)  # the conftest's fixed "today"
ACTOR = "王晓燕"  # the conftest's signed-in clerk

_serials = itertools.count(100)


def resident_id(birth: str = "19800101", serial: int | None = None, region: str = "420202") -> str:
    """A valid 18-character 居民身份证号 (correct check character) that no other call returns."""
    body = f"{region}{birth}{(next(_serials) if serial is None else serial) % 1000:03d}"
    return body + ric.calc_check_digit(body + "?")  # stdnum expects a placeholder check character


def credit_code(serial: int) -> str:
    """A valid 统一社会信用代码 of a company registered in the county."""
    body = f"91420200MA{serial:07d}"
    return body + uscc.calc_check_digit(body)


def person(name: str, *, role: PartyRole = PartyRole.APPLICANT, id_number: str | None = None,
           phone: str = "", **fields: object) -> PartyInput:
    """A resident as typed into the form; gets a fresh valid ID number unless one is given ("" for none)."""
    number = resident_id() if id_number is None else id_number
    return PartyInput(name, role=role, id_number=number, phone=phone, **fields)  # type: ignore[arg-type]


def company(name: str, code: str, *, role: PartyRole = PartyRole.RESPONDENT) -> PartyInput:
    return PartyInput(name, role=role, kind=PartyKind.COMPANY, id_number=code,
                      representative="刘经理", representative_title="总经理")


def register_case(ctx: Context, summary: str = "楼上卫生间漏水致楼下天花板受损",
                  parties: list[PartyInput] | None = None, **draft_fields: object) -> CaseRef:
    """Register a dispute through ``cases.register``; two neighbours unless parties are given."""
    draft = CaseDraft(summary=summary, parties=parties or [
        person("赵一"), person("钱二", role=PartyRole.RESPONDENT)])
    for name, value in draft_fields.items():
        setattr(draft, name, value)
    return cases.register(ctx, draft)


@dataclass(frozen=True)
class Place:
    community_id: int
    estate_id: int
    company_id: int
    buildings: dict[str, int]  # 楼栋 name -> id


def add_estate(ctx: Context, name: str, company_name: str, company_serial: int,
               buildings: tuple[str, ...] = ("1号楼", "2号楼")) -> Place:
    """An estate with its property company and buildings, through the reference services."""
    community_id = _community(ctx)
    company_id = reference.add_company(ctx, company_name, credit_code=credit_code(company_serial))
    estate_id = reference.add_estate(ctx, name, community_id, company_id, buildings=list(buildings))
    return Place(community_id, estate_id, company_id,
                 {c.name: c.id for c in reference.buildings(ctx, estate_id)})


def _community(ctx: Context) -> int:
    existing = reference.communities(ctx)
    return existing[0].id if existing else reference.add_community(ctx, "幸福里社区", "黄石港街道")


def add_mediator(ctx: Context, name: str, **fields: object) -> int:
    return reference.add_mediator(ctx, name, MediatorKind.FULL_TIME, **fields)  # type: ignore[arg-type]


def step_input(day: int = 5, **fields: object) -> StepInput:
    """A consultation meeting held on 2026-11-<day>."""
    return StepInput(held_at=datetime(2026, 11, day, 9, 30), form=StepForm.MEETING,  # type: ignore[arg-type]
                     **fields)


def draft_agreement(ctx: Context, case_id: int, **fields: object) -> int:
    content = AgreementDraft(clauses=["被申请人于2026年11月30日前修复卫生间防水层",
                                      "被申请人赔偿申请人天花板修缮费用1200元"], amount="1200")
    for name, value in fields.items():
        setattr(content, name, value)
    return agreements.draft(ctx, case_id, content)


# -- a case in any status, the way a clerk would get it there ----------------------


@dataclass
class Prepared:
    case_id: int
    # An unsigned draft agreement, where the route to this status allows one to exist.
    pending_draft: int | None = None
    history: list[str] = field(default_factory=list)


def case_in(ctx: Context, status: CaseStatus, **draft_fields: object) -> Prepared:
    """Register a case and drive it to ``status`` through the workflow services only.

    Except for 登记 and 不予受理 (no agreement can be drafted before
    acceptance), the case carries an unsigned draft agreement, so that
    signing it can be attempted from every status.
    """
    case_id = register_case(ctx, **draft_fields).id
    if status is CaseStatus.REGISTERED:
        return Prepared(case_id)
    if status is CaseStatus.REFUSED:
        workflow.refuse(ctx, case_id, "被申请人明确表示拒绝调解")
        return Prepared(case_id)
    workflow.accept(ctx, case_id)
    pending = draft_agreement(ctx, case_id)
    if status is CaseStatus.MEDIATING:
        workflow.start_mediation(ctx, case_id)
    elif status is CaseStatus.AGREED:
        agreements.sign(ctx, draft_agreement(ctx, case_id))
    elif status is CaseStatus.TERMINATED:
        workflow.terminate(ctx, case_id, "双方分歧较大，已告知可向人民法院起诉")
    elif status is CaseStatus.REFERRED:
        workflow.refer(ctx, case_id, "综合执法", "涉及违法建设")
    elif status is CaseStatus.CLOSED:
        workflow.terminate(ctx, case_id, "双方分歧较大，已告知可向人民法院起诉")
        workflow.close(ctx, case_id)
    assert status_of(ctx, case_id) is status
    return Prepared(case_id, pending)


def status_of(ctx: Context, case_id: int) -> CaseStatus:
    return cases.get(ctx, case_id).status


def assign_lead(ctx: Context, case_id: int, mediator_id: int) -> int:
    return mediation.assign(ctx, case_id, mediator_id)


# -- rows no service returns (yet) ---------------------------------------------------


def agreement_row(ctx: Context, agreement_id: int) -> Agreement:
    with ctx.db.reading() as session:
        row = session.get_one(Agreement, agreement_id)
        session.expunge(row)
        return row


def snapshots(ctx: Context, case_id: int) -> list[dict[str, object] | None]:
    """The parties' details frozen on the case when its agreement was signed."""
    with ctx.db.reading() as session:
        return list(session.scalars(select(CaseParty.snapshot).where(CaseParty.case_id == case_id)
                                    .order_by(CaseParty.position)))


def step_names(ctx: Context, case_id: int) -> list[str]:
    with ctx.db.reading() as session:
        return list(session.scalars(select(ConsultationStep.step_name)
                                    .where(ConsultationStep.case_id == case_id)
                                    .order_by(ConsultationStep.position)))


def last_audit_id(ctx: Context) -> int:
    with ctx.db.reading() as session:
        return session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0


def audit_since(ctx: Context, after_id: int) -> list[tuple[str, str, str, str]]:
    """(actor, action, object_type, object_id) of the entries written after ``after_id``."""
    with ctx.db.reading() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(AuditEvent.actor, AuditEvent.action, AuditEvent.object_type, AuditEvent.object_id)
            .where(AuditEvent.id > after_id).order_by(AuditEvent.id))]
