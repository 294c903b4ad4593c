"""卷宗封面 and 卷内目录: the front of a case file."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from wuye_desktop.exports.pdf.data import CoverDoc
from wuye_desktop.exports.pdf.styles import FRAME_WIDTH, GAP, NBSP, SIZE_4, SIZE_S4, Sheet, cn_date

TITLE = "人民调解卷宗"
CONTENTS_TITLE = "卷内目录"


@dataclass(frozen=True)
class ContentsEntry:
    name: str
    day: str
    pages: str  # "3" or "3-4"; "" for a file not printed
    remark: str = ""


def story(doc: CoverDoc, sheet: Sheet) -> list[Flowable]:
    big = ParagraphStyle("committee", sheet.center, fontSize=SIZE_4 + 2, leading=(SIZE_4 + 2) * 1.6)
    label = ParagraphStyle("cover_label", sheet.plain, fontSize=SIZE_4, leading=SIZE_4 * 1.5)
    value = ParagraphStyle("cover_value", label)
    dates = ""
    if doc.started_on or doc.ended_on:
        dates = f"{cn_date(doc.started_on, '')}至{cn_date(doc.ended_on, '今')}"
    fields = [
        (f"卷{GAP}名", doc.title), (f"卷{GAP}号", doc.case_number), ("纠纷类型", doc.dispute_type),
        (f"当{NBSP}事{NBSP}人", doc.parties), (f"调{NBSP}解{NBSP}员", doc.mediators), ("调解日期", dates),
        ("调解结果", doc.outcome), (f"立{NBSP}卷{NBSP}人", doc.filed_by), ("立卷日期", cn_date(doc.filed_on)),
        ("保管期限", doc.retention),
    ]
    rows = [[sheet.para(name, label), sheet.para(text, value)] for name, text in fields]
    table = Table(rows, colWidths=[FRAME_WIDTH * 0.22, FRAME_WIDTH * 0.68])
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), sheet.font, SIZE_S4),  # else the table's own default: Helvetica, unembedded
        ("LINEBELOW", (1, 0), (1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 7),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    table.hAlign = "CENTER"
    return [
        Spacer(1, 8 * mm),
        sheet.para(doc.committee.name, big),
        Spacer(1, 14 * mm),
        sheet.title(TITLE, size=36),
        Spacer(1, 26 * mm),
        table,
    ]


def contents(entries: list[ContentsEntry], sheet: Sheet) -> list[Flowable]:
    rows: list[list[object]] = [[sheet.para(h, sheet.cell_label) for h in ("序号", "文件名称", "日期", "页号", "备注")]]
    for number, entry in enumerate(entries, 1):
        rows.append([str(number), entry.name, entry.day, entry.pages, entry.remark])
    tables = sheet.form(rows, [0.08, 0.42, 0.23, 0.11, 0.16], label_columns=(0, 2, 3))
    for table in tables:
        table.repeatRows = 1  # a long 目录 repeats its heading on each page
    return [sheet.title(CONTENTS_TITLE), Spacer(1, 4 * mm), *tables]
