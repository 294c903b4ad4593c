"""人民调解口头协议登记表: the content of an oral agreement, recorded as Art. 28 requires."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from wuye_desktop.exports.pdf.data import AgreementDoc
from wuye_desktop.exports.pdf.parts import party_line, signature_cell
from wuye_desktop.exports.pdf.styles import Sheet, cn_date, cn_number

TITLE = "人民调解口头协议登记表"
_COLS = [0.24, 0.27, 0.17, 0.32]


def story(doc: AgreementDoc, sheet: Sheet) -> list[Flowable]:
    parties = [sheet.para(f"{p.role}：{party_line(p)}", sheet.cell) for p in doc.parties]
    clauses = [sheet.para(f"{cn_number(i)}、{text}", sheet.cell) for i, text in enumerate(doc.clauses, 1)]
    performance = sheet.cell_text(doc.performance)
    if doc.performance_deadline is not None:
        performance.append(sheet.para(f"履行期限：{cn_date(doc.performance_deadline)}前", sheet.cell))
    signers = [signature_cell(sheet, f"{p.role}（签名盖章或按指印）：", 9 * mm) for p in doc.parties]
    rows: list[list[object]] = [
        ["当事人", parties, "", ""],
        ["纠纷简要情况", [sheet.para(doc.matter, sheet.cell), *sheet.cell_text(doc.facts, lines=1)], "", ""],
        ["协议内容", clauses, "", ""],
        ["履行方式、时限", performance, "", ""],
        ["当事人签名", [item for cell in signers for item in cell], "", ""],
        ["人民调解员（签名）", signature_cell(sheet, doc.mediators), "记录人（签名）",
         signature_cell(sheet, doc.recorder)],
        ["协议日期", cn_date(doc.signed_on), "案件编号", doc.case_number],
        ["人民调解委员会", doc.committee.seal_text or doc.committee.name, "", ""],
    ]
    table = sheet.form(rows, _COLS, label_columns=(0, 2))
    return [
        sheet.title(TITLE),
        sheet.number_line("编号：", doc.number),
        *table,
    ]
