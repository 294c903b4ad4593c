"""A small register whose cases change state across month boundaries, built through the real services.

Each step runs with "today" set to the day it happened, as a clerk would
have entered it. October 2026 is the month most tests report on; the
same month of 2025 and September 2026 hold the comparison cases.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from service_helpers import add_estate, add_mediator, draft_agreement, person, register_case
from sqlalchemy import update

from wuye_desktop.models import AgreementKind, CaseSource, JudicialStatus, MediationCase, OfficialType, Performance
from wuye_desktop.models.enums import PartyRole
from wuye_desktop.services import reference
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import VisitInput
from wuye_desktop.services.casework import agreements, mediation
from wuye_desktop.services.context import Context


def at(ctx: Context, day: str) -> Context:
    return dataclasses.replace(ctx, today_override=date.fromisoformat(day))


@dataclass
class Scenario:
    cases: dict[str, int]
    mediators: dict[str, int]
    estates: dict[str, int]
    companies: dict[str, int]


def _case(ctx: Context, day: str, summary: str, **fields: object) -> int:
    return register_case(at(ctx, day), summary, registered_on=day, parties=[
        person("赵一", phone="13812345678", address="黄石港区幸福里1号楼2单元301室"),
        person("钱二", role=PartyRole.RESPONDENT)], **fields).id


def build(ctx: Context) -> Scenario:
    north = add_estate(ctx, "幸福里", "黄石安居物业服务有限公司", 11, ("1号楼", "2号楼"))
    south = add_estate(ctx, "锦绣花园", "湖北长青物业服务有限公司", 12, ("3号楼",))
    chen, huang, wu = (add_mediator(ctx, n) for n in ("陈明华", "黄德明", "吴秀英"))
    subtype = {c.name: c.id for c in reference.subtypes(ctx)}
    n, s = {"estate_id": north.estate_id}, {"estate_id": south.estate_id}
    c: dict[str, int] = {}

    # A: accepted in September, settled in October, visited in October, filed in November.
    c["A"] = _case(ctx, "2026-09-28", "楼上漏水", subtype_id=subtype["房屋漏水"], **n)
    workflow.accept(at(ctx, "2026-09-29"), c["A"], on="2026-09-29")
    mediation.assign(at(ctx, "2026-09-29"), c["A"], chen)
    agreements.sign(at(ctx, "2026-10-03"), draft_agreement(at(ctx, "2026-10-01"), c["A"], amount="1200"),
                    signed_on="2026-10-03")
    agreements.record_visit(at(ctx, "2026-10-20"), c["A"], VisitInput("2026-10-20", "陈明华", Performance.PERFORMED))
    workflow.close(at(ctx, "2026-11-02"), c["A"])
    # B: registered and accepted in October, terminated on the 30th, filed on 1 November.
    c["B"] = _case(ctx, "2026-10-05", "物业费争议", subtype_id=subtype["物业费/收费"],
                   source=CaseSource.INITIATIVE, **s)
    workflow.accept(at(ctx, "2026-10-06"), c["B"], on="2026-10-06")
    mediation.assign(at(ctx, "2026-10-06"), c["B"], huang)
    workflow.terminate(at(ctx, "2026-10-30"), c["B"], "双方分歧较大")
    workflow.close(at(ctx, "2026-11-01"), c["B"])
    # C: registered on 31 October, accepted on 1 November.
    c["C"] = _case(ctx, "2026-10-31", "噪声扰民", subtype_id=subtype["噪声扰民"], source=CaseSource.GRID, **n)
    workflow.accept(at(ctx, "2026-11-01"), c["C"], on="2026-11-01")
    mediation.assign(at(ctx, "2026-11-01"), c["C"], chen)
    workflow.start_mediation(at(ctx, "2026-11-02"), c["C"])
    # D: refused in October. E: a 12345 order referred to a department in October.
    c["D"] = _case(ctx, "2026-10-10", "拒绝调解", official_type=OfficialType.NEIGHBOUR,
                   subtype_id=subtype["邻里纠纷"])
    workflow.refuse(at(ctx, "2026-10-11"), c["D"], "被申请人明确拒绝调解")
    c["E"] = _case(ctx, "2026-10-12", "私搭乱建", source=CaseSource.HOTLINE, source_ref="GD202610120001", **s)
    workflow.accept(at(ctx, "2026-10-12"), c["E"], on="2026-10-12")
    workflow.refer(at(ctx, "2026-10-15"), c["E"], "综合执法", "涉及违法建设")
    # F: carried over from September, in mediation all October, past its deadline on 11 October;
    # its first mediator recused in September, the second took over.
    c["F"] = _case(ctx, "2026-09-10", "停车位纠纷", subtype_id=subtype["停车难"], **n)
    workflow.accept(at(ctx, "2026-09-11"), c["F"], on="2026-09-11")
    first = mediation.assign(at(ctx, "2026-09-11"), c["F"], wu)
    workflow.start_mediation(at(ctx, "2026-09-12"), c["F"])
    mediation.recuse(at(ctx, "2026-09-20"), first, "当事人申请回避")
    mediation.assign(at(ctx, "2026-09-20"), c["F"], huang)
    # G: the same month last year, settled with a written agreement of 3,000 元.
    c["G"] = _case(ctx, "2025-10-05", "去年漏水", subtype_id=subtype["房屋漏水"], **n)
    workflow.accept(at(ctx, "2025-10-06"), c["G"], on="2025-10-06")
    agreements.sign(at(ctx, "2025-10-20"), draft_agreement(at(ctx, "2025-10-06"), c["G"], amount="3000"),
                    signed_on="2025-10-20")
    # H: a petition settled orally in October, judicial application and a visit in November, then reopened
    # and settled again in November.
    c["H"] = _case(ctx, "2026-10-15", "信访转来的装修纠纷", source=CaseSource.PETITION,
                   subtype_id=subtype["违规装修"], **s)
    workflow.accept(at(ctx, "2026-10-16"), c["H"], on="2026-10-16")
    mediation.assign(at(ctx, "2026-10-16"), c["H"], wu)
    oral = draft_agreement(at(ctx, "2026-10-16"), c["H"], amount="5000.50", kind=AgreementKind.ORAL)
    agreements.sign(at(ctx, "2026-10-25"), oral, signed_on="2026-10-25")
    agreements.record_judicial(at(ctx, "2026-11-05"), oral, JudicialStatus.APPLIED, on="2026-11-05")
    agreements.record_visit(at(ctx, "2026-11-06"), c["H"], VisitInput("2026-11-06", "吴秀英",
                                                                      Performance.NOT_PERFORMED))
    workflow.reopen(at(ctx, "2026-11-10"), c["H"], "回访发现未履行")
    agreements.sign(at(ctx, "2026-11-15"), draft_agreement(at(ctx, "2026-11-15"), c["H"], amount="800"),
                    signed_on="2026-11-15")
    # I: a dispute in October that was kept from turning criminal, 5 people involved; still only registered.
    c["I"] = _case(ctx, "2026-10-20", "邻里打架苗头", official_type=OfficialType.NEIGHBOUR, people_count="5")
    with ctx.db.writing() as session:
        session.execute(update(MediationCase).where(MediationCase.id == c["I"]).values(prevented_criminal=True))
    return Scenario(c, {"陈明华": chen, "黄德明": huang, "吴秀英": wu},
                    {"幸福里": north.estate_id, "锦绣花园": south.estate_id},
                    {"黄石安居物业服务有限公司": north.company_id, "湖北长青物业服务有限公司": south.company_id})
