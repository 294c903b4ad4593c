"""人民调解协议书, section by section as the Ministry of Justice's 2010 format lays it out.

1 title and 编号; 2 one block per party; 3 纠纷主要事实、争议事项; 4 经调解，
自愿达成如下协议 with numbered clauses; 5 履行方式、时限; 6 本协议一式N份;
7 signature lines (each party, 人民调解员, 记录人); 8 the seal and the date.
Sections 6–8 are kept on one page: a signature is never separated from
what it signs for.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer

from wuye_desktop.exports.pdf.data import AgreementDoc
from wuye_desktop.exports.pdf.parts import party_block
from wuye_desktop.exports.pdf.styles import SealBlock, Sheet, cn_date, cn_number

TITLE = "人民调解协议书"


def story(doc: AgreementDoc, sheet: Sheet) -> list[Flowable]:
    out: list[Flowable] = [sheet.title(TITLE), sheet.number_line("编号：", doc.number)]
    out += [party_block(p, sheet) for p in doc.parties]
    out.append(sheet.para("纠纷主要事实、争议事项：", sheet.heading))
    out += sheet.paragraphs(doc.facts)
    out.append(sheet.para("经调解，自愿达成如下协议：", sheet.heading))
    out += [sheet.para(f"{cn_number(i)}、{text}") for i, text in enumerate(doc.clauses, 1)]
    out.append(sheet.para("履行方式、时限：", sheet.heading))
    if doc.performance.strip():
        out += sheet.paragraphs(doc.performance)
    if doc.performance_deadline is not None:
        out.append(sheet.para(f"履行期限：{cn_date(doc.performance_deadline)}前履行完毕。"))
    elif not doc.performance.strip():
        out.append(sheet.blank_lines(2))
    out.append(closing(doc, sheet))
    return out


def closing(doc: AgreementDoc, sheet: Sheet) -> Flowable:
    """Copies, signatures, seal and date, on one page together."""
    copies = sheet.para(f"本协议一式{cn_number(doc.copies)}份，当事人、人民调解委员会各持一份。")
    effect = sheet.para("本协议自各方当事人签名、盖章或者按指印，人民调解员签名并加盖人民调解委员会印章之日起生效。")
    parties = [f"{p.role}（签名盖章或按指印）：" for p in doc.parties]
    staff = ["人民调解员（签名）：", "记录人（签名）："]
    seal = SealBlock(sheet, doc.committee.seal_text or f"{doc.committee.name}（印）", cn_date(doc.signed_on))
    return KeepTogether([copies, effect, Spacer(1, 4 * mm), sheet.signatures(parties, staff), seal])
