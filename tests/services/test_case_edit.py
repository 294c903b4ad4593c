"""Correcting a registered case and its parties: versioned, searchable, audited, validated per field."""

from __future__ import annotations

import pytest
from service_helpers import add_estate, audit_since, case_in, last_audit_id, person, register_case

from wuye_desktop.errors import ConflictError, DomainError, IllegalTransitionError, ValidationError
from wuye_desktop.models import CaseStatus, PartyRole, RiskColour
from wuye_desktop.services import cases
from wuye_desktop.services.cases import editing as case_edit
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases.dto import PartyInput
from wuye_desktop.services.cases.editing import CaseEdit
from wuye_desktop.services.context import Context


def _edit(detail: cases.CaseDetail, **fields: object) -> CaseEdit:
    edit = CaseEdit(summary=detail.summary, facts=detail.facts, source=detail.source, source_ref=detail.source_ref,
                    official_type=detail.official_type, risk=detail.risk)
    for name, value in fields.items():
        setattr(edit, name, value)
    return edit


def test_editing_the_case_bumps_its_version_and_refreshes_search(ctx: Context) -> None:
    place = add_estate(ctx, "锦绣花园", "安居物业", 1)
    ref = register_case(ctx)
    detail = cases.get(ctx, ref.id)
    before = last_audit_id(ctx)
    version = case_edit.update_case(ctx, ref.id, _edit(detail, summary="楼上装修噪声扰民", risk=RiskColour.RED,
                                                      estate_id=place.estate_id, amount="1,200.5"),
                                    detail.version)
    after = cases.get(ctx, ref.id)
    assert (after.summary, after.risk, after.estate, after.property_company, str(after.amount)) == (
        "楼上装修噪声扰民", RiskColour.RED, "锦绣花园", "安居物业", "1200.50")
    assert version == after.version > detail.version
    assert register.count(ctx, register.CaseFilter(text="噪声")) == 1
    assert audit_since(ctx, before) == [("王晓燕", "edit_case", "case", str(ref.id))]

    with pytest.raises(ConflictError):
        case_edit.update_case(ctx, ref.id, _edit(detail, summary="旧的副本"), detail.version)
    assert cases.get(ctx, ref.id).summary == "楼上装修噪声扰民"


def test_errors_are_keyed_by_field(ctx: Context) -> None:
    ref = register_case(ctx)
    detail = cases.get(ctx, ref.id)
    with pytest.raises(ValidationError) as caught:
        case_edit.update_case(ctx, ref.id, _edit(detail, summary="", amount="十元", people_count="三"), detail.version)
    assert set(caught.value.errors) == {"summary", "amount", "people_count"}


def test_parties_are_corrected_added_and_removed_under_the_case_version(ctx: Context) -> None:
    ref = register_case(ctx)
    detail = cases.get(ctx, ref.id)
    first = detail.parties[0]
    v1 = case_edit.update_party(ctx, ref.id, first.party_id,
                                PartyInput("赵一", phone="13912345678", address="锦绣花园1号楼"), detail.version)
    with pytest.raises(ValidationError) as caught:
        case_edit.add_party(ctx, ref.id, person("孙三", id_number="420202198001011235"), v1, index=2)
    assert list(caught.value.errors) == ["parties.2.id_number"]
    v2 = case_edit.add_party(ctx, ref.id, person("孙三", role=PartyRole.THIRD_PARTY), v1)
    with pytest.raises(ConflictError):
        case_edit.remove_party(ctx, ref.id, first.party_id, v1)
    after = cases.get(ctx, ref.id, reveal=True)
    assert [(p.name, p.role) for p in after.parties] == [
        ("赵一", PartyRole.APPLICANT), ("钱二", PartyRole.RESPONDENT), ("孙三", PartyRole.THIRD_PARTY)]
    assert after.parties[0].phone == "13912345678"
    v3 = case_edit.remove_party(ctx, ref.id, after.parties[2].party_id, v2)
    assert len(cases.get(ctx, ref.id).parties) == 2 and v3 > v2
    assert register.count(ctx, register.CaseFilter(text="5678")) == 1


def test_a_filed_case_and_the_last_party_stay_as_they_are(ctx: Context) -> None:
    closed = case_in(ctx, CaseStatus.CLOSED).case_id
    detail = cases.get(ctx, closed)
    with pytest.raises(IllegalTransitionError):
        case_edit.update_case(ctx, closed, _edit(detail, summary="改"), detail.version)
    single = register_case(ctx, parties=[person("周五")]).id
    only = cases.get(ctx, single)
    with pytest.raises(DomainError):
        case_edit.remove_party(ctx, single, only.parties[0].party_id, only.version)


def test_a_masked_number_never_overwrites_the_real_one(ctx: Context) -> None:
    ref = register_case(ctx, parties=[person("赵一", phone="13812345678"), person("钱二")])
    detail = cases.get(ctx, ref.id)
    masked = detail.parties[0]
    with pytest.raises(ValidationError) as caught:
        case_edit.update_party(ctx, ref.id, masked.party_id, PartyInput("赵一", phone=masked.phone), detail.version)
    assert list(caught.value.errors) == ["parties.0.phone"]
    assert cases.get(ctx, ref.id, reveal=True).parties[0].phone == "13812345678"
