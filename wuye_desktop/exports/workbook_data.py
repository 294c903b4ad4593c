"""What the monthly statistics workbook shows, as plain frozen data: the services fill these, the writer lays them out.

Nothing here knows about the database or how a figure is counted: every
figure, share, change and total is already computed, and every text is
what the sheet says, except dates and times, which the writer formats.
The writer adds only the layout: sheet names, headers, 序号, the fixed
captions (填报单位：…) and the notes that describe a sheet's own columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from wuye_desktop.models import CompanyGrade

Number = int | float | Decimal | None


@dataclass(frozen=True)
class Heading:
    """The title and subtitle of every sheet: who reports, for which period, compared with which."""

    unit: str  # the committee, or all of them (全部3个调委会合计)
    period_label: str  # 2026年10月, as the title reads
    period_span: str  # 2026年10月1日至2026年10月31日
    previous_span: str  # 上期
    last_year_span: str  # 去年同期
    made_by: str  # 制表人
    made_at: datetime  # 制表时间


@dataclass(frozen=True)
class SummaryRow:
    """One row of a 汇总 sheet: a heading, or a figure this period, the period before and a year before."""

    label: str
    unit: str  # 件, 份, %, 万元; "" for a heading
    kind: str  # heading, count, rate, amount: a rate or amount row shows its figures in its own format
    current: Number = None
    share: float | None = None  # of this period's 受理
    previous: Number = None
    previous_change: Number = None  # 本期 minus 上期; a rate's in percentage points
    previous_ratio: float | None = None  # 增减率, counts and amounts only
    last_year: Number = None
    last_year_change: Number = None
    last_year_ratio: float | None = None
    level: int = 0  # 1: a 其中 row under the one above, indented
    headline: bool = False  # printed bold: the figure the sheet leads with

    @property
    def is_heading(self) -> bool:
        return self.kind == "heading"


@dataclass(frozen=True)
class GroupFigures:
    """One row of 分类, 小区 or 物业企业: the period's figures for a sub-type, an estate or a company."""

    name: str
    registered: int
    accepted: int
    succeeded: int
    terminated: int
    success_rate: float | None  # none when nothing was concluded
    mediating_at_end: int
    share: float | None  # of the table's total 登记; none when nothing was registered


@dataclass(frozen=True)
class CompanyFigures:
    """A property company's row of 物业企业: its figures, and its 四色 grade beside them."""

    figures: GroupFigures
    grade: str = ""  # computed by the rules (绿色…), "" for the row of cases without a company
    grade_colour: CompanyGrade | None = None  # the colour the grade's cell is filled with
    grade_basis: str = ""  # 纠纷 / 未化解 counted in the grading window, e.g. "3 / 1"
    recorded_grade: str = ""  # the grade the housing-management centre recorded


@dataclass(frozen=True)
class GroupTable:
    rows: tuple[GroupFigures, ...]
    total: GroupFigures  # 合计 of the rows


@dataclass(frozen=True)
class CompanyTable:
    rows: tuple[CompanyFigures, ...]
    total: GroupFigures  # 合计 of the rows


@dataclass(frozen=True)
class MediatorFigures:
    name: str
    cases: int  # 承办: accepted in the period
    concluded: int  # 办结: agreement or termination in the period
    succeeded: int
    terminated: int
    success_rate: float | None
    average_days: float | None  # acceptance to conclusion
    overdue: int  # 期末逾期


@dataclass(frozen=True)
class LedgerEntry:
    """One row of 台账, each column as printed (personal data already masked where it must be)."""

    number: str
    registered_on: date
    source: str  # the source, and the work order number on a second line where there is one
    dispute_type: str  # 物业/房屋漏水
    place: str  # 小区 and 楼栋
    company: str
    applicant: str
    phone: str
    id_number: str
    address: str
    respondents: str
    summary: str
    mediators: str
    accepted_on: date | None
    status: str  # at the end of the period
    status_on: date | None
    agreement: str
    amount: Decimal | None  # 协议金额, 元
    visit: str


@dataclass(frozen=True)
class CommitteeSummary:
    """The 汇总 of one committee of a county register, on a sheet of its own."""

    name: str
    rows: tuple[SummaryRow, ...]


@dataclass(frozen=True)
class MonthlyWorkbook:
    """The whole input of ``workbook.write_monthly``."""

    heading: Heading
    summary: tuple[SummaryRow, ...]
    subtypes: GroupTable  # 分类
    estates: GroupTable  # 小区
    companies: CompanyTable  # 物业企业
    mediators: tuple[MediatorFigures, ...]
    ledger: tuple[LedgerEntry, ...]
    committees: tuple[CommitteeSummary, ...]  # one each when a county register is summed; else none
    grade_rules: str  # the 四色 rules in words
    masked: bool  # the ledger's personal data partly hidden
    notes: tuple[str, ...]  # under 汇总: how each figure is counted
    rate_note: str  # what 成功率 is, under every table that shows one
