"""Files that are not a readable work-order sheet: a clear message, and nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import hotline_samples as samples
import pytest
from service_helpers import last_audit_id
from sqlalchemy import func, select

from wuye_desktop.errors import DomainError
from wuye_desktop.models import MediationCase
from wuye_desktop.services import hotline
from wuye_desktop.services.context import Context


def _empty(tmp: Path) -> Path:
    path = tmp / "空.xlsx"
    path.write_bytes(b"")
    return path


def _pdf(tmp: Path) -> Path:
    path = tmp / "工单.xlsx"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n")
    return path


def _binary_csv(tmp: Path) -> Path:
    path = tmp / "工单.csv"
    path.write_bytes(b"\x00\x01\x02\x03" * 100)
    return path


def _photo(tmp: Path) -> Path:
    path = tmp / "工单.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    return path


def _empty_sheet(tmp: Path) -> Path:
    import openpyxl

    path = tmp / "空表.xlsx"
    openpyxl.Workbook().save(path)
    return path


CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("empty", _empty, "是空的（0 字节）"),
    ("corrupt", lambda t: samples.corrupt(t / "坏.xlsx", samples.messy_xlsx(t / "好.xlsx")), "已损坏"),
    ("broken sheet xml", lambda t: samples.broken_sheet(t / "坏.xlsx", samples.messy_xlsx(t / "好.xlsx")), "已损坏"),
    ("password", lambda t: samples.encrypted(t / "加密.xlsx", samples.messy_xlsx(t / "好.xlsx")), "设置了打开密码"),
    ("old xls", lambda t: samples.old_xls(t / "旧.xls"), "旧版 Excel（.xls）"),
    ("word", lambda t: samples.word_document(t / "工单.xlsx"), "不是 Excel 工作簿（看起来是Word 文档）"),
    ("pdf", _pdf, "是 PDF"),
    ("binary csv", _binary_csv, "不是文本表格"),
    ("photo", _photo, "无法识别文件"),
    ("missing", lambda t: t / "没有这个文件.xlsx", "找不到文件"),
    ("empty sheet", _empty_sheet, "没有任何内容"),
]


@pytest.mark.parametrize(("make", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_an_unreadable_file_gets_a_clear_message(make: Callable[[Path], Path], message: str, tmp_path: Path) -> None:
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        hotline.read_table(make(tmp_path))


def test_a_sheet_with_only_its_header_imports_nothing_and_says_why(ctx: Context, tmp_path: Path) -> None:
    table = hotline.read_table(samples.header_only(tmp_path / "只有表头.xlsx"))
    before = last_audit_id(ctx)
    report = hotline.check(ctx, table)
    assert report.fatal and report.problems[0].message == "表头下面没有工单数据，请确认导出的文件是否完整"
    with pytest.raises(DomainError, match="没有工单数据"):
        hotline.import_orders(ctx, table)
    with ctx.db.reading() as session:
        assert session.scalar(select(func.count()).select_from(MediationCase)) == 0
    assert last_audit_id(ctx) == before


def test_a_sheet_without_known_headers_can_still_be_mapped_by_hand(ctx: Context, tmp_path: Path) -> None:
    path = tmp_path / "自定义.csv"
    path.write_text("单据,人,号码,时间,说明\nA1,张三,13812345678,2026-10-01,楼道漏水\n", encoding="utf-8")
    table = hotline.read_table(path)
    assert table.headers == ["单据", "人", "号码", "时间", "说明"]
    assert hotline.check(ctx, table).fatal
    mapping = {"order_no": 0, "caller": 1, "phone": 2, "received_at": 3, "content": 4}
    report, result = hotline.import_orders(ctx, table, mapping)
    assert result.imported == 1 and not report.problems
