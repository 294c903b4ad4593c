"""Sample documents and ways to read a PDF back: its text, its page sizes, its fonts."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

from pypdf import PdfReader

from wuye_desktop.exports.pdf.data import (
    AgreementDoc,
    CommitteeInfo,
    PartyDetails,
    RecordsDoc,
    RegistrationDoc,
    SessionRecord,
    StepRecord,
    VisitEntry,
    VisitsDoc,
)

A4 = (595.28, 841.89)
COMMITTEE = CommitteeInfo("黄石港街道幸福里社区人民调解委员会", "黄石港街道幸福里社区人民调解委员会（印章）",
                          "幸福里社区党群服务中心二楼", "0714-6251234")
APPLICANT = PartyDetails("申请人", True, "王建国", "男", "汉族", 58, "退休教师", "13812345678",
                         "湖北省黄石市黄石港区幸福里小区3号楼2单元1201室")
COMPANY = PartyDetails("被申请人", False, "黄石市安居物业服务有限公司", phone="0714-6250000",
                       address="黄石市黄石港区幸福路88号", credit_code="91420200MA0000123X",
                       representative="刘建华", representative_title="总经理", agent_name="陈律师")
NEIGHBOUR = PartyDetails("被申请人", True, "李喆", "女", "回族", 41, "个体经营", "13900001111",
                         "幸福里小区3号楼2单元1101室")
FACTS = ("申请人王建国居住在幸福里小区3号楼2单元1201室，被申请人李喆居住在其楼下1101室。"
         "2026年10月以来，1201室卫生间多次漏水，导致1101室天花板受潮脱落，双方就维修责任和赔偿金额发生争议。")
CLAUSES = ("被申请人于2026年11月30日前修复卫生间防水层，修复后由申请人验收。",
           "被申请人赔偿申请人天花板修缮费用1200元，于2026年12月5日前一次性支付。",
           "双方今后互谅互让，和睦相处，不再就此事发生争议。")


def agreement(parties: tuple[PartyDetails, ...] = (APPLICANT, NEIGHBOUR), clauses: tuple[str, ...] = CLAUSES,
              oral: bool = False, **fields: object) -> AgreementDoc:
    values: dict[str, object] = dict(
        committee=COMMITTEE, number="（2026）幸福里调协字第12号", case_number="（2026）幸福里调字第45号",
        oral=oral, parties=parties, facts=FACTS, clauses=clauses,
        performance="双方按协议约定自行履行，调委会负责回访。",
        performance_deadline=date(2026, 12, 5), mediators="张明、赵敏", recorder="何静",
        signed_on=date(2026, 11, 28), matter="楼上卫生间漏水致楼下天花板受损")
    values.update(fields)
    return AgreementDoc(**values)  # type: ignore[arg-type]


def registration(**fields: object) -> RegistrationDoc:
    values: dict[str, object] = dict(
        committee=COMMITTEE, case_number="（2026）幸福里调字第45号", registered_on=date(2026, 11, 2),
        accepted_on=date(2026, 11, 3), source="12345热线工单（GD2026110200012）", dispute_type="物业纠纷（房屋漏水）",
        place="幸福里小区3号楼", property_company="黄石市安居物业服务有限公司", parties=(APPLICANT, COMPANY),
        summary="楼上卫生间漏水致楼下天花板受损", facts=FACTS, amount="1200.00元", people_count=2,
        registrar="王晓燕", mediators="张明、赵敏", status="调解中")
    values.update(fields)
    return RegistrationDoc(**values)  # type: ignore[arg-type]


SESSION = SessionRecord(False, datetime(2026, 11, 10, 9, 30), "社区党群服务中心调解室", "卫生间漏水赔偿",
                        "张明、赵敏、何静", "王建国、李喆", True, "申请人称天花板受损，要求赔偿。",
                        "经现场查看，漏水点位于1201室卫生间。", "双方同意由被申请人修复并赔偿。", "何静")
INVESTIGATION = SessionRecord(True, datetime(2026, 11, 5, 14, 0), "3号楼1101室", "现场查看漏水情况",
                              "张明", "李喆", False, "被申请人称不知道漏水。", "天花板有明显水渍。", "需进一步协商。",
                              "何静")
STEP = StepRecord("民事民议", datetime(2026, 11, 8, 19, 0), "会议", "3号楼楼道", 8, 7,
                  "楼栋长、业主代表", "讨论漏水责任分担", "由1201室负责修复", "在楼栋公示栏公示", "无异议", "何静")


def records(entries: tuple[SessionRecord | StepRecord, ...] = (INVESTIGATION, STEP, SESSION)) -> RecordsDoc:
    return RecordsDoc(COMMITTEE, "（2026）幸福里调字第45号", "楼上卫生间漏水致楼下天花板受损",
                      "申请人：王建国；被申请人：李喆", entries)


VISIT = VisitEntry(date(2026, 12, 10), "张明", "上门", "王建国、李喆", "已履行", "满意", False, "无需采取措施",
                   "回访顺利")


def visits(entries: tuple[VisitEntry, ...] = (VISIT,)) -> VisitsDoc:
    return VisitsDoc(COMMITTEE, "（2026）幸福里调字第45号", "（2026）幸福里调协字第12号",
                     "楼上卫生间漏水致楼下天花板受损", "申请人：王建国；被申请人：李喆", entries)


# -- reading back -----------------------------------------------------------------------


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in reader(pdf).pages]


def flat(text: str) -> str:
    """Text without any whitespace, so a value broken over two lines still matches."""
    return re.sub(r"\s+", "", text)


def all_text(pdf: bytes) -> str:
    return flat("".join(page_texts(pdf)))


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader(pdf).pages]


def unembedded_fonts(pdf: bytes) -> list[str]:
    """Every font any page uses that has no font file in the PDF (the outside check's own test)."""
    found = []
    for page in reader(pdf).pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            if desc is None or not any(k in desc.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                found.append(str(font.get("/BaseFont")))
    return found
