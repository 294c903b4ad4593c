"""Monthly (or any period's) figures for the statistics screen and the workbook handed in upward.

Figures count events by the day they happened (see statistics_figures),
over any date range; ``month``/``quarter``/``year`` build the usual ones
and each period knows the one before it and the same one last year. A
county register holding several committees can be summed or narrowed to
one (``committee_id``); summed, the report also carries one section per
committee.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wuye_desktop.errors import NotFoundError
from wuye_desktop.exports import workbook_data as sheet
from wuye_desktop.models import Assignment, Committee, MediationCase, OfficialType
from wuye_desktop.services import audit, outputs, permissions, settings
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires
from wuye_desktop.services.statistics import grades as company_grades
from wuye_desktop.services.statistics._figures import CaseFacts, collect
from wuye_desktop.services.statistics._ledger import LedgerRow, ledger
from wuye_desktop.services.statistics.groups import (
    CompanyRow,
    GroupRow,
    MediatorRow,
    company_rows,
    estate_rows,
    mediator_rows,
    subtype_rows,
    total_row,
)
from wuye_desktop.services.statistics.periods import (
    Period,
    between,
    check_span,
    containing,
    month,
    parse_month,
    parse_quarter,
    parse_range,
    parse_year,
    quarter,
    year,
)
from wuye_desktop.services.statistics.summary import NOTES, Summary, SummaryLine, summarise, summary_lines

__all__ = [
    "CommitteeSection", "CompanyRow", "ExportResult", "GroupRow", "LedgerRow", "MediatorRow", "MonthlyReport",
    "Overview", "Period", "Summary", "SummaryLine", "Trend", "between", "containing", "export_monthly",
    "month", "monthly_report", "overview", "parse_month", "parse_quarter", "parse_range", "parse_year",
    "quarter", "total_row", "workbook_of", "year",
]

Progress = Callable[[int, int], None]
TOP = 10  # estates and companies shown on the screen
TREND_MONTHS = 12
OTHER_TYPES = "其他类型"


@dataclass(frozen=True)
class CommitteeSection:
    committee_id: int
    name: str
    lines: list[SummaryLine]


@dataclass(frozen=True)
class MonthlyReport:
    unit: str  # the committee, or all of them
    period: Period
    previous: Period
    last_year: Period
    current: Summary
    lines: list[SummaryLine]
    subtypes: list[GroupRow]
    estates: list[GroupRow]
    companies: list[CompanyRow]
    mediators: list[MediatorRow]
    ledger: list[LedgerRow]
    committees: list[CommitteeSection]
    grade_rules: str
    masked: bool
    made_by: str
    made_at: datetime
    notes: tuple[str, ...] = NOTES


@dataclass(frozen=True)
class Trend:
    """Registrations per calendar month, split by official type (the biggest few, the rest together)."""

    months: list[tuple[int, int]]
    series: list[tuple[str, list[int]]] = field(default_factory=list)


@dataclass(frozen=True)
class Overview:
    """What the statistics screen shows for a period."""

    unit: str
    period: Period
    current: Summary
    lines: list[SummaryLine]
    estates: list[GroupRow]
    companies: list[CompanyRow]
    trend: Trend
    grade_rules: str
    committee_id: int | None = None


@dataclass(frozen=True)
class ExportResult:
    path: Path
    cases: int  # rows on the ledger
    masked: bool


def _committees(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Committee.id, Committee.name).order_by(Committee.id)).all())


def _unit(committees: dict[int, str], committee_id: int | None) -> str:
    if committee_id is not None:
        if committee_id not in committees:
            raise NotFoundError("所选调委会不存在")
        return committees[committee_id]
    if len(committees) == 1:
        return next(iter(committees.values()))
    return f"全部{len(committees)}个调委会合计"


def build_report(session: Session, ctx: Context, period: Period, committee_id: int | None = None, *,
                 with_ledger: bool = True) -> MonthlyReport:
    """Everything the workbook shows, read in the caller's session."""
    check_span(period, settings.earliest_day(session), ctx.today())
    committees = _committees(session)
    unit = _unit(committees, committee_id)
    today = ctx.today()
    cur = collect(session, period, committee_id, today)
    prev = collect(session, period.previous(), committee_id, today)
    ly = collect(session, period.year_before(), committee_id, today)
    current = summarise(cur)
    sections: list[CommitteeSection] = []
    if committee_id is None and len(committees) > 1:
        for key, name in committees.items():
            mine = _of_committee(key)
            sections.append(CommitteeSection(key, name, summary_lines(
                summarise(cur, mine), summarise(prev, mine), summarise(ly, mine))))
    rules, grades = company_grades.compute(session, cur.reference_day, committee_id)
    reveal = _revealed(session, ctx)
    return MonthlyReport(
        unit=unit, period=period, previous=prev.period, last_year=ly.period, current=current,
        lines=summary_lines(current, summarise(prev), summarise(ly)),
        subtypes=subtype_rows(session, cur), estates=estate_rows(session, cur),
        companies=company_rows(cur, grades), mediators=mediator_rows(session, cur),
        ledger=ledger(session, cur.active(), period.end, reveal) if with_ledger else [],
        committees=sections, grade_rules=rules.describe(), masked=reveal is not True,
        made_by=ctx.actor, made_at=ctx.now(),
    )


def _of_committee(committee_id: int) -> Callable[[CaseFacts], bool]:
    def mine(case: CaseFacts) -> bool:
        return case.committee_id == committee_id

    return mine


def _revealed(session: Session, ctx: Context) -> bool | set[int]:
    """Whose personal data the ledger shows: everyone's, no one's, or a mediator's own cases only."""
    if not permissions.allowed(ctx, Permission.REVEAL_PERSONAL):
        return False
    if not permissions.limited_to_own_cases(ctx, Permission.REVEAL_PERSONAL):
        return True
    if ctx.user.mediator_id is None:
        return False
    return set(session.scalars(select(Assignment.case_id).where(
        Assignment.mediator_id == ctx.user.mediator_id, Assignment.recused_at.is_(None))))


@requires(Permission.REPORT)
def monthly_report(ctx: Context, period: Period, committee_id: int | None = None) -> MonthlyReport:
    with ctx.db.reading() as session:
        return build_report(session, ctx, period, committee_id)


@requires(Permission.REPORT)
def overview(ctx: Context, period: Period, committee_id: int | None = None) -> Overview:
    with ctx.db.reading() as session:
        report = build_report(session, ctx, period, committee_id, with_ledger=False)
        trend = _trend(session, period, committee_id)
    busiest = [r for r in report.estates if r.key is not None and r.registered][:TOP]
    companies = [r for r in report.companies if r.key is not None and r.registered][:TOP]
    return Overview(report.unit, period, report.current, report.lines, busiest, companies, trend,
                    report.grade_rules, committee_id)


def _trend(session: Session, period: Period, committee_id: int | None) -> Trend:
    """The months of the period, or the twelve up to its end when it is shorter."""
    months = period.months()
    if len(months) < TREND_MONTHS:
        y, m = months[-1]
        months = [divmod(y * 12 + m - 1 - back, 12) for back in range(TREND_MONTHS - 1, -1, -1)]
        months = [(y_, m_ + 1) for y_, m_ in months]
    first, last = month(*months[0]).start, month(*months[-1]).end
    stmt = (select(MediationCase.registered_on, MediationCase.official_type, func.count())
            .where(MediationCase.registered_on.between(first, last))
            .group_by(MediationCase.registered_on, MediationCase.official_type))
    if committee_id is not None:
        stmt = stmt.where(MediationCase.committee_id == committee_id)
    counts: dict[OfficialType, Counter[tuple[int, int]]] = {}
    for day, official, n in session.execute(stmt):
        counts.setdefault(official, Counter())[(day.year, day.month)] += n
    ranked = sorted(counts, key=lambda t: (-sum(counts[t].values()), list(OfficialType).index(t)))
    shown, rest = ranked[:4], ranked[4:]
    series = [(t.label, [counts[t][ym] for ym in months]) for t in shown]
    if rest:
        series.append((OTHER_TYPES, [sum(counts[t][ym] for t in rest) for ym in months]))
    return Trend(months, series)


@requires(Permission.REPORT)
def export_monthly(ctx: Context, period: Period, path: str | Path, committee_id: int | None = None,
                   progress: Progress | None = None, *, replace: bool = False) -> ExportResult:
    """Write the workbook; the file appears only once the export is recorded in the audit trail.

    ``replace``: the user agreed to replace a file already there (never the register, see ``outputs``).
    """
    from wuye_desktop.exports import workbook

    target = outputs.check(ctx, path, outputs.WORKBOOK, replace=replace)
    step = progress or (lambda _done, _total: None)
    step(0, 3)
    with ctx.db.reading() as session:
        report = build_report(session, ctx, period, committee_id)
    step(1, 3)
    with outputs.saving(target) as temp:
        workbook.write_monthly(workbook_of(report), temp)
        step(2, 3)
        with ctx.db.writing() as session:
            audit.record(session, ctx.actor, "export", "report", period.label, {
                "what": "monthly_workbook", "period": [period.start.isoformat(), period.end.isoformat()],
                "committee": report.unit, "cases": len(report.ledger), "masked": report.masked,
                "file": target.name,
            })
            outputs.replace_file(temp, target)
    step(3, 3)
    return ExportResult(target, len(report.ledger), report.masked)


def workbook_of(report: MonthlyReport) -> sheet.MonthlyWorkbook:
    """The report as the workbook shows it: changes against the other periods, shares and each table's 合计."""
    return sheet.MonthlyWorkbook(
        heading=sheet.Heading(
            unit=report.unit, period_label=report.period.label, period_span=report.period.span_text,
            previous_span=report.previous.span_text, last_year_span=report.last_year.span_text,
            made_by=report.made_by, made_at=report.made_at),
        summary=_summary_rows(report.lines),
        subtypes=_group_table(report.subtypes), estates=_group_table(report.estates),
        companies=_company_table(report.companies),
        mediators=tuple(sheet.MediatorFigures(
            m.name, m.cases, m.concluded, m.succeeded, m.terminated, m.success_rate, m.average_days, m.overdue)
            for m in report.mediators),
        ledger=tuple(_ledger_entry(r) for r in report.ledger),
        committees=tuple(sheet.CommitteeSummary(s.name, _summary_rows(s.lines)) for s in report.committees),
        grade_rules=report.grade_rules, masked=report.masked, notes=report.notes,
        rate_note=report.notes[1],  # 成功率 = 调解成功 ÷ (调解成功 + 调解终止)
    )


def _summary_rows(lines: list[SummaryLine]) -> tuple[sheet.SummaryRow, ...]:
    return tuple(sheet.SummaryRow(
        label=line.label, unit=line.unit, kind=line.kind, current=line.current, share=line.share,
        previous=line.previous, previous_change=line.change(line.previous),
        previous_ratio=line.change_ratio(line.previous), last_year=line.last_year,
        last_year_change=line.change(line.last_year), last_year_ratio=line.change_ratio(line.last_year),
        level=line.level, headline=line.level == 0 and line.label == "受理纠纷",
    ) for line in lines)


def _figures(row: GroupRow, total: GroupRow) -> sheet.GroupFigures:
    """A row of a table, its share taken of the table's 合计 ``total``."""
    return sheet.GroupFigures(
        name=row.name, registered=row.registered, accepted=row.accepted, succeeded=row.succeeded,
        terminated=row.terminated, success_rate=row.success_rate, mediating_at_end=row.mediating_at_end,
        share=row.registered / total.registered if total.registered else None)


def _group_table(rows: list[GroupRow]) -> sheet.GroupTable:
    total = total_row(rows)
    return sheet.GroupTable(tuple(_figures(r, total) for r in rows), _figures(total, total))


def _company_table(rows: list[CompanyRow]) -> sheet.CompanyTable:
    total = total_row(list(rows))
    return sheet.CompanyTable(tuple(sheet.CompanyFigures(
        _figures(r, total), grade=r.grade.label if r.grade else "", grade_colour=r.grade,
        grade_basis=f"{r.grade_disputes} / {r.grade_failed}" if r.grade else "",
        recorded_grade=r.recorded_grade.label if r.recorded_grade else "",
    ) for r in rows), _figures(total, total))


def _ledger_entry(r: LedgerRow) -> sheet.LedgerEntry:
    return sheet.LedgerEntry(
        number=r.number, registered_on=r.registered_on,
        source=f"{r.source}\n{r.source_ref}" if r.source_ref else r.source,
        dispute_type=f"{r.official_type}/{r.subtype}" if r.subtype else r.official_type,
        place=r.place, company=r.company, applicant=r.applicant, phone=r.phone, id_number=r.id_number,
        address=r.address, respondents=r.respondents, summary=r.summary, mediators=r.mediators,
        accepted_on=r.accepted_on, status=r.status, status_on=r.status_on, agreement=r.agreement,
        amount=r.amount, visit=r.visit)


def default_period(ctx: Context) -> Period:
    """Last month: what a clerk reports at the start of a month."""
    first = ctx.today().replace(day=1)
    return containing(date.fromordinal(first.toordinal() - 1), "month")
