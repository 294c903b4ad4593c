"""The workspace's reading views (steps, agreements, visits, history) and revising agreement drafts."""

from __future__ import annotations

import pytest
from service_helpers import add_mediator, assign_lead, case_in, draft_agreement, step_input

from wuye_desktop.errors import ConflictError, DomainError, ValidationError
from wuye_desktop.models import AgreementKind, AgreementStatus, CaseStatus, Performance
from wuye_desktop.services import casework
from wuye_desktop.services.cases.dto import AgreementDraft, VisitInput
from wuye_desktop.services.casework import agreements, mediation
from wuye_desktop.services.casework import drafts as agreement_drafts
from wuye_desktop.services.context import Context


def test_steps_agreements_visits_and_history_of_a_case(ctx: Context) -> None:
    prepared = case_in(ctx, CaseStatus.ACCEPTED)
    case_id = prepared.case_id
    assign_lead(ctx, case_id, add_mediator(ctx, "李桂兰"))
    mediation.record_step(ctx, case_id, step_input(18, decision="先修防水"))
    assert prepared.pending_draft is not None
    agreements.sign(ctx, prepared.pending_draft)
    agreements.record_visit(ctx, case_id, VisitInput("2026-11-20", "李桂兰", Performance.PARTIAL))

    [step] = casework.steps(ctx, case_id)
    assert (step.step_name, step.decision) == ("民事民提", "先修防水")
    [agreement] = casework.case_agreements(ctx, case_id)
    assert agreement.status is AgreementStatus.SIGNED and agreement.number.endswith("调协字第1号")
    assert agreement.clauses[0].startswith("被申请人于")
    [visit] = casework.visits(ctx, case_id)
    assert visit.performance is Performance.PARTIAL
    actions = [h.action for h in casework.history(ctx, case_id)]
    assert actions[:5] == ["回访", "协议签署生效", "达成协议", "记录协商步骤", "开始调解"]
    assert actions[-1] == "登记"
    assigned = next(h for h in casework.history(ctx, case_id) if h.action == "指派调解员")
    assert "调解员：李桂兰" in assigned.detail


def test_a_draft_is_revised_with_reordered_clauses_then_frozen_once_signed(ctx: Context) -> None:
    case_id = case_in(ctx, CaseStatus.MEDIATING).case_id
    agreement_id = draft_agreement(ctx, case_id)
    [view] = [a for a in casework.case_agreements(ctx, case_id) if a.id == agreement_id]
    clauses = [view.clauses[1], "双方互谅互让，不再就此事发生争执", view.clauses[0]]
    version = agreement_drafts.update_draft(ctx, agreement_id, AgreementDraft(
        clauses, kind=AgreementKind.ORAL, performance="当场支付", amount="800"), view.version)
    revised = next(a for a in casework.case_agreements(ctx, case_id) if a.id == agreement_id)
    assert (revised.clauses, revised.kind, str(revised.amount), revised.version) == (
        clauses, AgreementKind.ORAL, "800.00", version)
    with pytest.raises(ConflictError):
        agreement_drafts.update_draft(ctx, agreement_id, AgreementDraft(["x条款"]), view.version)
    with pytest.raises(ValidationError) as caught:
        agreement_drafts.update_draft(ctx, agreement_id, AgreementDraft([" "], amount="abc"), version)
    assert set(caught.value.errors) == {"clauses", "amount"}

    agreements.sign(ctx, agreement_id)
    with pytest.raises(DomainError):
        agreement_drafts.update_draft(ctx, agreement_id, AgreementDraft(["改"]), version + 1)


def test_a_draft_can_be_discarded(ctx: Context) -> None:
    case_id = case_in(ctx, CaseStatus.MEDIATING).case_id
    drafts = [a.id for a in casework.case_agreements(ctx, case_id)]
    view = casework.case_agreements(ctx, case_id)[0]
    agreement_drafts.discard_draft(ctx, view.id, view.version)
    assert [a.id for a in casework.case_agreements(ctx, case_id)] == drafts[1:]
