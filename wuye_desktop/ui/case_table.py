"""The case register as a Qt table model, fetched a page at a time, wherever the user looks.

Opening a 100,000-case register costs one count and one page; Ctrl+End (or
dragging the scroll bar to the bottom) one page more (``ui/paged_rows.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor

from wuye_desktop.models.enums import CaseStatus, RiskColour
from wuye_desktop.services.cases.dto import CaseRow
from wuye_desktop.ui.paged_rows import PagedTableModel

PageFetcher = Callable[[int, int], list[CaseRow]]
Counter = Callable[[], int]
FirstFetcher = Callable[[int], tuple[list[CaseRow], int]]

COLUMNS = ("编号", "登记日期", "小区", "类别", "当事人", "调解员", "状态", "期限", "风险")
NUMBER, REGISTERED, ESTATE, SUBTYPE, PARTIES, MEDIATORS, STATUS, DEADLINE, RISK = range(len(COLUMNS))
OPEN = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)
RISK_COLOURS = {
    RiskColour.RED: QColor("#f8d0d0"), RiskColour.ORANGE: QColor("#fde2c4"),
    RiskColour.YELLOW: QColor("#fdf3c4"), RiskColour.BLUE: QColor("#d6e6fa"),
}
OVERDUE = QColor("#b3261e")
# Header clicks sort on the server (register.page), so only columns it can order by are sortable.
SORT_KEYS = {NUMBER: "number", REGISTERED: "registered_on", ESTATE: "estate", SUBTYPE: "subtype",
             STATUS: "status", DEADLINE: "deadline", RISK: "risk"}


class CaseTableModel(PagedTableModel[CaseRow]):
    columns = COLUMNS
    context = "CaseTableModel"

    def __init__(self, fetch_page: PageFetcher, count: Counter, today: Callable[[], date] = date.today,
                 parent: Any = None, fetch_first: FirstFetcher | None = None) -> None:
        super().__init__(fetch_page, count, parent, fetch_first)
        self._today = today
        self.sort_key = "registered_on"
        self.descending = True

    def case_at(self, row: int) -> CaseRow:
        return self.row_at(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return  # parties and mediators are lists of names: no meaningful server-side order
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    def sort_column(self) -> int:
        return next(column for column, key in SORT_KEYS.items() if key == self.sort_key)

    # -- the table ---------------------------------------------------------------------------

    def cell(self, row: CaseRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, column)
        if role == Qt.ItemDataRole.BackgroundRole and column == RISK:
            return QBrush(RISK_COLOURS[row.risk])
        if role == Qt.ItemDataRole.ForegroundRole and column == DEADLINE and self._overdue(row):
            return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ToolTipRole and column == DEADLINE and self._overdue(row):
            return QCoreApplication.translate("CaseTableModel", "已超过调解期限")
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _overdue(self, row: CaseRow) -> bool:
        return row.status in OPEN and row.deadline is not None and row.deadline < self._today()

    @staticmethod
    def _text(row: CaseRow, column: int) -> str:
        match column:
            case 0:
                return row.number
            case 1:
                return f"{row.registered_on:%Y-%m-%d}"
            case 2:
                return row.estate
            case 3:
                return row.subtype
            case 4:
                return row.parties
            case 5:
                return row.mediators
            case 6:
                return row.status.label
            case 7:
                return f"{row.deadline:%Y-%m-%d}" if row.deadline else ""
            case _:
                return row.risk.label
