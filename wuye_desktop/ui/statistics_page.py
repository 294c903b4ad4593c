"""The 统计 page: pick a period, see its figures, the monthly trend and the busiest places; export the workbook.

Figures are computed off the GUI thread through the shell's runner when
the page is first shown, when the period changes and when cases change.
The monthly workbook is written the same way behind a progress dialog;
12345 work orders are imported through their own dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError
from wuye_desktop.services import outputs, permissions, reference, settings, statistics
from wuye_desktop.services.changes import CASE_TOPICS, Changes, Topic
from wuye_desktop.services.hotline import replies as hotline_replies
from wuye_desktop.services.outputs import Target
from wuye_desktop.services.permissions import Permission
from wuye_desktop.services.statistics.report import CompanyRow, GroupRow, Overview, Period
from wuye_desktop.ui import msgbox, prefs, save_target
from wuye_desktop.ui.rows_model import RowsModel, fit_columns, table_view
from wuye_desktop.ui.shell import Shell
from wuye_desktop.ui.statistics_widgets import COMPANY_COLUMNS, ESTATE_COLUMNS, FigureCards, TrendChart

FOLDER_KEY = "reports"
MONTH, QUARTER, YEAR, RANGE = "month", "quarter", "year", "range"
_XLSX = "Excel 工作簿 (*.xlsx)"


class StatisticsPage(QWidget):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        ctx = shell.ctx
        # Seams for tests: a person answers these through Qt's file dialog.
        self.choose_save_path: Callable[[str, str], str] = self._ask_save_path
        self.overview: Overview | None = None
        self.last_export: statistics.ExportResult | None = None
        self._stale = True
        self._loading = False
        self._wanted: tuple[Period, int | None] | None = None

        self.kind = QComboBox()
        for text, kind in (("月份", MONTH), ("季度", QUARTER), ("全年", YEAR), ("自定义", RANGE)):
            self.kind.addItem(text, kind)
        default = statistics.default_period(ctx)
        self.year = QSpinBox()
        self.year.setRange(int(settings.get(ctx, settings.EARLIEST_YEAR)), ctx.today().year)
        self.year.setSuffix(" 年")
        self.year.setValue(default.start.year)
        self.number = QSpinBox()
        self.number.setRange(1, 12)
        self.number.setSuffix(" 月")
        self.number.setValue(default.start.month)
        self.start, self.end = _date_edit(default.start), _date_edit(default.end)
        self.committee = QComboBox()
        self.committee.addItem("全部调委会", None)
        for choice in reference.committees(ctx):
            self.committee.addItem(choice.name, choice.id)
        self.committee.setVisible(self.committee.count() > 2)
        self.to_label = QLabel("至")
        self.period_label = QLabel()
        self.status = QLabel()
        self.status.setStyleSheet("color: #555;")

        self.export_button = QPushButton("导出月报…")
        self.export_button.setEnabled(permissions.allowed(ctx, Permission.REPORT))
        self.import_button = QPushButton("导入12345工单…")
        self.import_button.setEnabled(permissions.allowed(ctx, Permission.IMPORT))
        self.replies_button = QPushButton("导出工单回复…")
        self.replies_button.setEnabled(permissions.allowed(ctx, Permission.EXPORT))

        self.cards = FigureCards()
        self.chart = TrendChart()
        self.estates: RowsModel[GroupRow] = RowsModel(ESTATE_COLUMNS, self)
        self.companies: RowsModel[CompanyRow] = RowsModel(COMPANY_COLUMNS, self)
        self.rules = QLabel()
        self.rules.setWordWrap(True)
        self.rules.setStyleSheet("color: #555;")
        self._layout()
        self._kind_changed()

        self.kind.currentIndexChanged.connect(self._kind_changed)
        for spin in (self.year, self.number):
            spin.valueChanged.connect(self.refresh)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self.refresh)
        self.committee.currentIndexChanged.connect(self.refresh)
        self.export_button.clicked.connect(self._export_clicked)
        self.import_button.clicked.connect(self.open_import_dialog)
        self.replies_button.clicked.connect(self._replies_clicked)
        shell.bus.changed.connect(self._on_changes)

    def _layout(self) -> None:
        picker = QHBoxLayout()
        picker.addWidget(QLabel("统计期间"))
        for widget in (self.kind, self.year, self.number, self.start, self.to_label, self.end, self.committee):
            picker.addWidget(widget)
        picker.addStretch(1)
        for button in (self.import_button, self.replies_button, self.export_button):
            picker.addWidget(button)

        estates_box = QGroupBox("纠纷最多的小区")
        estates_view = table_view(self.estates)
        fit_columns(estates_view, (10, 3, 3, 4))
        QVBoxLayout(estates_box).addWidget(estates_view)
        companies_box = QGroupBox("纠纷最多的物业企业")
        companies_view = table_view(self.companies)
        fit_columns(companies_view, (13, 3, 4, 4))
        inner = QVBoxLayout(companies_box)
        inner.addWidget(companies_view)
        inner.addWidget(self.rules)
        lists = QHBoxLayout()
        lists.addWidget(estates_box, 1)
        lists.addWidget(companies_box, 1)

        heading = QHBoxLayout()
        heading.addWidget(self.period_label)
        heading.addStretch(1)
        heading.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addLayout(heading)
        layout.addWidget(self.cards)
        layout.addWidget(self.chart, 3)
        layout.addLayout(lists, 2)

    # -- the period ----------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        custom = kind == RANGE
        self.year.setVisible(not custom)
        self.number.setVisible(kind in (MONTH, QUARTER))
        for widget in (self.start, self.end, self.to_label):
            widget.setVisible(custom)
        self.number.blockSignals(True)
        if kind == QUARTER:
            self.number.setRange(1, 4)
            self.number.setPrefix("第 ")
            self.number.setSuffix(" 季度")
        elif kind == MONTH:
            self.number.setRange(1, 12)
            self.number.setPrefix("")
            self.number.setSuffix(" 月")
        self.number.blockSignals(False)
        self.refresh()

    def period(self) -> Period:
        kind, year, number = self.kind.currentData(), self.year.value(), self.number.value()
        if kind == MONTH:
            return statistics.month(year, number)
        if kind == QUARTER:
            return statistics.quarter(year, number)
        if kind == YEAR:
            return statistics.year(year)
        return statistics.between(_day(self.start), _day(self.end))

    def set_period(self, period: Period) -> None:
        """Show ``period`` (as a month, quarter, year or range) and load its figures."""
        widgets = (self.kind, self.year, self.number, self.start, self.end)
        for widget in widgets:
            widget.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(period.kind))
        self.year.setValue(period.start.year)
        if period.kind == QUARTER:
            self.number.setRange(1, 4)
            self.number.setValue((period.start.month - 1) // 3 + 1)
        elif period.kind == MONTH:
            self.number.setRange(1, 12)
            self.number.setValue(period.start.month)
        self.start.setDate(_qdate(period.start))
        self.end.setDate(_qdate(period.end))
        for widget in widgets:
            widget.blockSignals(False)
        self._kind_changed()

    def committee_id(self) -> int | None:
        value = self.committee.currentData()
        return int(value) if value is not None else None

    # -- loading -------------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*CASE_TOPICS, Topic.REFERENCE, Topic.SETTINGS):
            self._stale = True
            if self.isVisible():
                self.refresh()

    def refresh(self) -> None:
        """Recompute the figures of the chosen period in the background (only while the page is shown)."""
        if not self.isVisible():
            self._stale = True
            return
        try:
            period = self.period()
        except DomainError as exc:
            self.status.setText(exc.message)
            return
        self._stale = False
        self._loading = True
        self.status.setText("正在统计…")
        ctx, committee = self.shell.ctx, self.committee_id()
        self._wanted = (period, committee)
        self.shell.runner.start(lambda _p: statistics.overview(ctx, period, committee),
                                self._show_overview, self._failed)

    @property
    def loading(self) -> bool:
        return self._loading

    def _show_overview(self, overview: Overview) -> None:
        if (overview.period, overview.committee_id) != self._wanted:  # the clerk moved on meanwhile
            return
        self._loading = False
        self.overview = overview
        period = overview.period
        self.period_label.setText(f"<b>{overview.unit}　{period.label}</b>　（{period.span_text}，"
                                  f"对比上期 {period.previous().label}、去年同期 {period.year_before().label}）")
        self.status.setText(f"登记 {overview.current.registered} 件")
        self.cards.show_lines(overview.lines)
        self.chart.show_trend(overview.trend)
        self.estates.set_rows(overview.estates)
        self.companies.set_rows(overview.companies)
        self.rules.setText(f"四色评级规则：{overview.grade_rules}。")

    def _failed(self, message: str, _is_bug: bool) -> None:
        self._loading = False
        self.status.setText("统计未完成")
        msgbox.error(self, "统计未完成", message)

    # -- exports and the import ----------------------------------------------------------------

    def _ask_save_path(self, title: str, suggested: str) -> str:
        start = str(Path(prefs.last_folder(FOLDER_KEY)) / suggested)
        chosen, _filter = QFileDialog.getSaveFileName(self, title, start, _XLSX, options=save_target.SAVE_OPTIONS)
        return chosen

    def _chosen(self, title: str, suggested: str) -> Target | None:
        path = self.choose_save_path(title, suggested)
        target = save_target.confirmed(self, self.shell.ctx, path, outputs.WORKBOOK) if path else None
        if target is not None:
            prefs.remember_folder(FOLDER_KEY, path)
        return target

    def _export_clicked(self) -> None:
        target = self._chosen("保存统计表", f"{self.period().label}物业纠纷调解统计表.xlsx")
        if target is not None:
            self.export_to(str(target.path), replace=target.exists)

    def export_to(self, path: str, *, replace: bool = False) -> None:
        ctx, period, committee = self.shell.ctx, self.period(), self.committee_id()
        dialog = self._progress("正在生成统计表…", 3)
        self.export_button.setEnabled(False)

        def done(result: statistics.ExportResult) -> None:
            dialog.close()
            self.export_button.setEnabled(True)
            self.last_export = result
            privacy = "，台账中的个人信息已部分隐藏" if result.masked else ""
            msgbox.info(self, "统计表已保存", f"{period.label}统计表已保存到：\n{result.path}\n"
                                              f"（台账 {result.cases} 件{privacy}）")

        def failed(message: str, is_bug: bool) -> None:
            dialog.close()
            self.export_button.setEnabled(True)
            msgbox.error(self, "统计表未保存", message)

        self.shell.runner.start(
            lambda progress: statistics.export_monthly(ctx, period, path, committee, progress, replace=replace),
            done, failed, lambda value, _total: dialog.setValue(value))

    def _replies_clicked(self) -> None:
        period = self.period()
        target = self._chosen("保存12345工单回复", f"{period.label}12345工单回复.xlsx")
        if target is None:
            return
        path, replace = str(target.path), target.exists
        ctx = self.shell.ctx
        dialog = self._progress("正在导出工单回复…", 0)

        def done(result: hotline_replies.RepliesExport) -> None:
            dialog.close()
            msgbox.info(self, "已导出", f"已导出 {result.count} 条工单回复：\n{result.path}")

        def failed(message: str, _is_bug: bool) -> None:
            dialog.close()
            msgbox.error(self, "未导出", message)

        self.shell.runner.start(lambda _p: hotline_replies.export_replies(ctx, period, path, replace=replace),
                                done, failed)

    def _progress(self, text: str, steps: int) -> QProgressDialog:
        dialog = QProgressDialog(text, "", 0, steps, self)
        dialog.setWindowTitle("请稍候")
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(300)
        dialog.setValue(0)
        return dialog

    def open_import_dialog(self) -> None:
        from wuye_desktop.ui.hotline_import_dialog import HotlineImportDialog

        dialog = HotlineImportDialog(self.shell, self)  # an import's change set reloads the page
        self.import_dialog = dialog
        dialog.open()


def _date_edit(day: date) -> QDateEdit:
    edit = QDateEdit(_qdate(day))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
