"""人民调解受理登记表: what was registered, who the parties are, signed by them and the 登记人."""

from __future__ import annotations

from reportlab.platypus import Flowable

from wuye_desktop.exports.pdf.data import RegistrationDoc
from wuye_desktop.exports.pdf.parts import party_line, signature_cell
from wuye_desktop.exports.pdf.styles import Sheet, cn_date

TITLE = "人民调解受理登记表"
_COLS = [0.19, 0.31, 0.19, 0.31]


def story(doc: RegistrationDoc, sheet: Sheet) -> list[Flowable]:
    rows: list[list[object]] = [
        ["登记日期", cn_date(doc.registered_on), "受理日期", cn_date(doc.accepted_on)],
        ["纠纷来源", doc.source, "纠纷类型", doc.dispute_type],
        ["纠纷发生地", doc.place, "物业服务企业", doc.property_company],
    ]
    for p in doc.parties:
        rows.append([p.role, party_line(p), "", ""])
    rows += [
        ["涉及金额", doc.amount or "无", "涉及人数", f"{doc.people_count}人"],
        ["纠纷简要情况", [sheet.para(doc.summary, sheet.cell), *sheet.cell_text(doc.facts, lines=3)], "", ""],
        ["承办调解员", doc.mediators or "（尚未指派）", "受理单位", doc.committee.name],
        ["当事人签名", [item for p in doc.parties
                        for item in signature_cell(sheet, f"{p.role}（签名）：")], "", ""],
        ["登记人（签名）", signature_cell(sheet, doc.registrar), "", ""],
    ]
    table = sheet.form(rows, _COLS, label_columns=(0, 2))
    return [sheet.title(TITLE), sheet.number_line("案件编号：", doc.case_number), *table]
