"""四色管理: a property company's colour computed from its disputes, by rules the administrator sets.

Two counts over a window of months ending on the day asked about: disputes
registered against the company, and disputes not resolved here (调解终止
or 转办). Each count has three thresholds, for 蓝, 黄 and 红; the company
gets the worse colour of the two, 绿 when it reaches none. The rules live
in the setting ``grade.company_rules`` (see services/settings.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wuye_desktop.models import CaseEvent, CompanyGrade, MediationCase, PropertyCompany
from wuye_desktop.services import settings
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.services.statistics.periods import add_months

# Worst last: a count reaching the n-th threshold gets the n-th colour.
_LADDER = (CompanyGrade.GREEN, CompanyGrade.BLUE, CompanyGrade.YELLOW, CompanyGrade.RED)
_FAILED_ACTIONS = ("terminate", "refer")


@dataclass(frozen=True)
class GradeRules:
    window_months: int
    disputes: tuple[int, int, int]  # thresholds for 蓝, 黄, 红
    failed: tuple[int, int, int]

    def grade(self, disputes: int, failed: int) -> CompanyGrade:
        level = max(_level(disputes, self.disputes), _level(failed, self.failed))
        return _LADDER[level]

    def window(self, as_of: date) -> tuple[date, date]:
        return add_months(as_of, -self.window_months) + timedelta(days=1), as_of

    def describe(self) -> str:
        d, f = self.disputes, self.failed
        return (f"近{self.window_months}个月内：纠纷达{d[0]}件或未化解（终止、转办）达{f[0]}件为蓝色，"
                f"纠纷达{d[1]}件或未化解达{f[1]}件为黄色，纠纷达{d[2]}件或未化解达{f[2]}件为红色，其余为绿色")


def _level(count: int, thresholds: tuple[int, int, int]) -> int:
    return sum(1 for threshold in thresholds if count >= threshold)


def parse_rules(value: Any) -> GradeRules:
    clean = settings.check_grade_rules(value)
    return GradeRules(clean["window_months"], tuple(clean["disputes"]), tuple(clean["failed"]))


def read_rules(session: Session) -> GradeRules:
    return parse_rules(settings.read(session, settings.COMPANY_GRADE_RULES))


@dataclass(frozen=True)
class CompanyGradeRow:
    company_id: int
    name: str
    disputes: int
    failed: int
    grade: CompanyGrade
    recorded_grade: CompanyGrade | None  # as graded by the housing-management centre, if entered


def compute(session: Session, as_of: date,
            committee_id: int | None = None) -> tuple[GradeRules, dict[int, CompanyGradeRow]]:
    """Every company's colour on ``as_of``; a county register may narrow the disputes to one committee."""
    rules = read_rules(session)
    start, end = rules.window(as_of)
    scope = [MediationCase.committee_id == committee_id] if committee_id is not None else []
    disputes: dict[int | None, int] = dict(session.execute(
        select(MediationCase.property_company_id, func.count())
        .where(MediationCase.property_company_id.is_not(None), MediationCase.registered_on.between(start, end), *scope)
        .group_by(MediationCase.property_company_id)).all())
    failed_cases = (select(MediationCase.property_company_id.label("company_id"), CaseEvent.case_id)
                    .join(CaseEvent, CaseEvent.case_id == MediationCase.id)
                    .where(MediationCase.property_company_id.is_not(None), CaseEvent.action.in_(_FAILED_ACTIONS),
                           CaseEvent.occurred_on.between(start, end), *scope)
                    .distinct().subquery())
    failed: dict[int, int] = dict(session.execute(
        select(failed_cases.c.company_id, func.count()).group_by(failed_cases.c.company_id)).all())
    rows: dict[int, CompanyGradeRow] = {}
    for company_id, name, recorded in session.execute(
            select(PropertyCompany.id, PropertyCompany.name, PropertyCompany.grade).order_by(PropertyCompany.id)):
        d, f = disputes.get(company_id, 0), failed.get(company_id, 0)
        rows[company_id] = CompanyGradeRow(company_id, name, d, f, rules.grade(d, f), recorded)
    return rules, rows


@requires(Permission.REPORT)
def company_grades(ctx: Context, as_of: date | None = None, committee_id: int | None = None) -> list[CompanyGradeRow]:
    """The colours on ``as_of`` (today by default), worst first."""
    with ctx.db.reading() as session:
        _rules, rows = compute(session, as_of or ctx.today(), committee_id)
    return sorted(rows.values(), key=lambda r: (-_LADDER.index(r.grade), -r.disputes, r.name))


@requires(Permission.REPORT)
def rules(ctx: Context) -> GradeRules:
    with ctx.db.reading() as session:
        return read_rules(session)
