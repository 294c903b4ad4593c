"""The case register as a Qt table model, fetched a page at a time, wherever the user looks.

Opening a 100,000-case register costs one count and one page; Ctrl+End (or
dragging the scroll bar to the bottom) one page more (``ui/paged_rows.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from wuye_desktop.models.enums import CaseStatus, RiskColour
from wuye_desktop.services.dto import CaseRow
from wuye_desktop.ui.paged_rows import PAGE_SIZE, PagedRows

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
Index = QModelIndex | QPersistentModelIndex
# Header clicks sort on the server (register.page), so only columns it can order by are sortable.
SORT_KEYS = {NUMBER: "number", REGISTERED: "registered_on", ESTATE: "estate", SUBTYPE: "subtype",
             STATUS: "status", DEADLINE: "deadline", RISK: "risk"}


class CaseTableModel(QAbstractTableModel):
    def __init__(self, fetch_page: PageFetcher, count: Counter, today: Callable[[], date] = date.today,
                 parent: Any = None, fetch_first: FirstFetcher | None = None) -> None:
        super().__init__(parent)
        self._fetch_page = fetch_page
        self._count = count
        self._fetch_first = fetch_first
        self._today = today
        self._rows: PagedRows[CaseRow] = PagedRows(fetch_page)
        self.sort_key = "registered_on"
        self.descending = True

    # -- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Start again from the first page (after a search, a filter change, a save)."""
        self.beginResetModel()
        if self._fetch_first is not None:  # one query for both: a search scans the text once
            first, total = self._fetch_first(PAGE_SIZE)
        else:
            total = self._count()
            first = self._fetch_page(0, PAGE_SIZE) if total else []
        self._rows.reset(first, total)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._rows.total

    @property
    def loaded_rows(self) -> int:
        """How many cases the model holds now (the rest are fetched when looked at)."""
        return self._rows.loaded

    def case_at(self, row: int) -> CaseRow:
        return self._rows.at(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return  # parties and mediators are lists of names: no meaningful server-side order
        self.sort_key, self.descending = key, order == Qt.SortOrder.DescendingOrder
        self.reload()

    def sort_column(self) -> int:
        return next(column for column, key in SORT_KEYS.items() if key == self.sort_key)

    # -- the table ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("CaseTableModel", COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._rows.get(index.row()) if index.isValid() else None
        if row is None:
            return None
        column = index.column()
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
