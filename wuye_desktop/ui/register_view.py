"""The 案件台账 page: search, filters, the lazily fetched case table sorted on the server."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import CaseSource, CaseStatus, OfficialType, RiskColour
from wuye_desktop.services import permissions, reference
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases.dto import CaseRow
from wuye_desktop.services.changes import CASE_TOPICS, Changes, Topic
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui import prefs
from wuye_desktop.ui.case_table import COLUMNS, PARTIES, CaseTableModel
from wuye_desktop.ui.forms import CHINESE, enum_combo, fill_choices
from wuye_desktop.ui.shell import Shell

SEARCH_DELAY_MS = 250
PREFS_KEY = "register"
# Default column widths in characters of the current font, so they scale with the screen's DPI.
_WIDTH_CHARS = (14, 6, 7, 7, 12, 7, 5, 6, 5)
_NO_DATE = QDate(2000, 1, 1)


class CaseTableView(QTableView):
    """The register's table: Enter opens the selected case, like a double-click."""

    open_requested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        super().keyPressEvent(event)


def _date_filter() -> QDateEdit:
    edit = QDateEdit()
    edit.setLocale(CHINESE)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(_NO_DATE)
    edit.setDate(_NO_DATE)
    return edit


class RegisterView(QWidget):
    count_changed = Signal(int)
    open_case_requested = Signal(int)
    new_case_requested = Signal()

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ctx = shell.ctx
        self._ctx = ctx
        self._filter = register.CaseFilter()

        self.search = QLineEdit(placeholderText=self.tr("搜索：案件编号、当事人姓名、电话尾号、地址、案情……"))
        self.search.setClearButtonEnabled(True)
        self.status = enum_combo(CaseStatus, empty=self.tr("全部状态"))
        self.risk = enum_combo(RiskColour, empty=self.tr("全部风险"))
        self.official_type = enum_combo(OfficialType, empty=self.tr("全部类型"))
        self.subtype = QComboBox()
        self.estate = QComboBox()
        self.mediator = QComboBox()
        self.source = enum_combo(CaseSource, empty=self.tr("全部来源"))
        self.date_from = _date_filter()
        self.date_to = _date_filter()
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(self.tr("不限"))
        self.clear_button = QPushButton(self.tr("清除筛选"))
        self.new_button = QPushButton(self.tr("登记新案件"))
        self.new_button.setToolTip(self.tr("登记一件新的纠纷（Ctrl+N）"))
        self.new_button.setEnabled(permissions.allowed(ctx, Permission.REGISTER_CASES))
        self.open_button = QPushButton(self.tr("打开案件"))
        self.open_button.setToolTip(self.tr("打开所选案件（回车键或双击）"))
        self._fill_pickers()

        self.model = CaseTableModel(self._page, self._count, today=ctx.today, parent=self,
                                    fetch_first=self._first)
        self.table = CaseTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(int(self.fontMetrics().height() * 1.7))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never resize-to-contents over all rows
        char = self.fontMetrics().horizontalAdvance("中")
        for column, chars in zip(range(len(COLUMNS)), _WIDTH_CHARS, strict=True):
            self.table.setColumnWidth(column, chars * char + char)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(PARTIES, QHeaderView.ResizeMode.Stretch)
        prefs.restore_header(header, PREFS_KEY)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(self.model.sort_column(), Qt.SortOrder.DescendingOrder)
        header.sortIndicatorChanged.connect(self._sort)

        self._layout_filters()
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.refresh)
        for combo in (self.status, self.risk, self.official_type, self.subtype, self.estate, self.mediator,
                      self.source):
            combo.currentIndexChanged.connect(self.refresh)
        self.date_from.dateChanged.connect(self.refresh)
        self.date_to.dateChanged.connect(self.refresh)
        self.clear_button.clicked.connect(self.clear_filters)
        self.new_button.clicked.connect(self.new_case_requested)
        self.open_button.clicked.connect(self._open_current)
        self.table.doubleClicked.connect(lambda index: self._open_row(index.row()))
        self.table.open_requested.connect(self._open_row)
        shell.bus.changed.connect(self._on_changes)
        self.refresh()

    def _layout_filters(self) -> None:
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("查找")))
        top.addWidget(self.search, 1)
        top.addWidget(QLabel(self.tr("状态")))
        top.addWidget(self.status)
        top.addWidget(QLabel(self.tr("风险")))
        top.addWidget(self.risk)
        top.addWidget(self.open_button)
        top.addWidget(self.new_button)
        grid = QGridLayout()
        pairs = ((self.tr("类型"), self.official_type), (self.tr("小类"), self.subtype),
                 (self.tr("小区"), self.estate), (self.tr("调解员"), self.mediator), (self.tr("来源"), self.source))
        column = 0
        for text, widget in pairs:
            grid.addWidget(QLabel(text), 0, column)
            grid.addWidget(widget, 0, column + 1)
            grid.setColumnStretch(column + 1, 1)
            column += 2
        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("登记日期")))
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("至")))
        dates.addWidget(self.date_to)
        dates.addWidget(self.clear_button)
        grid.addLayout(dates, 0, column)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.table, 1)

    def _fill_pickers(self) -> None:
        fill_choices(self.subtype, reference.subtypes(self._ctx), self.tr("全部小类"))
        fill_choices(self.estate, reference.estates(self._ctx), self.tr("全部小区"))
        fill_choices(self.mediator, reference.mediators(self._ctx, active_only=False), self.tr("全部调解员"))

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(Topic.REFERENCE, Topic.SETTINGS):
            self._fill_pickers()
        if changes.touches(*CASE_TOPICS, Topic.REFERENCE):
            self.refresh()

    def _page(self, offset: int, limit: int) -> list[CaseRow]:
        return register.page(self._ctx, self._filter, offset, limit, sort=self.model.sort_key,
                             descending=self.model.descending)

    def _count(self) -> int:
        return register.count(self._ctx, self._filter)

    def _first(self, limit: int) -> tuple[list[CaseRow], int]:
        return register.first_page(self._ctx, self._filter, limit, sort=self.model.sort_key,
                                   descending=self.model.descending)

    def _sort(self, column: int, order: Qt.SortOrder) -> None:
        self.model.sort(column, order)
        header = self.table.horizontalHeader()
        if self.model.sort_column() != column:  # not a sortable column: keep showing the real order
            header.blockSignals(True)
            header.setSortIndicator(self.model.sort_column(),
                                    Qt.SortOrder.DescendingOrder if self.model.descending
                                    else Qt.SortOrder.AscendingOrder)
            header.blockSignals(False)
        self.count_changed.emit(self.model.total)

    @staticmethod
    def _day(edit: QDateEdit) -> date | None:
        value = edit.date()
        return None if value == _NO_DATE else date(value.year(), value.month(), value.day())

    def current_filter(self) -> register.CaseFilter:
        status = self.status.currentData()
        return register.CaseFilter(
            text=self.search.text().strip(), statuses=[status] if status is not None else [],
            official_type=self.official_type.currentData(), subtype_id=self.subtype.currentData(),
            estate_id=self.estate.currentData(), mediator_id=self.mediator.currentData(),
            source=self.source.currentData(), risk=self.risk.currentData(),
            registered_from=self._day(self.date_from), registered_to=self._day(self.date_to),
        )

    def refresh(self) -> None:
        self._debounce.stop()  # Enter while typing: one search, not a second one when the pause ends
        self._filter = self.current_filter()
        self.model.reload()
        self.count_changed.emit(self.model.total)

    def clear_filters(self) -> None:
        widgets = (self.search, self.status, self.risk, self.official_type, self.subtype, self.estate,
                   self.mediator, self.source, self.date_from, self.date_to)
        for widget in widgets:
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.status, self.risk, self.official_type, self.subtype, self.estate, self.mediator,
                      self.source):
            combo.setCurrentIndex(0)
        self.date_from.setDate(_NO_DATE)
        self.date_to.setDate(_NO_DATE)
        for widget in widgets:
            widget.blockSignals(False)
        self.refresh()

    @property
    def filtered(self) -> bool:
        return self._filter != register.CaseFilter()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _open_row(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.open_case_requested.emit(self.model.case_at(row).id)

    def _open_current(self) -> None:
        index: QModelIndex = self.table.currentIndex()
        if index.isValid():
            self._open_row(index.row())

    def save_state(self) -> None:
        prefs.save_header(self.table.horizontalHeader(), PREFS_KEY)
