"""待办提醒: overdue and near deadlines, judicial windows, visits due and 12345 orders; double-click opens the case."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from wuye_desktop.services.cases import reminders
from wuye_desktop.services.cases.reminders import Reminder, ReminderKind, ReminderList
from wuye_desktop.services.changes import CASE_TOPICS, Changes, Topic
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.forms import ERROR_COLOUR, enum_combo, shown_date, tr
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, selected_row, table_view
from wuye_desktop.ui.shell import Shell

REFRESH_MS = 30 * 60 * 1000  # deadlines move with the date: refresh now and then while open
_URGENT = (ReminderKind.OVERDUE, ReminderKind.HOTLINE)


def when(r: Reminder) -> str:
    if r.days_left < 0:
        return tr("已超过 {0} 天").format(-r.days_left)
    if r.days_left == 0:
        return tr("今天到期")
    return tr("还剩 {0} 天").format(r.days_left)


def reminder_columns() -> list[Column[Reminder]]:
    def colour(r: Reminder) -> str | None:
        return ERROR_COLOUR if r.days_left < 0 or (r.kind in _URGENT and r.days_left <= 1) else None

    return [
        Column(tr("类别"), lambda r: r.kind.label), Column(tr("案件编号/工单号"), lambda r: r.reference),
        Column(tr("期限"), lambda r: shown_date(r.due)), Column(tr("剩余"), when, colour=colour),
        Column(tr("事项"), lambda r: r.subject),
    ]


class RemindersPage(QWidget):
    open_case_requested = Signal(int)

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.found = ReminderList([])
        self.kind = enum_combo(ReminderKind, empty=self.tr("全部提醒"))
        self.summary = QLabel()
        self.refresh_button = QPushButton(self.tr("刷新"))
        self.open_button = QPushButton(self.tr("打开案件"))
        self.model: RowsModel[Reminder] = RowsModel(reminder_columns(), self)
        self.table = table_view(self.model)
        fit_columns(self.table, (7, 14, 6, 8, 30))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("显示")))
        top.addWidget(self.kind)
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.kind.currentIndexChanged.connect(self._show)
        self.refresh_button.clicked.connect(self.refresh)
        self.open_button.clicked.connect(lambda: self.open_row(selected_row(self.table)))
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        shell.bus.changed.connect(self._on_changes)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*CASE_TOPICS, Topic.SETTINGS, Topic.REFERENCE):
            self.refresh()

    def refresh(self) -> None:
        self.found = reminders.due(self.shell.ctx)
        self._show()

    def _show(self) -> None:
        kind = self.kind.currentData()
        rows = [r for r in self.found.items if kind is None or r.kind is kind]
        self.model.set_rows(rows)
        parts = [self.tr("{0} {1} 件").format(k.label, self.found.totals.get(k, 0)) for k in ReminderKind
                 if self.found.totals.get(k, 0)]
        text = "　".join(parts) if parts else self.tr("目前没有需要提醒的事项")
        if any(self.found.truncated(k) for k in ReminderKind):
            text += self.tr("（每类只列出最紧急的 {0} 件）").format(self.found.limit)
        self.summary.setText(text)

    def open_row(self, row: int) -> None:
        if row < 0:
            return
        reminder = self.model.row_at(row)
        if reminder.case_id is None:
            msgbox.info(self, self.tr("尚未登记"), self.tr("工单 {0} 还没有对应的案件，请先登记为案件。")
                        .format(reminder.reference))
            return
        self.open_case_requested.emit(reminder.case_id)
