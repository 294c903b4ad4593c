"""The audit screen's service: filters by user, case, action and period; the chain check; export."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from account_helpers import PASSWORD, add_account, as_role
from openpyxl import load_workbook
from service_helpers import ACTOR, case_in, register_case

from wuye_desktop.errors import PermissionDeniedError, StorageError, ValidationError
from wuye_desktop.models import CaseStatus, Role
from wuye_desktop.services import accounts, cases
from wuye_desktop.services.accounts import audit_trail
from wuye_desktop.services.accounts.audit_trail import AuditFilter
from wuye_desktop.services.context import Context


def listed(ctx: Context, f: AuditFilter) -> list[audit_trail.AuditRow]:
    rows = audit_trail.page(ctx, f, 0, 1000)
    assert audit_trail.count(ctx, f) == len(rows)
    return rows


def test_filters_by_user_case_action_and_period(ctx: Context) -> None:
    closed = case_in(ctx, CaseStatus.CLOSED).case_id
    other = register_case(ctx).id
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    with pytest.raises(accounts.SignInError):
        accounts.login(ctx, "zhangsan", "Wrong-pass-1")
    accounts.login(ctx, "zhangsan", PASSWORD)
    number = cases.get(ctx, closed).number

    everything = listed(ctx, AuditFilter())
    assert [r.id for r in everything] == sorted((r.id for r in everything), reverse=True), "newest first"
    assert {r.actor for r in listed(ctx, AuditFilter(actor="张三"))} == {"张三"}
    assert [r.action_label for r in listed(ctx, AuditFilter(actor="张三"))] == ["登录", "登录失败"]
    by_case = listed(ctx, AuditFilter(case=number))
    assert [r.action for r in reversed(by_case)] == ["create", "accept", "draft_agreement", "terminate", "close"]
    assert all(r.object_label == f"案件 {number}" for r in by_case)
    assert listed(ctx, AuditFilter(case=str(cases.get(ctx, other).number)))[0].action_label == "新建"
    assert [r.action for r in listed(ctx, AuditFilter(action="terminate"))] == ["terminate"]
    failed = listed(ctx, AuditFilter(action="login_failed"))[0]
    assert failed.object_label == "账户 zhangsan" and "密码错误" in failed.detail and "连续失败次数：1" in failed.detail

    today = ctx.today()
    assert listed(ctx, AuditFilter(date_from=today, date_to=today)), "today's logins"
    assert listed(ctx, AuditFilter(date_from=date(2001, 1, 1), date_to=date(2001, 12, 31))) == []
    with pytest.raises(ValidationError) as backwards:
        audit_trail.count(ctx, AuditFilter(date_from=today, date_to=today - timedelta(days=1)))
    assert "date_to" in backwards.value.errors
    with pytest.raises(ValidationError) as unknown:
        audit_trail.count(ctx, AuditFilter(case="（2026）某某调字第999号"))
    assert "找不到案件" in unknown.value.errors["case"]


def test_choices_for_the_filters(ctx: Context) -> None:
    case_in(ctx, CaseStatus.ACCEPTED)
    assert ACTOR in audit_trail.actors(ctx)
    assert ("accept", "受理") in audit_trail.actions(ctx)


def test_details_read_as_chinese() -> None:
    assert audit_trail.describe('{"from": "registered", "to": "accepted", "note": ""}') == \
        "原状态：登记；新状态：已受理"
    assert audit_trail.describe('{"cases": 300, "from": "（2025）某某调字第1号", "to": "（2026）某某调字第9号"}') == \
        "案件数：300；起：（2025）某某调字第1号；止：（2026）某某调字第9号"
    assert audit_trail.describe('{"name": "张三", "party_id": 14}') == "姓名：张三"
    assert audit_trail.describe('{"fields": {"phone": ["138****5678", "139****1111"]}}') == \
        "修改项：电话 138****5678 → 139****1111"
    assert audit_trail.describe('{"fields": ["summary", "risk"]}') == "修改项：简要案情、风险等级"
    assert audit_trail.describe("不是 JSON") == "不是 JSON"
    assert audit_trail.describe('{"created": ["register_uid", "committee", "subtypes", "steps"]}') == \
        "创建：台账标识、调委会、纠纷小类、五步工作法步骤", "what a new register was given"


def test_only_administrators_read_the_trail(ctx: Context) -> None:
    for role in (Role.CLERK, Role.MEDIATOR, Role.VIEWER):
        with pytest.raises(PermissionDeniedError):
            audit_trail.page(as_role(ctx, role), AuditFilter(), 0, 10)
        with pytest.raises(PermissionDeniedError):
            audit_trail.check(as_role(ctx, role))


def test_the_export_writes_what_the_filter_selects_and_is_itself_audited(ctx: Context, tmp_path: Path) -> None:
    closed = case_in(ctx, CaseStatus.CLOSED).case_id
    number = cases.get(ctx, closed).number
    target = tmp_path / "导出" / "审计记录.xlsx"
    target.parent.mkdir()  # a folder that is not there is refused, not made (tests/services/test_outputs.py)
    written = audit_trail.export(ctx, AuditFilter(case=number), target)
    assert written == 5
    sheet = load_workbook(target).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "审计记录" and f"案件 {number}" in str(rows[0][0])
    assert rows[1] == ("序号", "时间", "用户", "操作", "对象", "详情", "校验码")
    assert [r[3] for r in rows[2:]] == ["结案归档", "终止调解", "起草协议", "受理", "新建"]
    assert all(len(str(r[6])) == 16 for r in rows[2:])
    latest = listed(ctx, AuditFilter(action="export"))[0]
    assert (latest.actor, latest.object_label) == (ACTOR, "审计记录") and "条数：5" in latest.detail
    with pytest.raises(ValidationError):
        audit_trail.export(ctx, AuditFilter(), tmp_path / "审计记录.csv")
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    with pytest.raises(StorageError):
        audit_trail.export(ctx, AuditFilter(), blocked / "审计记录.xlsx")


def test_the_screen_check_reports_the_chain(ctx: Context) -> None:
    case_in(ctx, CaseStatus.ACCEPTED)
    report = audit_trail.check(ctx)
    assert report.ok and report.entries >= 3
