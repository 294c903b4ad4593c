"""Registering a dispute: what is saved, what is refused, and what the clerk is told."""

from __future__ import annotations

import pytest

from wuye_desktop.errors import ValidationError
from wuye_desktop.models import CaseStatus, PartyKind, PartyRole
from wuye_desktop.services import cases, reference
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context


def _draft(**overrides: object) -> CaseDraft:
    draft = CaseDraft(
        summary="楼上卫生间漏水致楼下天花板受损",
        parties=[
            PartyInput("张三", id_number="11010519491231002X", phone="138 1234 5678"),
            PartyInput("安居物业服务有限公司", role=PartyRole.RESPONDENT, kind=PartyKind.COMPANY,
                       id_number="91110000600037341L"),
        ],
    )
    for name, value in overrides.items():
        setattr(draft, name, value)
    return draft


def test_registered_case_gets_the_first_number_of_its_year(ctx: Context) -> None:
    reference.update_committee(ctx, name="幸福里社区人民调解委员会", short_name="幸福里")
    ref = cases.register(ctx, _draft())
    detail = cases.get(ctx, ref.id, reveal=True)
    assert detail.number == "（2026）幸福里调字第1号"
    assert detail.status is CaseStatus.REGISTERED
    assert detail.registrar == "王晓燕"
    applicant = detail.parties[0]
    assert (applicant.name, applicant.phone, applicant.gender) == ("张三", "13812345678", "女")
    assert applicant.birth_date is not None and applicant.birth_date.isoformat() == "1949-12-31"


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(ctx: Context) -> None:
    bad = _draft(summary="", amount="-5")
    bad.parties[0].id_number = "110105194912310021"
    bad.parties[0].phone = "12345"
    with pytest.raises(ValidationError) as caught:
        cases.register(ctx, bad)
    errors = caught.value.errors
    assert set(errors) == {"summary", "amount", "parties.0.id_number", "parties.0.phone"}
    assert "校验" in errors["parties.0.id_number"]
    good = cases.register(ctx, _draft())
    assert good.number.endswith("第1号"), "a refused registration must not use up a number"


def test_same_id_number_is_the_same_party_across_cases(ctx: Context) -> None:
    first = cases.register(ctx, _draft())
    second = cases.register(ctx, _draft(summary="物业费争议"))
    a = cases.get(ctx, first.id).parties[0]
    b = cases.get(ctx, second.id).parties[0]
    assert a.party_id == b.party_id
