"""Personal data is masked wherever a non-privileged role sees it; a reveal is explicit and audited."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from account_helpers import as_role
from service_helpers import (
    ACTOR,
    add_mediator,
    assign_lead,
    audit_since,
    company,
    credit_code,
    last_audit_id,
    person,
    register_case,
    step_input,
)

from wuye_desktop.errors import PermissionDeniedError
from wuye_desktop.models import PartyRole, Role
from wuye_desktop.services import cases, statistics
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.context import Context
from wuye_desktop.services.statistics.periods import month

ZHANG_ID = "11010519491231002X"
PHONE = "13812345678"
ADDRESS = "锦绣花园3号楼1单元502室"
COMPANY_CODE = credit_code(7)
FULL_VALUES = (ZHANG_ID, PHONE, "1单元502室", "19491231")


def a_case(ctx: Context) -> int:
    return register_case(ctx, summary="楼上漏水", parties=[
        person("张三", id_number=ZHANG_ID, phone=PHONE, address=ADDRESS),
        company("安居物业服务有限公司", COMPANY_CODE, role=PartyRole.RESPONDENT),
    ]).id


def shows_nothing_personal(text: str) -> bool:
    return not any(value in text for value in FULL_VALUES)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK, Role.MEDIATOR, Role.ADMIN], ids=lambda r: r.value)
def test_the_case_detail_is_masked_for_every_role_by_default(ctx: Context, role: Role) -> None:
    case_id = a_case(ctx)
    detail = cases.get(as_role(ctx, role), case_id)
    zhang, firm = detail.parties
    assert (zhang.phone, zhang.id_number, zhang.address) == ("138****5678", "110***********002X", "锦绣花园3号楼****")
    assert zhang.birth_date is None, "the birth date is the middle of the ID number"
    assert shows_nothing_personal(repr(detail))
    assert firm.id_number == COMPANY_CODE, "a company's credit code is public"


def test_register_rows_and_search_results_carry_no_personal_data(ctx: Context) -> None:
    case_id = a_case(ctx)
    viewer = as_role(ctx, Role.VIEWER)
    for query in ("", "5678", "张三", "锦绣花园3号楼"):
        rows = register.page(viewer, register.CaseFilter(text=query), 0, 50)
        assert [r.id for r in rows] == [case_id], f"search {query!r} finds the case"
        assert shows_nothing_personal(repr(rows))
    for query in (PHONE, "1381", ZHANG_ID, ZHANG_ID[-6:], "502"):  # what the screen does not show finds nothing
        assert register.page(viewer, register.CaseFilter(text=query), 0, 50) == [], query
        assert [r.id for r in register.page(ctx, register.CaseFilter(text=query), 0, 50)] == [case_id], query
    related = register.related_open(viewer, id_numbers=[ZHANG_ID], names=["张三"], building_id=None,
                                    property_company_id=None)
    assert [r.row.id for r in related] == [case_id] and shows_nothing_personal(repr(related)), "by the name it shows"
    assert register.related_open(viewer, id_numbers=[ZHANG_ID], names=[], building_id=None,
                                 property_company_id=None) == [], "not by an ID number it does not show"


# The ways clerks type personal numbers into free text, and what every masked place shows instead.
TYPED = {"+86 139 8765 4321": "139****4321", "139-8765-4322": "139****4322", "１３９８７６５４３２３": "139****4323",
         "420106 19850612 0012": "420***********0012", "420106850612001": "420********2001",
         "0714-6228899转123": "0714-****8899", "3栋2单元501室": "3栋****"}


def typed_in(text: str) -> list[str]:
    return [typed for typed in TYPED if typed in text]


def a_case_with_numbers_in_its_text(ctx: Context, mediator_id: int | None = None) -> int:
    """A case whose 简要案情, 纠纷事实, record, step, clause and visit notes hold personal numbers."""
    from wuye_desktop.models import Performance, RecordKind
    from wuye_desktop.services.cases import workflow
    from wuye_desktop.services.cases.dto import AgreementDraft, VisitInput
    from wuye_desktop.services.casework import agreements, mediation, records

    every = "，".join(TYPED)
    case_id = register_case(ctx, summary="张三（+86 139 8765 4321）诉楼上漏水，住3栋2单元501室",
                            facts=f"据称：{every}。",
                            parties=[person("张三", phone=PHONE), person("李四", role=PartyRole.RESPONDENT)]).id
    workflow.accept(ctx, case_id)
    if mediator_id is not None:
        assign_lead(ctx, case_id, mediator_id)
    mediation.record_step(ctx, case_id, step_input(content=f"双方到场，张三留电话{every}"))
    records.add_record(ctx, case_id, records.RecordInput(RecordKind.INVESTIGATION, datetime(2026, 11, 10, 9),
                                                         "现场查看", statements=f"李四称：{every}"))
    agreement = agreements.draft(ctx, case_id, AgreementDraft(clauses=[f"李四（身份证{'420106 19850612 0012'}）于"
                                                                       "2026年11月30日前修复，赔偿1,200.50元"],
                                                              amount="1200.50"))
    agreements.sign(ctx, agreement)
    agreements.record_visit(ctx, case_id, VisitInput("2026-11-20", "李桂兰", Performance.PERFORMED,
                                                     notes=f"回访电话{every}"))
    return case_id


def screen_text(user: Context, case_id: int) -> str:
    """Everything the case window shows, as the services give it to the window."""
    from wuye_desktop.services import casework
    from wuye_desktop.services.casework import records

    return repr((cases.get(user, case_id), casework.steps(user, case_id), casework.case_agreements(user, case_id),
                 casework.visits(user, case_id), records.records(user, case_id), casework.history(user, case_id)))


def test_numbers_typed_into_free_text_are_masked_on_screen_for_a_viewer(ctx: Context) -> None:
    case_id = a_case_with_numbers_in_its_text(ctx)
    viewer = screen_text(as_role(ctx, Role.VIEWER), case_id)
    assert typed_in(viewer) == [] and "13987654321" not in viewer
    for shown in TYPED.values():
        assert shown in viewer, shown
    for kept in ("（2026）某某调字第1号", "1,200.50元", "2026年11月30日", "楼上漏水"):
        assert kept in viewer, kept
    assert typed_in(screen_text(as_role(ctx, Role.CLERK), case_id)) == list(TYPED), "a clerk sees what was typed"


def test_a_mediator_sees_the_text_of_their_own_cases_only(ctx: Context) -> None:
    mine = add_mediator(ctx, "李桂兰")
    case_id = a_case_with_numbers_in_its_text(ctx, mine)
    other_id = a_case_with_numbers_in_its_text(ctx)
    mediator = as_role(ctx, Role.MEDIATOR, mediator_id=mine)
    assert typed_in(screen_text(mediator, case_id)) == list(TYPED)
    assert typed_in(screen_text(mediator, other_id)) == []


def test_text_seen_masked_cannot_be_saved_back_masked(ctx: Context) -> None:
    from wuye_desktop.errors import ValidationError
    from wuye_desktop.services.cases import editing

    case_id = register_case(ctx, summary="张三（+86 139 8765 4321）诉楼上漏水", facts="联系电话139-8765-4322").id
    mediator = as_role(ctx, Role.MEDIATOR, mediator_id=add_mediator(ctx, "李桂兰"))
    shown = cases.get(mediator, case_id)
    assert shown.summary == "张三（139****4321）诉楼上漏水"
    editing.update_case(mediator, case_id, editing.CaseEdit(shown.summary, shown.facts, amount="2000"), shown.version)
    kept = cases.get(ctx, case_id, reveal=True)
    assert (kept.summary, kept.facts) == ("张三（+86 139 8765 4321）诉楼上漏水", "联系电话139-8765-4322")
    assert kept.amount == 2000, "the rest of the edit is saved"
    with pytest.raises(ValidationError) as refused:
        editing.update_case(mediator, case_id, editing.CaseEdit(shown.summary, "联系电话139****4322，已改"),
                            kept.version)
    assert "已隐去的个人信息" in refused.value.message


def test_the_monthly_ledger_is_masked_for_a_viewer(ctx: Context) -> None:
    case_id = a_case(ctx)
    today = ctx.today()
    viewer_report = statistics.monthly_report(as_role(ctx, Role.VIEWER), month(today.year, today.month))
    rows = [r for r in viewer_report.ledger if r.case_id == case_id]
    assert len(rows) == 1 and viewer_report.masked
    assert (rows[0].phone, rows[0].id_number) == ("138****5678", "110***********002X")
    assert shows_nothing_personal(repr(viewer_report.ledger))


def test_a_viewer_cannot_reveal_and_nothing_is_recorded(ctx: Context) -> None:
    case_id = a_case(ctx)
    party_id = cases.get(ctx, case_id).parties[0].party_id
    viewer = as_role(ctx, Role.VIEWER)
    before = last_audit_id(ctx)
    with pytest.raises(PermissionDeniedError):
        cases.get(viewer, case_id, reveal=True)
    with pytest.raises(PermissionDeniedError):
        cases.reveal(viewer, case_id, party_id)
    assert audit_since(ctx, before) == []


def test_revealing_one_party_shows_the_full_values_and_is_audited(ctx: Context) -> None:
    case_id = a_case(ctx)
    party_id = cases.get(ctx, case_id).parties[0].party_id
    before = last_audit_id(ctx)
    full = cases.reveal(ctx, case_id, party_id)
    assert (full.phone, full.id_number, full.address) == (PHONE, ZHANG_ID, ADDRESS)
    whole = cases.get(ctx, case_id, reveal=True)
    assert whole.parties[0].phone == PHONE
    assert audit_since(ctx, before) == [(ACTOR, "reveal", "case", str(case_id))] * 2
    assert cases.get(ctx, case_id).parties[0].phone == "138****5678", "the next look is masked again"


def test_a_mediator_reveals_only_on_their_own_cases(ctx: Context) -> None:
    mine = add_mediator(ctx, "李桂兰")
    own, other = a_case(ctx), register_case(ctx, parties=[person("王五", phone="13900001111")]).id
    assign_lead(ctx, own, mine)
    mediator = as_role(ctx, Role.MEDIATOR, mediator_id=mine)
    assert cases.get(mediator, own, reveal=True).parties[0].phone == PHONE
    with pytest.raises(PermissionDeniedError) as caught:
        cases.get(mediator, other, reveal=True)
    assert "没有指派给您" in caught.value.message
    assert cases.get(mediator, other).parties[0].phone == "139****1111", "reading stays allowed, masked"


def test_exported_workbooks_carry_only_masked_values(ctx: Context, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from wuye_desktop.services.accounts import audit_trail

    case_id = a_case(ctx)
    cases.reveal(ctx, case_id, cases.get(ctx, case_id).parties[0].party_id)
    today = ctx.today()
    monthly = statistics.export_monthly(as_role(ctx, Role.VIEWER), month(today.year, today.month),
                                        tmp_path / "月报.xlsx")
    trail = tmp_path / "审计.xlsx"
    audit_trail.export(ctx, audit_trail.AuditFilter(), trail)
    for path in (monthly.path, trail):
        book = load_workbook(path, read_only=True)
        cells = " ".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
                         for v in row if v is not None)
        assert "张三" in cells, f"{path.name} has the case"
        assert shows_nothing_personal(cells), path.name


def test_a_viewers_workbook_masks_the_numbers_in_the_ledgers_summary(ctx: Context, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    a_case_with_numbers_in_its_text(ctx)
    today = ctx.today()
    for role, masked in ((Role.VIEWER, True), (Role.CLERK, False)):
        path = statistics.export_monthly(as_role(ctx, role), month(today.year, today.month),
                                         tmp_path / f"{role.value}.xlsx").path
        ledger = load_workbook(path, read_only=True)["台账"]
        cells = " ".join(str(v) for row in ledger.iter_rows(values_only=True) for v in row if v is not None)
        assert "诉楼上漏水" in cells
        if masked:
            assert typed_in(cells) == [] and "139****4321" in cells and "3栋****" in cells
        else:
            assert "+86 139 8765 4321" in cells
