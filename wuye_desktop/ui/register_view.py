"""The 案件台账 page: search box, status filter, and the lazily fetched case table."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import CaseStatus
from wuye_desktop.services import register
from wuye_desktop.services.dto import CaseRow
from wuye_desktop.ui import bus
from wuye_desktop.ui.case_table import COLUMNS, PARTIES, CaseTableModel
from wuye_desktop.ui.shell import Shell

SEARCH_DELAY_MS = 250
_WIDTHS = (210, 90, 100, 110, 200, 110, 80, 90, 80)


class RegisterView(QWidget):
    count_changed = Signal(int)

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctx = shell.ctx
        self._ctx = ctx
        self._filter = register.CaseFilter()

        self.search = QLineEdit(placeholderText="搜索：案件编号、当事人姓名、电话尾号、地址、案情……")
        self.search.setClearButtonEnabled(True)
        self.status = QComboBox()
        self.status.addItem("全部状态", None)
        for status in CaseStatus:
            self.status.addItem(status.label, status)

        self.model = CaseTableModel(self._page, self._count, today=ctx.today, parent=self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never resize-to-contents over all rows
        for column, width in zip(range(len(COLUMNS)), _WIDTHS, strict=True):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(PARTIES, QHeaderView.ResizeMode.Stretch)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("查找"))
        filters.addWidget(self.search, 1)
        filters.addWidget(QLabel("状态"))
        filters.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.status.currentIndexChanged.connect(self.refresh)
        shell.bus.changed.connect(self._on_changed)
        self.refresh()

    def _on_changed(self, what: str, _record_id: int) -> None:
        if what in (bus.CASES, bus.REFERENCE, bus.ALL):
            self.refresh()

    def _page(self, offset: int, limit: int) -> list[CaseRow]:
        return register.page(self._ctx, self._filter, offset, limit)

    def _count(self) -> int:
        return register.count(self._ctx, self._filter)

    def refresh(self) -> None:
        status = self.status.currentData()
        self._filter = register.CaseFilter(text=self.search.text().strip(),
                                           statuses=[status] if status is not None else [])
        self.model.reload()
        self.count_changed.emit(self.model.total)

    @property
    def filtered(self) -> bool:
        return bool(self._filter.text or self._filter.statuses)
