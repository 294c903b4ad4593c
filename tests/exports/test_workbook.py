"""The monthly workbook as a clerk receives it: titles, frozen headers, formats, print setup, a valid file."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import openpyxl

from wuye_desktop.exports import workbook
from wuye_desktop.exports.workbook_data import LedgerEntry, MonthlyWorkbook
from wuye_desktop.services import demo, statistics
from wuye_desktop.services.context import Context
from wuye_desktop.services.statistics.report import workbook_of


def _data(ctx: Context) -> MonthlyWorkbook:
    demo.generate(ctx, 400, seed=7)
    return workbook_of(statistics.monthly_report(ctx, statistics.month(2026, 10)))


def test_every_sheet_has_title_frozen_header_and_a4_landscape_print_setup(ctx: Context, tmp_path: Path) -> None:
    data = _data(ctx)
    path = tmp_path / "月报.xlsx"
    workbook.write_monthly(data, path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == list(workbook.SHEETS)
    for ws in book.worksheets:
        title = ws["A1"].value
        assert data.heading.unit in title and "2026年10月物业纠纷调解工作统计表" in title
        assert any(str(r.coord) == f"A1:{openpyxl.utils.get_column_letter(ws.max_column)}1" for r in ws.merged_cells)
        assert "统计期间：2026年10月1日至2026年10月31日" in ws["A2"].value
        assert ws.freeze_panes in ("A4", "C4")
        assert ws.print_title_rows == "$3:$3"
        assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4)
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert all((ws.column_dimensions[c].width or 0) >= 5 for c in "ABC")
        assert "第 &P 页" in ws.oddFooter.center.text
    summary = book["汇总"]
    rows = {str(r[0].value).strip(): r for r in summary.iter_rows(min_row=4) if r[1].value}
    assert rows["成功率"][2].number_format == "0.0%" and rows["受理纠纷"][2].number_format == "0"
    assert rows["协议涉及金额"][2].number_format == "#,##0.00" and rows["主动调解"][3].number_format == "0.0%"
    notes = [r[0].value for r in summary.iter_rows(min_row=4) if str(r[0].value or "").startswith("注：")]
    assert any("成功率 = 调解成功 ÷（调解成功 + 调解终止）" in n for n in notes)
    ledger = book["台账"]
    first = [c for c in ledger[4]]
    assert first[2].number_format == "yyyy-mm-dd" and isinstance(first[2].value, datetime)
    assert len([r for r in ledger.iter_rows(min_row=4, values_only=True) if r[1] and "调字第" in r[1]]) \
        == len(data.ledger)


def test_the_fast_ledger_rows_are_well_formed_xml_in_order(ctx: Context, tmp_path: Path) -> None:
    data = _data(ctx)
    tricky = LedgerEntry(
        number="（2026）测试调字第1号", registered_on=date(2026, 10, 1), source="当事人申请",
        dispute_type="物业", place="", company="A&B <物业>", applicant="王\x07五", phone="", id_number="",
        address="", respondents="", summary="  前后有空格、换行\n和 \"引号\" ", mediators="", accepted_on=None,
        status="登记", status_on=None, agreement="", amount=Decimal("0.10"), visit="")
    data = dataclasses.replace(data, ledger=(*data.ledger, tricky))
    path = tmp_path / "m.xlsx"
    workbook.write_monthly(data, path)
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                ElementTree.fromstring(archive.read(name))  # raises on malformed XML
        sheet = ElementTree.fromstring(archive.read("xl/worksheets/sheet6.xml"))
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    numbers = [int(r.get("r")) for r in sheet.iterfind(".//m:sheetData/m:row", ns)]
    assert numbers == sorted(numbers) and len(numbers) == len(set(numbers))
    ws = openpyxl.load_workbook(path)["台账"]
    last = [c.value for c in ws[3 + len(data.ledger)]]
    assert last[6] == "A&B <物业>" and last[7] == "王五" and last[12] == "  前后有空格、换行\n和 \"引号\" "
    assert last[18] == 0.1 and last[2] == datetime(2026, 10, 1)
    assert str(ws.cell(row=5 + len(data.ledger), column=1).value).startswith("注：")


def test_the_replies_file_has_the_platforms_four_columns_in_row_one(tmp_path: Path) -> None:
    path = tmp_path / "回复.xlsx"
    workbook.write_replies(path, [("GD001", "调解成功", "经调解，双方自愿达成协议。", date(2026, 10, 3)),
                                  ("GD002", "办理中", "正在调解中。", None)])
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == ["工单编号", "办理结果", "回复内容", "办结时间"]
    assert [c.value for c in ws[2]] == ["GD001", "调解成功", "经调解，双方自愿达成协议。", datetime(2026, 10, 3)]
    assert ws.freeze_panes == "A2" and ws["D2"].number_format == "yyyy-mm-dd"
