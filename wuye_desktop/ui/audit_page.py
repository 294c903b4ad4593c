"""The 审计记录 page (administrators): filter the trail, check the chain, export.

The table fetches a page at a time, newest first, so a trail of hundreds of
thousands of entries opens as fast as a short one. The chain check and the
export run off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError
from wuye_desktop.services import outputs
from wuye_desktop.services.accounts import audit_trail
from wuye_desktop.services.accounts.audit_trail import AuditFilter, AuditRow
from wuye_desktop.services.audit import ChainReport
from wuye_desktop.ui import msgbox, save_target
from wuye_desktop.ui.paged_rows import PagedTableModel
from wuye_desktop.ui.shell import Shell

COLUMNS = ("序号", "时间", "用户", "操作", "对象", "详情")
OK_STYLE = "color: #1b6e20; font-weight: bold;"
BAD_STYLE = "color: #b3261e; font-weight: bold;"


class AuditTableModel(PagedTableModel[AuditRow]):
    columns = COLUMNS

    def cell(self, row: AuditRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.detail or None
        if role == Qt.ItemDataRole.DisplayRole:
            return (str(row.id), f"{row.at:%Y-%m-%d %H:%M:%S}", row.actor, row.action_label,
                    row.object_label, row.detail)[column]
        return None


def _date_edit(initial: date) -> QDateEdit:
    edit = QDateEdit(QDate(initial.year, initial.month, initial.day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setEnabled(False)
    return edit


class AuditPage(QWidget):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._shell = shell
        self._ctx = shell.ctx
        self._filter = AuditFilter()
        # Seam for tests: a person answers this through Qt's file dialog.
        self.choose_save_path: Callable[[str], str] = self._ask_save_path

        self.actor = QComboBox()
        self.case = QLineEdit(placeholderText="案件编号")
        self.case.setClearButtonEnabled(True)
        self.action = QComboBox()
        today = self._ctx.today()
        self.use_dates = QCheckBox("时间")
        self.date_from = _date_edit(today.replace(day=1))
        self.date_to = _date_edit(today)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.search_button = QPushButton("查询")
        self.clear_button = QPushButton("清除条件")
        self.search_button.clicked.connect(self.apply_filter)
        self.clear_button.clicked.connect(self.clear_filter)
        self.case.returnPressed.connect(self.apply_filter)
        self.filter_message = QLabel()
        self.filter_message.setStyleSheet(BAD_STYLE)

        self.model = AuditTableModel(self._page, self._count, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # never resize-to-contents over all rows
        for column, width in enumerate((60, 150, 90, 130, 230)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

        self.count_label = QLabel()
        self.chain_label = QLabel("审计记录链尚未校验。")
        self.chain_label.setWordWrap(True)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setMaximumHeight(110)
        self.problems.hide()
        self.verify_button = QPushButton("校验记录链")
        self.export_button = QPushButton("导出 Excel…")
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.choose_export)

        filters = QHBoxLayout()
        for label, widget in (("用户", self.actor), ("案件", self.case), ("操作", self.action)):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.date_from)
        filters.addWidget(QLabel("至"))
        filters.addWidget(self.date_to)
        filters.addWidget(self.search_button)
        filters.addWidget(self.clear_button)
        filters.addStretch(1)
        self.case.setMinimumWidth(200)
        self.actor.setMinimumWidth(110)
        self.action.setMinimumWidth(130)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.filter_message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.chain_label)
        layout.addWidget(self.problems)
        self.filter_message.hide()
        self._fill_choices()
        self.refresh()

    # -- the list ------------------------------------------------------------------------------------

    def _page(self, offset: int, limit: int) -> list[AuditRow]:
        return audit_trail.page(self._ctx, self._filter, offset, limit)

    def _count(self) -> int:
        return audit_trail.count(self._ctx, self._filter)

    def _fill_choices(self) -> None:
        for combo, everything, items in (
            (self.actor, "全部用户", [(a, a) for a in audit_trail.actors(self._ctx)]),
            (self.action, "全部操作", [(label, code) for code, label in audit_trail.actions(self._ctx)]),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(everything, "")
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def showEvent(self, event: QShowEvent) -> None:
        # The trail grows with everything anyone does: show the latest when the page is opened.
        super().showEvent(event)
        self._fill_choices()
        self.refresh()

    def current_filter(self) -> AuditFilter:
        dated = self.use_dates.isChecked()
        return AuditFilter(
            actor=self.actor.currentData() or "", case=self.case.text().strip(), action=self.action.currentData() or "",
            date_from=self.date_from.date().toPython() if dated else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if dated else None,  # type: ignore[arg-type]
        )

    def apply_filter(self) -> None:
        wanted = self.current_filter()
        previous, self._filter = self._filter, wanted
        try:
            self.refresh()
        except DomainError as exc:
            self._filter = previous
            self.filter_message.setText(exc.message)
            self.filter_message.show()
            return
        self.filter_message.hide()

    def clear_filter(self) -> None:
        self.actor.setCurrentIndex(0)
        self.action.setCurrentIndex(0)
        self.case.clear()
        self.use_dates.setChecked(False)
        self.apply_filter()

    def refresh(self) -> None:
        self.model.reload()
        self.count_label.setText(f"共 {self.model.total} 条")

    # -- chain check and export ---------------------------------------------------------------------

    def verify(self) -> None:
        self.verify_button.setEnabled(False)
        self.chain_label.setStyleSheet("")
        self.chain_label.setText("正在校验审计记录链……")
        self._shell.runner.start(lambda _progress: audit_trail.check(self._ctx), self.show_report, self._failed)

    def show_report(self, report: ChainReport) -> None:
        self.verify_button.setEnabled(True)
        if report.ok:
            self.chain_label.setStyleSheet(OK_STYLE)
            self.chain_label.setText(f"✔ 审计记录完好：共 {report.entries} 条，链条连续，未发现改动或删除。"
                                     + "".join(f" {n}" for n in report.notes))
            self.problems.hide()
            return
        self.chain_label.setStyleSheet(BAD_STYLE)
        if report.no_key:
            self.chain_label.setText(f"✘ 本机无法核对审计记录：没有这本台账的审计密钥（共 {report.entries} 条）。"
                                     "请按下面的说明把密钥从原来的电脑带过来。")
        else:
            self.chain_label.setText(f"✘ 审计记录被改动过：共 {report.entries} 条，发现 {len(report.problems)} 处问题。"
                                     "请立即报告负责人，并保留现有备份。")
        self.problems.setPlainText("\n".join(report.problems + report.notes))
        self.problems.show()

    def _failed(self, message: str, _is_bug: bool) -> None:
        self.verify_button.setEnabled(True)
        self.export_button.setEnabled(True)
        self.chain_label.setStyleSheet(BAD_STYLE)
        msgbox.error(self, "审计记录", message)

    def _ask_save_path(self, default: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, "导出审计记录", default, "Excel 文件 (*.xlsx)",
                                              options=save_target.SAVE_OPTIONS)
        return path

    def choose_export(self) -> None:
        path = self.choose_save_path(str(Path.home() / f"审计记录-{self._ctx.today():%Y%m%d}.xlsx"))
        target = save_target.confirmed(self, self._ctx, path, outputs.WORKBOOK) if path else None
        if target is not None:
            self.export_to(str(target.path), replace=target.exists)

    def export_to(self, path: str, *, replace: bool = False) -> None:
        """Export what the filter shows now; the export itself becomes an audit entry."""
        path = outputs.named(path, outputs.WORKBOOK)
        wanted = self._filter
        self.export_button.setEnabled(False)
        self._shell.runner.start(lambda _progress: audit_trail.export(self._ctx, wanted, path, replace=replace),
                                 lambda rows: self._exported(path, rows), self._failed)

    def _exported(self, path: str, rows: int) -> None:
        self.export_button.setEnabled(True)
        self.refresh()
        msgbox.info(self, "导出审计记录", f"已导出 {rows} 条审计记录到：\n{path}")
