"""The life of a case through the services: every legal step works, every illegal one is refused in Chinese."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

import pytest
from service_helpers import (
    TODAY,
    Prepared,
    add_estate,
    add_mediator,
    agreement_row,
    assign_lead,
    case_in,
    draft_agreement,
    person,
    register_case,
    snapshots,
    status_of,
    step_input,
    step_names,
)

from wuye_desktop.errors import (
    ConflictError,
    DomainError,
    IllegalTransitionError,
    ValidationError,
)
from wuye_desktop.models import (
    AgreementStatus,
    AssignmentRole,
    CaseStatus,
    EscalationLevel,
    PartyKind,
    PartyRole,
    Performance,
    Satisfaction,
)
from wuye_desktop.services import cases, settings
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import PartyInput, VisitInput
from wuye_desktop.services.casework import agreements, mediation
from wuye_desktop.services.context import Context
from wuye_desktop.services.reference.defaults import DEFAULT_STEPS

S = CaseStatus
ZHANG_ID = "11010519491231002X"
COMPANY_CODE = "91110000600037341L"


def refused(call: Callable[[], object], *names_in_message: str) -> str:
    """Run a step that must be refused; the message must name each of ``names_in_message``."""
    with pytest.raises(IllegalTransitionError) as caught:
        call()
    for name in names_in_message:
        assert name in caught.value.message, caught.value.message
    return caught.value.message


def visit(day: str = "2026-11-19", performance: Performance = Performance.PERFORMED) -> VisitInput:
    return VisitInput(visited_on=day, visitor="李桂兰", performance=performance,
                      satisfaction=Satisfaction.SATISFIED, method="电话")


# -- the whole life of one case ----------------------------------------------------------


def test_a_case_from_registration_to_reopening(ctx: Context) -> None:
    zhang = PartyInput("张三", id_number=ZHANG_ID, phone="13812345678", address="锦绣花园3号楼1单元502室")
    ref = register_case(ctx, parties=[zhang, PartyInput("安居物业服务有限公司", role=PartyRole.RESPONDENT,
                                                       kind=PartyKind.COMPANY, id_number=COMPANY_CODE)],
                        registered_on="2026-11-02")
    assert ref.number == "（2026）某某调字第1号"
    assert status_of(ctx, ref.id) is S.REGISTERED

    workflow.accept(ctx, ref.id, on="2026-11-02")
    detail = cases.get(ctx, ref.id)
    assert detail.status is S.ACCEPTED
    assert (detail.accepted_on, detail.deadline) == (date(2026, 11, 2), date(2026, 12, 2))

    mediator = add_mediator(ctx, "李桂兰")
    assign_lead(ctx, ref.id, mediator)
    assert [a.mediator_name for a in cases.get(ctx, ref.id).assignments] == ["李桂兰"]

    mediation.record_step(ctx, ref.id, step_input(day=3))
    assert status_of(ctx, ref.id) is S.MEDIATING, "the first consultation step starts mediation"
    mediation.record_step(ctx, ref.id, step_input(day=6))
    mediation.record_step(ctx, ref.id, step_input(day=9))
    assert step_names(ctx, ref.id) == list(DEFAULT_STEPS[:3]) == ["民事民提", "民事民议", "民事民决"]

    agreement_id = draft_agreement(ctx, ref.id)
    assert agreement_row(ctx, agreement_id).number is None, "a draft has no number yet"
    number = agreements.sign(ctx, agreement_id, signed_on="2026-11-18")
    assert number == "（2026）某某调协字第1号"
    signed = agreement_row(ctx, agreement_id)
    assert signed.status is AgreementStatus.SIGNED
    assert signed.copies == 3, "本协议一式三份: two parties and the committee"
    assert signed.mediator_names == "李桂兰"
    assert signed.judicial_deadline == date(2026, 12, 18), "司法确认 within 30 days of signing"
    detail = cases.get(ctx, ref.id)
    assert (detail.status, detail.concluded_on) == (S.AGREED, date(2026, 11, 18))

    # 张三 comes back with a new phone: the new case records it; this case and its signed agreement keep theirs.
    again = register_case(ctx, summary="物业费争议", parties=[
        PartyInput("张三", id_number=ZHANG_ID, phone="13900001111")])
    assert cases.get(ctx, again.id, reveal=True).parties[0].phone == "13900001111"
    assert cases.get(ctx, ref.id, reveal=True).parties[0].phone == "13812345678"
    frozen = snapshots(ctx, ref.id)
    assert frozen[0] is not None and frozen[0]["phone"] == "13812345678"
    assert frozen[0]["name"] == "张三" and frozen[0]["address"] == "锦绣花园3号楼1单元502室"
    assert frozen[1] is not None and frozen[1]["id_number"] == COMPANY_CODE

    agreements.record_visit(ctx, ref.id, visit())
    workflow.close(ctx, ref.id)
    detail = cases.get(ctx, ref.id)
    assert (detail.status, detail.closed_on) == (S.CLOSED, TODAY)

    workflow.reopen(ctx, ref.id, "回访发现被申请人未按协议修复防水层")
    detail = cases.get(ctx, ref.id)
    assert (detail.status, detail.closed_on, detail.concluded_on) == (S.MEDIATING, None, None)
    assert [e.action for e in detail.events] == ["register", "accept", "start", "agree", "close", "reopen"]
    assert {e.actor for e in detail.events} == {"王晓燕"}
    assert detail.events[-1].note == "回访发现被申请人未按协议修复防水层"

    second = agreements.sign(ctx, draft_agreement(ctx, ref.id))
    assert second == "（2026）某某调协字第2号", "a renewed agreement takes the next number"


def test_mediation_deadline_follows_the_configured_days(ctx: Context) -> None:
    settings.put(ctx, settings.MEDIATION_DAYS, 45)
    ref = register_case(ctx, registered_on="2026-11-01")
    workflow.accept(ctx, ref.id, on="2026-11-03")
    assert cases.get(ctx, ref.id).deadline == date(2026, 12, 18)


def test_acceptance_cannot_predate_registration_or_lie_in_the_future(ctx: Context) -> None:
    ref = register_case(ctx, registered_on="2026-11-10")
    for day in ("2026-11-09", "2026-11-22"):  # tomorrow (11-21) is allowed: a computer's clock may be a day behind
        with pytest.raises(ValidationError) as caught:
            workflow.accept(ctx, ref.id, on=day)
        assert list(caught.value.errors) == ["on"]
    assert status_of(ctx, ref.id) is S.REGISTERED


def test_steps_after_the_fifth_template_are_still_recorded(ctx: Context) -> None:
    ref = register_case(ctx)
    workflow.accept(ctx, ref.id)
    for day in range(1, 6):
        mediation.record_step(ctx, ref.id, step_input(day=day))
    mediation.record_step(ctx, ref.id, step_input(day=7, step_name="民事民议"))
    assert step_names(ctx, ref.id) == [*DEFAULT_STEPS, "民事民议"]


def test_step_with_more_present_than_expected_is_refused(ctx: Context) -> None:
    ref = register_case(ctx)
    workflow.accept(ctx, ref.id)
    with pytest.raises(ValidationError) as caught:
        mediation.record_step(ctx, ref.id, step_input(expected_count=5, present_count=6))
    assert list(caught.value.errors) == ["present_count"]
    assert status_of(ctx, ref.id) is S.ACCEPTED, "a refused step must not start mediation"


# -- illegal moves named by the clerk's own words ------------------------------------------


def test_accepting_a_closed_case_names_its_status(ctx: Context) -> None:
    case = case_in(ctx, S.CLOSED)
    message = refused(lambda: workflow.accept(ctx, case.case_id), "结案归档", "受理")
    assert "登记" in message, "the message says which status would allow it"


def test_terminating_a_registered_case_names_its_status(ctx: Context) -> None:
    case = case_in(ctx, S.REGISTERED)
    refused(lambda: workflow.terminate(ctx, case.case_id, "双方不同意"), "“登记”", "终止调解")


def test_return_visit_before_an_agreement_names_the_status(ctx: Context) -> None:
    case = case_in(ctx, S.MEDIATING)
    refused(lambda: agreements.record_visit(ctx, case.case_id, visit()), "调解中")


def test_drafting_an_agreement_on_a_closed_case_names_the_status(ctx: Context) -> None:
    case = case_in(ctx, S.CLOSED)
    refused(lambda: draft_agreement(ctx, case.case_id), "结案归档")


def test_recording_a_step_on_a_registered_case_names_the_status(ctx: Context) -> None:
    case = case_in(ctx, S.REGISTERED)
    refused(lambda: mediation.record_step(ctx, case.case_id, step_input()), "登记")


def test_assigning_a_mediator_to_a_closed_case_names_the_status(ctx: Context) -> None:
    case = case_in(ctx, S.CLOSED)
    mediator = add_mediator(ctx, "周建国")
    refused(lambda: assign_lead(ctx, case.case_id, mediator), "结案归档")


def test_escalation_climbs_three_levels_and_no_further(ctx: Context) -> None:
    case = case_in(ctx, S.MEDIATING)
    climbed = [workflow.escalate(ctx, case.case_id) for _ in range(3)]
    assert climbed == [EscalationLevel.PARTY_BRANCH, EscalationLevel.COMMUNITY, EscalationLevel.DEPARTMENTS]
    refused(lambda: workflow.escalate(ctx, case.case_id), "联动部门")
    detail = cases.get(ctx, case.case_id)
    assert detail.escalation == "联动部门"
    assert [e.action for e in detail.events].count("escalate") == 3


def test_a_signed_agreement_cannot_be_signed_again(ctx: Context) -> None:
    case = case_in(ctx, S.ACCEPTED)
    assert case.pending_draft is not None
    number = agreements.sign(ctx, case.pending_draft)
    with pytest.raises(DomainError) as caught:
        agreements.sign(ctx, case.pending_draft)
    assert number in caught.value.message


# -- the transition table, step by step and status by status ---------------------------------


def _sign_or_draft(ctx: Context, case: Prepared) -> object:
    # No service path drafts an agreement on a 登记 or 不予受理 case (drafting needs acceptance),
    # so there the attempt to reach 达成协议 is the draft itself; elsewhere the pending draft is signed.
    if case.pending_draft is None:
        return draft_agreement(ctx, case.case_id)
    return agreements.sign(ctx, case.pending_draft)


STEP_CALLS: dict[str, Callable[[Context, Prepared], object]] = {
    "accept": lambda ctx, c: workflow.accept(ctx, c.case_id),
    "refuse": lambda ctx, c: workflow.refuse(ctx, c.case_id, "被申请人明确表示拒绝调解"),
    "start": lambda ctx, c: workflow.start_mediation(ctx, c.case_id),
    "agree": _sign_or_draft,
    "terminate": lambda ctx, c: workflow.terminate(ctx, c.case_id, "双方分歧较大"),
    "refer": lambda ctx, c: workflow.refer(ctx, c.case_id, "综合执法", "涉及违法建设"),
    "close": lambda ctx, c: workflow.close(ctx, c.case_id),
    "reopen": lambda ctx, c: workflow.reopen(ctx, c.case_id, "当事人反映协议未履行"),
    "escalate": lambda ctx, c: workflow.escalate(ctx, c.case_id),
    "extend": lambda ctx, c: workflow.extend_deadline(ctx, c.case_id, "2027-06-30", "双方当事人同意延期"),
}


def test_every_step_of_the_table_has_a_service_call() -> None:
    assert set(STEP_CALLS) == set(workflow.STEPS)


@pytest.mark.parametrize(("step_name", "status"), list(itertools.product(workflow.STEPS, CaseStatus)))
def test_transition_table(ctx: Context, step_name: str, status: CaseStatus) -> None:
    step = workflow.STEPS[step_name]
    case = case_in(ctx, status)
    events_before = len(cases.get(ctx, case.case_id).events)
    if status in step.allowed_from:
        STEP_CALLS[step_name](ctx, case)
        detail = cases.get(ctx, case.case_id)
        assert detail.status is (step.to or status)
        assert detail.events[-1].action == step_name
        assert detail.events[-1].from_status is status
    else:
        refused(lambda: STEP_CALLS[step_name](ctx, case), f"“{status.label}”")
        assert status_of(ctx, case.case_id) is status
        assert len(cases.get(ctx, case.case_id).events) == events_before, "a refused step leaves no trace"


# -- reasons that must be given ------------------------------------------------------------


@pytest.mark.parametrize(("status", "call", "field"), [
    (S.REGISTERED, lambda ctx, i, why: workflow.refuse(ctx, i, why), "reason"),
    (S.MEDIATING, lambda ctx, i, why: workflow.terminate(ctx, i, why), "reason"),
    (S.ACCEPTED, lambda ctx, i, why: workflow.refer(ctx, i, why), "department"),
    (S.CLOSED, lambda ctx, i, why: workflow.reopen(ctx, i, why), "reason"),
    (S.ACCEPTED, lambda ctx, i, why: workflow.extend_deadline(ctx, i, "2027-01-31", why), "reason"),
], ids=["refuse", "terminate", "refer", "reopen", "extend"])
def test_steps_that_need_a_reason_refuse_a_blank_one(
        ctx: Context, status: CaseStatus, call: Callable[[Context, int, str], None], field: str) -> None:
    case = case_in(ctx, status)
    for blank in ("", "   \u3000"):
        with pytest.raises(ValidationError) as caught:
            call(ctx, case.case_id, blank)
        assert list(caught.value.errors) == [field]
        assert caught.value.errors[field].startswith(("请填写", "延长调解期限须经"))
    assert status_of(ctx, case.case_id) is status


def test_reasons_are_kept_on_the_case(ctx: Context) -> None:
    refused_case = case_in(ctx, S.REFUSED)
    referred = case_in(ctx, S.REGISTERED)
    workflow.refer(ctx, referred.case_id, "  市场监管  ", "价格违法")
    detail = cases.get(ctx, refused_case.case_id)
    assert detail.events[-1].note == "被申请人明确表示拒绝调解"
    assert detail.concluded_on == TODAY
    assert cases.get(ctx, referred.case_id).events[-1].note == "市场监管：价格违法"


# -- two windows on one case ------------------------------------------------------------------


def test_second_window_saving_a_stale_case_gets_a_conflict(ctx: Context) -> None:
    ref = register_case(ctx)
    window_a = cases.get(ctx, ref.id)
    window_b = cases.get(ctx, ref.id)
    workflow.accept(ctx, ref.id, expected_version=window_a.version)
    for stale_save in (
        lambda: workflow.refuse(ctx, ref.id, "当事人拒绝调解", expected_version=window_b.version),
        lambda: workflow.accept(ctx, ref.id, expected_version=window_b.version),
        lambda: mediation.assign(ctx, ref.id, add_mediator(ctx, "郑志强"), expected_version=window_b.version),
        lambda: mediation.record_step(ctx, ref.id, step_input(), expected_version=window_b.version),
    ):
        with pytest.raises(ConflictError) as caught:
            stale_save()
        assert ref.number in caught.value.message and "其他人修改" in caught.value.message
    detail = cases.get(ctx, ref.id)
    assert detail.status is S.ACCEPTED and detail.assignments == []
    # Reopened, the second window sees the new version and can carry on.
    mediation.record_step(ctx, ref.id, step_input(), expected_version=detail.version)
    assert status_of(ctx, ref.id) is S.MEDIATING


def test_every_status_change_bumps_the_version(ctx: Context) -> None:
    ref = register_case(ctx)
    versions = [cases.get(ctx, ref.id).version]
    workflow.accept(ctx, ref.id, expected_version=versions[-1])
    versions.append(cases.get(ctx, ref.id).version)
    workflow.start_mediation(ctx, ref.id, expected_version=versions[-1])
    versions.append(cases.get(ctx, ref.id).version)
    workflow.escalate(ctx, ref.id, expected_version=versions[-1])
    versions.append(cases.get(ctx, ref.id).version)
    assert versions == sorted(set(versions)), versions


# -- mediators: designation, recusal, warnings ------------------------------------------------


def test_recusal_keeps_the_assignment_with_its_reason(ctx: Context) -> None:
    case = case_in(ctx, S.ACCEPTED)
    first = add_mediator(ctx, "李桂兰")
    second = add_mediator(ctx, "周建国")
    assignment = assign_lead(ctx, case.case_id, first)

    with pytest.raises(DomainError) as caught:
        assign_lead(ctx, case.case_id, second)
    assert "回避" in caught.value.message, "the clerk is told to recuse the current lead first"
    with pytest.raises(DomainError):
        mediation.assign(ctx, case.case_id, first, role=AssignmentRole.ASSISTANT)
    with pytest.raises(ValidationError) as blank:
        mediation.recuse(ctx, assignment, "  ")
    assert list(blank.value.errors) == ["reason"]

    mediation.recuse(ctx, assignment, "申请人认为调解员与被申请人系亲属")
    with pytest.raises(DomainError):
        mediation.recuse(ctx, assignment, "重复回避")
    assign_lead(ctx, case.case_id, second)

    rows = cases.get(ctx, case.case_id).assignments
    assert [(a.mediator_name, a.role) for a in rows] == [("李桂兰", AssignmentRole.LEAD),
                                                          ("周建国", AssignmentRole.LEAD)]
    assert rows[0].recused_at is not None and rows[0].recusal_reason == "申请人认为调解员与被申请人系亲属"
    assert rows[1].recused_at is None
    new_draft = agreement_row(ctx, draft_agreement(ctx, case.case_id))
    assert new_draft.mediator_names == "周建国", "a recused mediator is not named on the agreement"


def test_assignment_warns_when_the_mediator_lives_in_the_building(ctx: Context) -> None:
    place = add_estate(ctx, "锦绣花园", "安居物业服务有限公司", 1, buildings=("3号楼", "5号楼"))
    neighbour = add_mediator(ctx, "周建国", home_estate_id=place.estate_id, home_building_id=place.buildings["3号楼"])
    elsewhere = add_mediator(ctx, "吴秀英", home_estate_id=place.estate_id, home_building_id=place.buildings["5号楼"])
    ref = register_case(ctx, estate_id=place.estate_id, building_id=place.buildings["3号楼"], parties=[
        person("张三", building_id=place.buildings["3号楼"]), person("李四", role=PartyRole.RESPONDENT)])

    warnings = mediation.assignment_warnings(ctx, ref.id, neighbour)
    assert any("同一楼栋" in w and "周建国" in w for w in warnings), warnings
    assert any("张三" in w and "同一楼栋" in w for w in warnings), "the applicant lives there too"
    assert mediation.assignment_warnings(ctx, ref.id, elsewhere) == []
    # A warning does not forbid: the committee may still designate after confirming.
    assign_lead(ctx, ref.id, neighbour)
    assert [a.mediator_name for a in cases.get(ctx, ref.id).assignments] == ["周建国"]
