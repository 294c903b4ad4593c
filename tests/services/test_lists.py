"""Editable lists: sub-types and step names, mediators with open-case counts, companies with deactivation."""

from __future__ import annotations

import pytest
from service_helpers import (
    add_estate,
    add_mediator,
    assign_lead,
    audit_since,
    credit_code,
    last_audit_id,
    register_case,
)

from wuye_desktop.errors import ConflictError, PermissionDeniedError, ValidationError
from wuye_desktop.models import MediatorKind, Role
from wuye_desktop.services import cases, reference
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.reference import lists
from wuye_desktop.services.reference.defaults import DEFAULT_STEPS
from wuye_desktop.services.reference.lists import CompanyInput, ListKind, MediatorInput


def test_step_names_can_be_renamed_reordered_added_and_deactivated(ctx: Context) -> None:
    steps = lists.items(ctx, ListKind.STEP)
    assert [s.name for s in steps] == list(DEFAULT_STEPS)
    lists.rename_item(ctx, ListKind.STEP, steps[0].id, "征集议题")
    lists.move_item(ctx, ListKind.STEP, steps[4].id, -1)
    new_id = lists.add_item(ctx, ListKind.STEP, "公示结果")
    lists.set_item_active(ctx, ListKind.STEP, steps[1].id, False)
    after = lists.items(ctx, ListKind.STEP)
    assert [s.name for s in after] == ["征集议题", "民事民议", "民事民决", "民事民评", "民事民办", "公示结果"]
    assert [s.position for s in after] == [1, 2, 3, 4, 5, 6]
    assert not next(s for s in after if s.id == steps[1].id).active
    assert [c.name for c in reference.step_names(ctx)] == ["征集议题", "民事民决", "民事民评", "民事民办", "公示结果"]
    assert new_id == after[-1].id


def test_list_names_must_be_present_and_unique(ctx: Context) -> None:
    with pytest.raises(ValidationError) as caught:
        lists.add_item(ctx, ListKind.SUBTYPE, "房屋漏水")
    assert caught.value.errors == {"name": "已有名为“房屋漏水”的纠纷小类"}
    with pytest.raises(ValidationError) as caught:
        lists.add_item(ctx, ListKind.SUBTYPE, "  ")
    assert "name" in caught.value.errors


def test_the_last_active_entry_cannot_be_deactivated(ctx: Context) -> None:
    steps = lists.items(ctx, ListKind.STEP)
    for step in steps[1:]:
        lists.set_item_active(ctx, ListKind.STEP, step.id, False)
    with pytest.raises(ValidationError):
        lists.set_item_active(ctx, ListKind.STEP, steps[0].id, False)


def test_only_settings_users_edit_lists(ctx: Context) -> None:
    clerk = Context(ctx.db, User("何静", Role.CLERK), ctx.today_override)
    with pytest.raises(PermissionDeniedError):
        lists.add_item(clerk, ListKind.SUBTYPE, "电梯故障")


def test_mediators_show_their_open_case_counts_and_edits_are_versioned(ctx: Context) -> None:
    place = add_estate(ctx, "锦绣花园", "安居物业", 1)
    li = add_mediator(ctx, "李桂兰")
    for _ in range(2):
        case_id = register_case(ctx).id
        workflow.accept(ctx, case_id)
        assign_lead(ctx, case_id, li)
    closed = register_case(ctx).id
    assign_lead(ctx, closed, li)
    workflow.refuse(ctx, closed, "当事人拒绝调解")
    assert lists.open_case_counts(ctx) == {li: 2}
    view = next(m for m in lists.mediators(ctx) if m.id == li)
    assert view.open_cases == 2

    before = last_audit_id(ctx)
    data = MediatorInput("李桂兰", MediatorKind.FULL_TIME, gender="女", phone="138 1234 5678",
                         home_estate_id=place.estate_id, home_building_id=place.buildings["1号楼"])
    lists.update_mediator(ctx, li, data, view.version)
    edited = next(m for m in lists.mediators(ctx) if m.id == li)
    assert (edited.phone, edited.home_estate, edited.home_building) == ("13812345678", "锦绣花园", "1号楼")
    assert audit_since(ctx, before) == [("王晓燕", "update", "mediator", str(li))]
    with pytest.raises(ConflictError):
        lists.update_mediator(ctx, li, data, view.version)

    lists.set_mediator_active(ctx, li, False)
    assert li not in [c.id for c in reference.mediators(ctx)]
    assert [m.id for m in lists.mediators(ctx, include_inactive=False)] == []


def test_mediator_input_is_checked_field_by_field(ctx: Context) -> None:
    with pytest.raises(ValidationError) as caught:
        lists.add_mediator(ctx, MediatorInput("", phone="12345"))
    assert set(caught.value.errors) == {"name", "phone"}


def test_companies_are_edited_and_deactivated_without_losing_their_cases(ctx: Context) -> None:
    place = add_estate(ctx, "锦绣花园", "安居物业", 1)
    case_id = register_case(ctx, estate_id=place.estate_id).id
    view = next(c for c in lists.companies(ctx) if c.id == place.company_id)
    assert (view.estates, view.open_cases, view.active) == (1, 1, True)
    lists.update_company(ctx, place.company_id, CompanyInput("安居物业服务有限公司", credit_code(1),
                                                             contact_person="刘经理", phone="0714-6251234"),
                         view.version)
    lists.set_company_active(ctx, place.company_id, False)
    after = next(c for c in lists.companies(ctx) if c.id == place.company_id)
    assert (after.name, after.phone, after.active) == ("安居物业服务有限公司", "0714-6251234", False)
    assert lists.companies(ctx, include_inactive=False) == []
    lists.set_company_active(ctx, place.company_id, True)
    assert [c.id for c in lists.companies(ctx, include_inactive=False)] == [place.company_id]

    other = lists.add_company(ctx, CompanyInput("宏达物业"))
    with pytest.raises(ValidationError) as caught:
        lists.update_company(ctx, other, CompanyInput("宏达物业", credit_code(1)), 1)
    assert caught.value.errors == {"credit_code": "已有使用该统一社会信用代码的物业企业"}
    assert cases.get(ctx, case_id).property_company == "安居物业服务有限公司"
