"""Messy 12345 exports, made here the way platforms and clerks make them.

Title rows above the header, header names that are variants with
decorations, merged cells, dates in every written form and as Excel
dates or serial numbers, numbers stored as text or as floats, full-width
digits, bad dates, a bad phone, repeated and conflicting rows, a footer.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl

TITLE = "黄石市12345政务服务便民热线工单导出（物业类）"
HEADERS = ["序号", "*工单号", "诉求人", "联系方式（手机）", "来电时间(必填)", "诉求类型", "紧急程度",
           "事发地点", "诉求内容", "办理时限", "回访满意度"]

# (工单号, 诉求人, 电话, 来电时间, 诉求类型, 紧急程度, 事发地点, 诉求内容, 办理时限, 满意度)
GOOD = [
    (2026100300012.0, "张先生", 13812345678, "2026年10月3日", "投诉", "一般",
     "黄石港区幸福里3号楼2单元", "反映楼上卫生间漏水，楼下天花板大面积发霉，物业不处理。", "", ""),
    ("GD20261005007", "李女士", "１３９１２３４５６７８", "2026/10/5", "投诉", "紧急",
     "锦绣花园", "小区消防通道被私家车长期占用。请尽快处理", "", "满意"),
    ("GD20261008003", "王五", "0714-6251234", "2026-10-08 09:30", "咨询", "一般",
     "幸福里", "咨询物业费收费标准是否合理", "", ""),
    ("GD20261009011", "", "", datetime(2026, 10, 9, 14, 5), "求助", "一般",
     "", "夜间广场舞噪声扰民，影响休息", "7天", ""),
    ("GD20261012001", "赵六", "13700000001", 46307.5, "建议", "一般",
     "幸福里1号楼", "建议增设电动车充电桩，解决飞线充电问题", "2026-10-20 17:00", "基本满意"),
]
# Row numbers in the file: title (1), export note (2), header (3), data from 4.
BAD = [
    ("GD20261013001", "孙七", "13800000002", "2026-02-30", "投诉", "一般", "幸福里", "日期写错的工单", "", ""),
    ("GD20261013002", "周八", "12345", "2026-10-13 10:00", "投诉", "一般", "幸福里", "电话写错的工单", "", ""),
    ("GD20261013003", "吴九", "13800000003", "2026-10-13", "投诉", "一般", "幸福里", "", "", ""),
    ("GD20261013004", "郑十", "13800000004", "2099-01-01", "投诉", "一般", "幸福里", "受理时间在将来", "", ""),
    ("2.02610E+12", "冯某", "13800000005", "2026-10-13", "投诉", "一般", "幸福里", "工单号被科学计数法", "", ""),
    ("GD20261013006", "陈某", "13800000006", "2026-10-13", "投诉", "一般", "幸福里", "满意度写错", "", "还行"),
]
CONFLICT = ("GD20261005007", "李女士", "13912345678", "2026/10/5", "投诉", "紧急", "锦绣花园",
            "同一工单号，内容却不同", "", "")


def messy_xlsx(path: Path) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "工单列表"
    ws.append([TITLE])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    ws.append(["导出时间：2026-11-01 08:00", None, None, None, None, None, None, None, "共 13 条"])
    ws.append(HEADERS)
    rows = [*GOOD, *BAD, GOOD[0], CONFLICT]
    for number, row in enumerate(rows, 1):
        ws.append([number, *row])
    ws.cell(row=8, column=5).number_format = "yyyy-mm-dd hh:mm"  # the Excel datetime stays a datetime
    # 紧急程度 merged over two rows, as platforms do for runs of the same value.
    ws.merge_cells(start_row=4, start_column=7, end_row=5, end_column=7)
    ws.append([])
    ws.append(["合计：13 条", None, None, None, None, None, None, None, None])
    book.save(path)
    return path


GOOD_ROWS = [4, 5, 6, 7, 8]
BAD_ROWS = [9, 10, 11, 12, 13, 14]
REPEATED_ROW, CONFLICT_ROW, FOOTER_ROW = 15, 16, 18


def gbk_csv(path: Path) -> Path:
    """Saved by Chinese Excel as CSV: GB18030, CRLF, the header after a note line."""
    lines = ["12345热线工单,,,,",
             "工单编号,来电人,联系电话,受理时间,主要内容,诉求类别",
             "CSV0001,钱先生,13811112222,2026年10月15日 8时30分,楼道堆放杂物，存在消防隐患,举报",
             "CSV0002,孙女士,１３８１１１１３３３３,20261016,物业服务态度差,投诉类"]
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    return path


def header_only(path: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.append(["工单编号", "来电人", "受理时间", "主要内容"])
    book.save(path)
    return path


def corrupt(path: Path, source: Path) -> Path:
    path.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    return path


def broken_sheet(path: Path, source: Path) -> Path:
    """A zip whose checksums are right but whose sheet XML stops half way."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as damaged:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            damaged.writestr(item, data)
    return path


def encrypted(path: Path, source: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    with source.open("rb") as plain, path.open("wb") as out:
        OOXMLFile(plain).encrypt("mima2026", out)
    return path


def word_document(path: Path) -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    path.write_bytes(buffer.getvalue())
    return path


def old_xls(path: Path) -> Path:
    """The start of an OLE2 compound file, as a .xls is, without an EncryptionInfo stream."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "Workbook".encode("utf-16-le"))
    return path
