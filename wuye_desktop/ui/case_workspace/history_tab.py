"""历史: what happened to the case, when and by whom: status changes and every recorded action."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QSplitter, QVBoxLayout

from wuye_desktop.services import casework
from wuye_desktop.services.cases.dto import CaseDetail, EventView
from wuye_desktop.services.cases.workflow import STEPS
from wuye_desktop.services.casework.views import HistoryEntry
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload, Workspace
from wuye_desktop.ui.forms import shown_date, shown_datetime
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, table_view


def event_label(action: str) -> str:
    return STEPS[action].label if action in STEPS else casework.ACTION_LABELS.get(action, action)


class HistoryTab(CaseTab):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.events: RowsModel[EventView] = RowsModel([
            Column(self.tr("日期"), lambda e: shown_date(e.occurred_on))
            , Column(self.tr("事项"), lambda e: event_label(e.action)),
            Column(self.tr("原状态"), lambda e: e.from_status.label if e.from_status else ""),
            Column(self.tr("新状态"), lambda e: e.to_status.label if e.to_status else ""),
            Column(self.tr("经办人"), lambda e: e.actor), Column(self.tr("说明"), lambda e: e.note),
        ], self)
        self.entries: RowsModel[HistoryEntry] = RowsModel([
            Column(self.tr("时间"), lambda h: shown_datetime(h.at)), Column(self.tr("操作人"), lambda h: h.actor),
            Column(self.tr("操作"), lambda h: h.action), Column(self.tr("内容"), lambda h: h.detail),
        ], self)
        self.events_table = table_view(self.events)
        fit_columns(self.events_table, (6, 6, 5, 5, 5, 20))
        self.entries_table = table_view(self.entries)
        fit_columns(self.entries_table, (10, 5, 7, 30))
        events_box = QGroupBox(self.tr("办理经过"))
        QVBoxLayout(events_box).addWidget(self.events_table)
        entries_box = QGroupBox(self.tr("全部操作记录（审计）"))
        QVBoxLayout(entries_box).addWidget(self.entries_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(events_box)
        splitter.addWidget(entries_box)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def load(self, detail: CaseDetail, why: Reload) -> None:
        self.events.set_rows(detail.events)
        self.entries.set_rows(casework.history(self.ctx, self.case_id))
