"""12345 import: a messy export checked row by row, dry run, import, re-import, all-or-nothing."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import hotline_samples as samples
import pytest
from service_helpers import add_estate, last_audit_id
from sqlalchemy import func, select, text

from wuye_desktop.errors import DomainError
from wuye_desktop.models import CaseSource, MediationCase, WorkOrder
from wuye_desktop.services import cases, hotline, settings
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.context import Context


def counts(ctx: Context) -> tuple[int, int, int]:
    with ctx.db.reading() as session:
        return (session.scalar(select(func.count()).select_from(WorkOrder)) or 0,
                session.scalar(select(func.count()).select_from(MediationCase)) or 0,
                last_audit_id(ctx))


def places(ctx: Context) -> tuple[int, int]:
    north = add_estate(ctx, "幸福里", "黄石安居物业服务有限公司", 21, ("1号楼", "2号楼", "3号楼"))
    south = add_estate(ctx, "锦绣花园", "湖北长青物业服务有限公司", 22)
    return north.estate_id, south.estate_id


def test_the_report_names_row_column_and_problem_and_writes_nothing(ctx: Context, tmp_path: Path) -> None:
    places(ctx)
    table = hotline.read_table(samples.messy_xlsx(tmp_path / "工单.xlsx"))
    assert table.header_row == 3 and table.sheet == "工单列表"
    before = counts(ctx)
    report = hotline.check(ctx, table)
    assert counts(ctx) == before
    assert report.mapping == {"order_no": 1, "caller": 2, "phone": 3, "received_at": 4, "category": 5,
                              "urgency": 6, "address": 7, "content": 8, "due_at": 9, "satisfaction": 10}
    assert [o.row for o in sorted(report.ready, key=lambda o: o.row)] == samples.GOOD_ROWS
    blocking = {(p.row, p.column): p.message for p in report.problems if p.blocking}
    assert blocking[(9, "来电时间(必填)（E列）")] == "受理时间“2026-02-30”不存在，请核对年月日和时间"
    assert "手机号码应为11位" in blocking[(10, "联系方式（手机）（D列）")]
    assert blocking[(11, "诉求内容（I列）")] == "请填写主要内容"
    assert "晚于今天" in blocking[(12, "来电时间(必填)（E列）")]
    assert "科学计数法" in blocking[(13, "*工单号（B列）")]
    assert "满意" in blocking[(14, "回访满意度（K列）")]
    assert blocking[(samples.CONFLICT_ROW, "*工单号（B列）")].endswith("与第5行相同但内容不同，请核对后只保留一行")
    notices = {p.row: p.message for p in report.problems if not p.blocking}
    assert notices == {samples.REPEATED_ROW: "与第4行完全相同，已跳过",
                       samples.FOOTER_ROW: "没有工单编号和内容，已跳过（可能是表尾的合计或说明）"}
    assert (report.rows, report.rejected, report.skipped, report.fatal) == (14, 7, 2, False)


def test_import_registers_good_rows_as_12345_cases_with_their_deadlines(ctx: Context, tmp_path: Path) -> None:
    north, south = places(ctx)
    table = hotline.read_table(samples.messy_xlsx(tmp_path / "工单.xlsx"))
    _report, result = hotline.import_orders(ctx, table)
    assert result.imported == 5 and (result.rejected, result.skipped) == (7, 2)
    with ctx.db.reading() as session:
        orders = {o.order_no: o for o in session.scalars(select(WorkOrder))}
        rows = {c.source_ref: c for c in session.scalars(select(MediationCase))}
    assert set(orders) == {"2026100300012", "GD20261005007", "GD20261008003", "GD20261009011", "GD20261012001"}
    first = orders["2026100300012"]
    assert (first.caller, first.phone, first.category, first.received_at) == (
        "张先生", "13812345678", "投诉", datetime(2026, 10, 3))
    # 投诉: 15 working days from Saturday 3 October → Friday 23 October, end of day.
    assert first.due_at == datetime(2026, 10, 23, 23, 59, 59)
    assert orders["GD20261008003"].due_at == datetime(2026, 10, 12, 23, 59, 59)  # 咨询: 2 working days
    assert orders["GD20261009011"].due_at == datetime(2026, 10, 16, 23, 59, 59)  # "7天" in the file
    assert orders["GD20261012001"].due_at == datetime(2026, 10, 20, 17, 0)  # the file's own deadline
    assert orders["GD20261012001"].received_at == datetime(2026, 10, 12, 12, 0)  # an Excel serial number
    assert orders["GD20261005007"].phone == "13912345678" and orders["GD20261005007"].urgency == "一般"
    assert orders["GD20261005007"].satisfaction == "满意"
    case = rows["2026100300012"]
    assert case.source is CaseSource.HOTLINE and case.registered_on == date(2026, 10, 3)
    assert case.estate_id == north and case.summary == "反映楼上卫生间漏水，楼下天花板大面积发霉，物业不处理"
    assert rows["GD20261005007"].estate_id == south and orders["2026100300012"].case_id == case.id
    detail = cases.get(ctx, rows["GD20261009011"].id)
    assert detail.parties[0].name == "匿名来电人" and detail.building == ""
    assert cases.get(ctx, case.id).building == "3号楼"
    # Registered through the same rules as by hand: numbered in date order, found by the order number.
    numbers = [rows[k].seq for k in ("2026100300012", "GD20261005007", "GD20261008003", "GD20261009011",
                                     "GD20261012001")]
    assert numbers == sorted(numbers)
    found = register.page(ctx, register.CaseFilter(text="GD20261008003"), 0, 10)
    assert [r.id for r in found] == [rows["GD20261008003"].id]


def test_importing_the_same_file_again_adds_nothing(ctx: Context, tmp_path: Path) -> None:
    places(ctx)
    path = samples.messy_xlsx(tmp_path / "工单.xlsx")
    hotline.import_orders(ctx, hotline.read_table(path))
    before = counts(ctx)
    report, result = hotline.import_orders(ctx, hotline.read_table(path))
    assert result.imported == 0 and counts(ctx) == before
    skipped = [p.message for p in report.problems if not p.blocking and "已导入过" in p.message]
    assert len(skipped) == 5 and "（2026）" in skipped[0]


def test_a_failure_while_writing_leaves_nothing_behind(ctx: Context, tmp_path: Path) -> None:
    places(ctx)
    table = hotline.read_table(samples.messy_xlsx(tmp_path / "工单.xlsx"))
    with ctx.db.writing() as session:  # the database itself refuses the fourth order, mid-import
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("CREATE TRIGGER refuse_one BEFORE INSERT ON work_order "
                                 "WHEN NEW.order_no = 'GD20261009011' BEGIN SELECT RAISE(ABORT, 'refused'); END"))
        else:
            session.execute(text("CREATE FUNCTION refuse_one() RETURNS trigger AS $$ BEGIN "
                                 "IF NEW.order_no = 'GD20261009011' THEN RAISE unique_violation USING MESSAGE = "
                                 "'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql"))
            session.execute(text("CREATE TRIGGER refuse_one BEFORE INSERT ON work_order "
                                 "FOR EACH ROW EXECUTE FUNCTION refuse_one()"))
    before = counts(ctx)
    with pytest.raises(DomainError, match="未导入任何内容"):
        hotline.import_orders(ctx, table)
    assert counts(ctx) == before
    with ctx.db.reading() as session:
        assert session.execute(text("SELECT count(*) FROM number_sequence WHERE last_value > 0")).scalar() == 0


def test_a_gbk_csv_with_full_width_digits_imports(ctx: Context, tmp_path: Path) -> None:
    table = hotline.read_table(samples.gbk_csv(tmp_path / "工单.csv"))
    assert table.header_row == 2
    report, result = hotline.import_orders(ctx, table)
    assert result.imported == 2 and not report.problems
    with ctx.db.reading() as session:
        orders = {o.order_no: o for o in session.scalars(select(WorkOrder))}
    assert orders["CSV0001"].received_at == datetime(2026, 10, 15, 8, 30)
    assert orders["CSV0002"].phone == "13811113333" and orders["CSV0002"].received_at == datetime(2026, 10, 16)
    # "投诉类" takes the 投诉 row of the table; 举报 has its own.
    assert orders["CSV0002"].due_at == datetime(2026, 11, 6, 23, 59, 59)
    assert orders["CSV0001"].due_at == datetime(2026, 11, 5, 23, 59, 59)


def test_the_due_table_is_a_setting_the_administrator_can_change(ctx: Context, tmp_path: Path) -> None:
    settings.put(ctx, settings.HOTLINE_DUE_DAYS, {"投诉": "5", "其他": 3})
    hotline.import_orders(ctx, hotline.read_table(samples.gbk_csv(tmp_path / "工单.csv")))
    with ctx.db.reading() as session:
        due = dict(session.execute(select(WorkOrder.order_no, WorkOrder.due_at)).all())
    assert due == {"CSV0001": datetime(2026, 10, 20, 23, 59, 59), "CSV0002": datetime(2026, 10, 23, 23, 59, 59)}
    with pytest.raises(DomainError, match="其他"):
        settings.put(ctx, settings.HOTLINE_DUE_DAYS, {"投诉": 5})
    with pytest.raises(DomainError, match="1 到 60"):
        settings.put(ctx, settings.HOTLINE_DUE_DAYS, {"投诉": 0, "其他": 3})


def test_a_corrected_mapping_is_used_and_a_missing_required_column_blocks(ctx: Context, tmp_path: Path) -> None:
    table = hotline.read_table(samples.gbk_csv(tmp_path / "工单.csv"))
    without_content = {k: v for k, v in hotline.check(ctx, table).mapping.items() if k != "content"}
    report = hotline.check(ctx, table, without_content)
    assert report.fatal and report.problems[0].where == "整个文件" and "主要内容" in report.problems[0].message
    with pytest.raises(DomainError, match="未导入"):
        hotline.import_orders(ctx, table, without_content)
    # The clerk points 主要内容 at the 来电人 column instead: accepted, and used.
    report = hotline.check(ctx, table, {**without_content, "content": 1})
    assert not report.fatal and report.ready[0].draft.summary == "钱先生"
