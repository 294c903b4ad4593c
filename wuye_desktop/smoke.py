"""A whole small day's work through the real services, for checking a frozen build.

Creates the register, registers a case with two parties, accepts it, signs
an agreement, writes the agreement PDF and the month's workbook, and runs
the integrity check. Used by ``wuye-desktop --smoke-test`` and its test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SmokeResult:
    case_number: str
    agreement_number: str
    agreement_pdf: Path
    workbook: Path


def run(data_dir: Path, out: Path) -> SmokeResult:
    from wuye_desktop.errors import StorageError
    from wuye_desktop.models import PartyKind, PartyRole
    from wuye_desktop.services import cases, statistics
    from wuye_desktop.services.cases import workflow
    from wuye_desktop.services.cases.dto import AgreementDraft, CaseDraft, PartyInput
    from wuye_desktop.services.casework import agreements, documents
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.safety.opening import open_register
    from wuye_desktop.services.statistics.periods import month
    from wuye_desktop.storage.check import check_database

    out.mkdir(parents=True, exist_ok=True)
    db = open_register(data_dir=str(data_dir))
    try:
        ctx = Context(db)
        ref = cases.register(ctx, CaseDraft(
            summary="楼上卫生间漏水致楼下天花板受损",
            facts="申请人称楼上住户卫生间防水层老化，渗水致其家中天花板发霉脱落。",
            parties=[
                PartyInput("张三", id_number="11010519491231002X", phone="13812345678",
                           address="锦绣花园3号楼2单元501室"),
                PartyInput("安居物业服务有限公司", role=PartyRole.RESPONDENT, kind=PartyKind.COMPANY,
                           id_number="91110000600037341L", representative="李四"),
            ],
        ))
        workflow.accept(ctx, ref.id)
        draft = agreements.draft(ctx, ref.id, AgreementDraft(
            clauses=["被申请人于十五日内维修卫生间防水", "被申请人赔偿申请人墙面修复费用500元"],
            performance="双方自行履行", amount="500"))
        number = agreements.sign(ctx, draft)
        pdf = out / "agreement.pdf"
        documents.write_pdf(ctx, "agreement", ref.id, pdf)
        today = ctx.today()
        workbook = statistics.export_monthly(ctx, month(today.year, today.month), out / "monthly.xlsx", None).path
        result = check_database(db)
        if not result.ok:
            raise StorageError("；".join(result.problems))
        return SmokeResult(ref.number, number, pdf, Path(workbook))
    finally:
        db.dispose()
