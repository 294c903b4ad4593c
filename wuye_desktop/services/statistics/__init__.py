"""Statistics: the figures of a period for the statistics screen and the workbook handed in upward.

The calls of ``report`` are named here (``statistics.monthly_report``, ``overview``, ``export_monthly``).
Public modules: ``periods`` (a month, quarter, year or range), ``summary`` (the official figures),
``grades`` (四色管理 of property companies), ``groups`` (figures by sub-type, estate, company, mediator);
the private ``_figures`` and ``_ledger`` are what the report is built from.
"""

from wuye_desktop.services.statistics.periods import Period, between, month, quarter, year
from wuye_desktop.services.statistics.report import (
    OTHER_TYPES,
    TOP,
    TREND_MONTHS,
    CommitteeSection,
    ExportResult,
    MonthlyReport,
    Overview,
    Progress,
    Trend,
    build_report,
    default_period,
    export_monthly,
    monthly_report,
    overview,
)

__all__ = [
    "OTHER_TYPES",
    "TOP",
    "TREND_MONTHS",
    "CommitteeSection",
    "ExportResult",
    "MonthlyReport",
    "Overview",
    "Period",
    "Progress",
    "Trend",
    "between",
    "build_report",
    "default_period",
    "export_monthly",
    "month",
    "monthly_report",
    "overview",
    "quarter",
    "year",
]
