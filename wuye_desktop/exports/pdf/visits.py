"""人民调解回访记录 (Art. 31): was the agreement performed, are the parties satisfied."""

from __future__ import annotations

from reportlab.platypus import Flowable, PageBreak

from wuye_desktop.exports.pdf.data import VisitEntry, VisitsDoc
from wuye_desktop.exports.pdf.parts import signature_cell
from wuye_desktop.exports.pdf.styles import Sheet, cn_date

TITLE = "人民调解回访记录"
_COLS = [0.21, 0.29, 0.21, 0.29]


def story(doc: VisitsDoc, sheet: Sheet) -> list[Flowable]:
    out: list[Flowable] = []
    for index, visit in enumerate(doc.visits or (None,)):
        if index:
            out.append(PageBreak())
        out += visit_story(doc, visit, sheet)
    return out


def visit_story(doc: VisitsDoc, v: VisitEntry | None, sheet: Sheet) -> list[Flowable]:
    rows: list[list[object]] = [
        ["当事人", doc.parties, "", ""],
        ["协议编号", doc.agreement_number, "案件编号", doc.case_number],
        ["调解事项", doc.matter, "", ""],
        ["回访时间", cn_date(v.visited_on if v else None), "回访方式", v.method if v else "□电话\xa0\xa0□上门"],
        ["被回访人", v.visited_parties if v else "", "", ""],
        ["履行情况", v.performance if v else "□已履行\xa0\xa0□部分履行\xa0\xa0□未履行", "当事人满意度",
         v.satisfaction if v else "□满意\xa0\xa0□基本满意\xa0\xa0□不满意"],
        ["是否起诉", ("是" if v.lawsuit else "否") if v else "□是\xa0\xa0□否", "", ""],
        ["采取的措施", sheet.cell_text(v.measures if v else "", lines=3), "", ""],
        ["备注", sheet.cell_text(v.notes if v else "", lines=2), "", ""],
        ["回访人（签名）", signature_cell(sheet, v.visitor if v else ""), "被回访人（签名）",
         signature_cell(sheet, "")],
    ]
    table = sheet.form(rows, _COLS, label_columns=(0, 2))
    return [sheet.title(TITLE), sheet.number_line("", doc.committee.name), *table]
