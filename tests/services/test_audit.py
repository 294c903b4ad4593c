"""The audit trail: every change names who made it, and tampering with the trail is detected."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from service_helpers import (
    ACTOR,
    add_estate,
    add_mediator,
    assign_lead,
    audit_since,
    case_in,
    draft_agreement,
    last_audit_id,
    register_case,
    step_input,
)
from sqlalchemy import select, text

from wuye_desktop.errors import DomainError
from wuye_desktop.models import AuditEvent, CaseStatus, JudicialStatus, Performance, Satisfaction
from wuye_desktop.services import audit, reference, settings
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import VisitInput
from wuye_desktop.services.casework import agreements, mediation
from wuye_desktop.services.context import Context


def entries_of(ctx: Context, action: Callable[[], object]) -> list[tuple[str, str, str, str]]:
    """Run one service action; return the audit entries it wrote."""
    before = last_audit_id(ctx)
    action()
    return audit_since(ctx, before)


def test_every_step_of_a_case_is_audited_with_the_clerk(ctx: Context) -> None:
    mediator = add_mediator(ctx, "李桂兰")
    ref = register_case(ctx)
    case = str(ref.id)
    agreement: list[int] = []
    assignment: list[int] = []
    visit = VisitInput("2026-11-20", "李桂兰", Performance.PERFORMED, Satisfaction.SATISFIED)
    # (what the clerk did, the service call, the audit actions it must leave on the case)
    script: list[tuple[str, Callable[[], object], list[str]]] = [
        ("受理", lambda: workflow.accept(ctx, ref.id), ["accept"]),
        ("指派调解员", lambda: assignment.append(assign_lead(ctx, ref.id, mediator)), ["assign"]),
        ("回避", lambda: mediation.recuse(ctx, assignment[0], "当事人申请回避"), ["recuse"]),
        ("再指派", lambda: assign_lead(ctx, ref.id, mediator), ["assign"]),
        ("延期", lambda: workflow.extend_deadline(ctx, ref.id, "2027-01-31", "双方同意延期"), ["extend"]),
        ("第一次协商", lambda: mediation.record_step(ctx, ref.id, step_input()), ["start", "step"]),
        ("第二次协商", lambda: mediation.record_step(ctx, ref.id, step_input(day=6)), ["step"]),
        ("上报", lambda: workflow.escalate(ctx, ref.id), ["escalate"]),
        ("起草协议", lambda: agreement.append(draft_agreement(ctx, ref.id)), ["draft_agreement"]),
        ("签署协议", lambda: agreements.sign(ctx, agreement[0]), ["agree", "sign_agreement"]),
        ("申请司法确认", lambda: agreements.record_judicial(ctx, agreement[0], JudicialStatus.APPLIED),
         ["judicial"]),
        ("回访", lambda: agreements.record_visit(ctx, ref.id, visit), ["visit"]),
        ("结案", lambda: workflow.close(ctx, ref.id), ["close"]),
        ("重新调解", lambda: workflow.reopen(ctx, ref.id, "协议未履行"), ["reopen"]),
        ("终止调解", lambda: workflow.terminate(ctx, ref.id, "双方分歧较大"), ["terminate"]),
    ]
    for what, action, expected in script:
        written = entries_of(ctx, action)
        assert written == [(ACTOR, name, "case", case) for name in expected], what


@pytest.mark.parametrize("status", [CaseStatus.REGISTERED, CaseStatus.ACCEPTED])
def test_refusal_and_referral_are_audited(ctx: Context, status: CaseStatus) -> None:
    case = case_in(ctx, status)
    if status is CaseStatus.REGISTERED:
        written = entries_of(ctx, lambda: workflow.refuse(ctx, case.case_id, "拒绝调解"))
    else:
        written = entries_of(ctx, lambda: workflow.refer(ctx, case.case_id, "派出所"))
    assert written == [(ACTOR, "refuse" if status is CaseStatus.REGISTERED else "refer", "case", str(case.case_id))]


def test_registration_and_reference_changes_are_audited(ctx: Context) -> None:
    written = entries_of(ctx, lambda: register_case(ctx))
    assert [(w[0], w[1], w[2]) for w in written] == [(ACTOR, "create", "case")]
    written = entries_of(ctx, lambda: add_estate(ctx, "锦绣花园", "安居物业服务有限公司", 1))
    assert {(w[0], w[1], w[2]) for w in written} >= {
        (ACTOR, "create", "property_company"), (ACTOR, "create", "estate")}
    written = entries_of(ctx, lambda: settings.put(ctx, settings.MEDIATION_DAYS, 40))
    assert written == [(ACTOR, "settings", "setting", settings.MEDIATION_DAYS)]
    written = entries_of(ctx, lambda: reference.update_committee(ctx, name="幸福里社区人民调解委员会",
                                                                short_name="幸福里"))
    assert [(w[0], w[1], w[2]) for w in written] == [(ACTOR, "settings", "committee")]


def test_a_refused_step_leaves_no_audit_entry(ctx: Context) -> None:
    case = case_in(ctx, CaseStatus.CLOSED)
    before = last_audit_id(ctx)
    with pytest.raises(DomainError):
        workflow.accept(ctx, case.case_id)
    with pytest.raises(DomainError):
        draft_agreement(ctx, case.case_id)
    assert audit_since(ctx, before) == []


def test_audit_detail_does_not_carry_id_numbers_or_phones(ctx: Context) -> None:
    case = case_in(ctx, CaseStatus.AGREED)
    with ctx.db.reading() as session:
        details = session.scalars(select(AuditEvent.detail).where(AuditEvent.object_id == str(case.case_id)))
        text_all = " ".join(details)
    assert "420202" not in text_all, "ID numbers are sensitive personal information"


# -- the chain ------------------------------------------------------------------------------------


def busy_register(ctx: Context) -> None:
    for status in (CaseStatus.CLOSED, CaseStatus.MEDIATING, CaseStatus.REFERRED):
        case_in(ctx, status)


def audit_ids(ctx: Context) -> list[int]:
    with ctx.db.reading() as session:
        return list(session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)))


def test_untouched_chain_verifies(ctx: Context) -> None:
    busy_register(ctx)
    report = audit.verify(ctx.db)
    assert report.ok, report.problems
    assert report.entries == len(audit_ids(ctx)) == 14, "init + 5 + 4 + 4 entries for the three cases"


def test_edited_detail_is_named(ctx: Context) -> None:
    busy_register(ctx)
    target = audit_ids(ctx)[10]
    with ctx.db.writing() as session:
        session.execute(text("UPDATE audit_event SET detail = :d WHERE id = :i"),
                        {"d": '{"number": "（2026）某某调字第99号"}', "i": target})
    report = audit.verify(ctx.db)
    assert not report.ok
    assert len(report.problems) == 1 and f"第 {target} 条" in report.problems[0]
    assert "内容被改动过" in report.problems[0] and ACTOR in report.problems[0]


def test_edited_actor_is_named(ctx: Context) -> None:
    busy_register(ctx)
    target = audit_ids(ctx)[-3]
    with ctx.db.writing() as session:
        session.execute(text("UPDATE audit_event SET actor = '系统' WHERE id = :i"), {"i": target})
    problems = audit.verify(ctx.db).problems
    assert len(problems) == 1 and f"第 {target} 条" in problems[0]


def test_deleted_middle_entry_is_named(ctx: Context) -> None:
    busy_register(ctx)
    ids = audit_ids(ctx)
    middle = ids[len(ids) // 2]
    following = ids[len(ids) // 2 + 1]
    with ctx.db.writing() as session:
        session.execute(text("DELETE FROM audit_event WHERE id = :i"), {"i": middle})
    report = audit.verify(ctx.db)
    assert not report.ok
    assert report.entries == len(ids) - 1
    assert len(report.problems) == 1 and f"第 {following} 条之前" in report.problems[0]
    assert "删除" in report.problems[0]


def test_chain_keeps_verifying_after_more_work(ctx: Context) -> None:
    busy_register(ctx)
    case = case_in(ctx, CaseStatus.AGREED)
    agreements.record_visit(ctx, case.case_id, VisitInput("2026-11-20", "李桂兰", Performance.PARTIAL))
    assert audit.verify(ctx.db).ok
