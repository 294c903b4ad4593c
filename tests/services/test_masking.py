"""Personal data is masked wherever a non-privileged role sees it; a reveal is explicit and audited."""

from __future__ import annotations

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
    for query in ("", PHONE, "5678", "张三", ZHANG_ID[-6:], "502"):
        rows = register.page(viewer, register.CaseFilter(text=query), 0, 50)
        assert [r.id for r in rows] == [case_id], f"search {query!r} finds the case"
        assert shows_nothing_personal(repr(rows))
    related = register.related_open(viewer, id_numbers=[ZHANG_ID], names=[], building_id=None,
                                    property_company_id=None)
    assert [r.row.id for r in related] == [case_id] and shows_nothing_personal(repr(related))


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
