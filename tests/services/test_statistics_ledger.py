"""台账, personal data, the audit entry, several committees in one register."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from service_helpers import last_audit_id
from sqlalchemy import select, text, update
from statistics_oracle import active, figures
from statistics_scenario import build
from test_statistics import check_summary

from wuye_desktop.errors import ValidationError
from wuye_desktop.models import AuditEvent, Committee, MediationCase, Role
from wuye_desktop.services import statistics
from wuye_desktop.services.context import Context, User

OCTOBER = statistics.month(2026, 10)
LEDGER_HEADER = ["序号", "案件编号", "登记日期", "来源", "纠纷类别", "小区楼栋", "物业企业", "申请人", "联系电话",
                 "身份证号", "住址", "被申请人", "简要案情", "调解员", "受理日期", "期末状态", "状态日期", "协议",
                 "协议金额（元）", "回访履行"]


def ledger_rows(path: Path) -> dict[str, dict[str, Any]]:
    ws = openpyxl.load_workbook(path)["台账"]
    header = [c.value for c in ws[3]]
    assert header == LEDGER_HEADER
    rows = {}
    for values in ws.iter_rows(min_row=4, values_only=True):
        if values[1] and not str(values[0]).startswith("注："):
            rows[values[1]] = dict(zip(header, values, strict=True))
    return rows


def numbers(ctx: Context, ids: set[int]) -> dict[int, str]:
    with ctx.db.reading() as session:
        return dict(session.execute(select(MediationCase.id, MediationCase.number)
                                    .where(MediationCase.id.in_(ids))).all())


def test_the_ledger_lists_every_case_of_the_month_as_it_stood_at_the_end(ctx: Context, tmp_path: Path) -> None:
    scenario = build(ctx)
    statistics.export_monthly(ctx, OCTOBER, tmp_path / "m.xlsx")
    rows = ledger_rows(tmp_path / "m.xlsx")
    expected = numbers(ctx, active(figures(ctx, OCTOBER.start, OCTOBER.end)))
    assert set(rows) == set(expected.values())
    by_case = {case_id: rows[number] for case_id, number in expected.items()}
    c = scenario.cases
    assert [r["序号"] for r in rows.values()] == list(range(1, len(rows) + 1))
    # Status at 31 October, not today's: A was filed and B closed in November, C accepted in November.
    assert by_case[c["A"]]["期末状态"] == "达成协议" and by_case[c["A"]]["状态日期"].date() == date(2026, 10, 3)
    assert by_case[c["B"]]["期末状态"] == "调解终止"
    assert by_case[c["C"]]["期末状态"] == "登记" and by_case[c["C"]]["受理日期"] is None
    assert by_case[c["H"]]["协议"].startswith("口头协议") and by_case[c["H"]]["协议金额（元）"] == 5000.5
    assert by_case[c["A"]]["回访履行"] == "已履行" and by_case[c["H"]]["回访履行"] is None
    assert by_case[c["E"]]["来源"] == "12345热线工单\nGD202610120001"
    assert by_case[c["A"]]["调解员"] == "陈明华" and by_case[c["A"]]["小区楼栋"] == "幸福里"
    # F, carried over with nothing done in October, is counted in 期末在调 but is not a ledger row.
    assert c["F"] not in by_case


def test_personal_data_is_shown_only_to_roles_that_may_see_it(ctx: Context, tmp_path: Path) -> None:
    scenario = build(ctx)
    statistics.export_monthly(ctx, OCTOBER, tmp_path / "admin.xlsx")
    number = numbers(ctx, {scenario.cases["B"]})[scenario.cases["B"]]
    full = ledger_rows(tmp_path / "admin.xlsx")[number]
    assert full["联系电话"] == "13812345678" and full["住址"] == "黄石港区幸福里1号楼2单元301室"
    assert len(full["身份证号"]) == 18 and "*" not in full["身份证号"]

    viewer = dataclasses.replace(ctx, user=User("李主任", Role.VIEWER))
    result = statistics.export_monthly(viewer, OCTOBER, tmp_path / "viewer.xlsx")
    masked = ledger_rows(tmp_path / "viewer.xlsx")[number]
    assert result.masked
    assert masked["联系电话"] == "138****5678" and masked["住址"] == "黄石港区幸福里1号楼****"
    assert masked["身份证号"] == full["身份证号"][:3] + "*" * 11 + full["身份证号"][-4:]
    assert masked["申请人"] == "赵一"

    # A mediator sees the full details of the cases they handle, and only those.
    mediator = dataclasses.replace(ctx, user=User("陈明华", Role.MEDIATOR, mediator_id=scenario.mediators["陈明华"]))
    statistics.export_monthly(mediator, OCTOBER, tmp_path / "mediator.xlsx")
    rows = ledger_rows(tmp_path / "mediator.xlsx")
    own = numbers(ctx, {scenario.cases["A"], scenario.cases["C"]})
    for case_number, row in rows.items():
        assert ("*" not in row["联系电话"]) == (case_number in own.values()), case_number


def test_exporting_is_audited_and_a_bad_path_writes_nothing(ctx: Context, tmp_path: Path) -> None:
    build(ctx)
    before = last_audit_id(ctx)
    with pytest.raises(ValidationError, match="不存在"):
        statistics.export_monthly(ctx, OCTOBER, tmp_path / "没有这个文件夹" / "m.xlsx")
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        statistics.export_monthly(ctx, OCTOBER, tmp_path / "m.xls")
    assert last_audit_id(ctx) == before
    result = statistics.export_monthly(ctx, OCTOBER, tmp_path / "十月.xlsx")
    with ctx.db.reading() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.id > before)).one()
    assert (event.actor, event.action, event.object_type, event.object_id) == ("王晓燕", "export", "report",
                                                                               "2026年10月")
    assert '"masked": false' in event.detail and f'"cases": {result.cases}' in event.detail
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".wuye-")]


def test_a_county_register_sums_its_committees_and_splits_them(ctx: Context, tmp_path: Path) -> None:
    scenario = build(ctx)
    with ctx.db.writing() as session:
        second = Committee(name="磁湖社区人民调解委员会", short_name="磁湖")
        session.add(second)
        session.flush()
        second_id = second.id
        moved = [scenario.cases[k] for k in ("B", "E", "H")]
        session.execute(update(MediationCase).where(MediationCase.id.in_(moved)).values(committee_id=second_id))
        first_id = session.scalar(select(Committee.id).where(Committee.id != second_id).order_by(Committee.id))
        names = dict(session.execute(text("SELECT id, name FROM committee")).all())
    statistics.export_monthly(ctx, OCTOBER, tmp_path / "all.xlsx")
    book = openpyxl.load_workbook(tmp_path / "all.xlsx")
    assert book.sheetnames[:6] == ["汇总", "分类", "小区", "物业企业", "调解员", "台账"]
    assert len(book.sheetnames) == 8
    periods = ((date(2026, 10, 1), date(2026, 10, 31)), (date(2026, 9, 1), date(2026, 9, 30)),
               (date(2025, 10, 1), date(2025, 10, 31)))
    check_summary(book["汇总"], *(figures(ctx, *p) for p in periods))
    for sheet_name, committee_id in zip(book.sheetnames[6:], (first_id, second_id), strict=True):
        assert names[committee_id] in book[sheet_name]["A1"].value
        check_summary(book[sheet_name], *(figures(ctx, *p, committee_id=committee_id) for p in periods))

    statistics.export_monthly(ctx, OCTOBER, tmp_path / "one.xlsx", committee_id=second_id)
    one = openpyxl.load_workbook(tmp_path / "one.xlsx")
    assert len(one.sheetnames) == 6 and "磁湖社区人民调解委员会" in one["汇总"]["A1"].value
    check_summary(one["汇总"], *(figures(ctx, *p, committee_id=second_id) for p in periods))
    assert set(ledger_rows(tmp_path / "one.xlsx")) == set(numbers(ctx, set(moved)).values())
