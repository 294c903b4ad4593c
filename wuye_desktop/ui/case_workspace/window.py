"""The workspace of one case: header with its deadlines and the legal next steps, and its tabs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import AgreementStatus, CaseStatus, JudicialStatus
from wuye_desktop.services import cases, casework, permissions
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import CaseDetail
from wuye_desktop.services.casework.views import AgreementView
from wuye_desktop.services.changes import Changes, Topic
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui import msgbox, prefs
from wuye_desktop.ui.case_workspace import printing
from wuye_desktop.ui.case_workspace.actions import ACTIONS, Action, ActionPanel
from wuye_desktop.ui.case_workspace.agreement_tab import AgreementTab
from wuye_desktop.ui.case_workspace.attachments_tab import AttachmentsTab
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload
from wuye_desktop.ui.case_workspace.history_tab import HistoryTab
from wuye_desktop.ui.case_workspace.mediators_tab import MediatorsTab
from wuye_desktop.ui.case_workspace.overview_tab import OverviewTab
from wuye_desktop.ui.case_workspace.parties_tab import PartiesTab
from wuye_desktop.ui.case_workspace.process_tab import ProcessTab
from wuye_desktop.ui.case_workspace.visits_tab import VisitsTab
from wuye_desktop.ui.forms import FieldErrors, attempt, shown_date
from wuye_desktop.ui.shell import Shell

T = TypeVar("T")
PREFS_KEY = "workspace"
_OPEN = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


class CaseWorkspace(QWidget):
    closed = Signal(int)

    def __init__(self, shell: Shell, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.shell = shell
        self.ctx = shell.ctx
        self.case_id = case_id
        self.detail: CaseDetail = cases.get(self.ctx, case_id)
        self.agreements: list[AgreementView] = []
        self._writing = False  # a change set arriving meanwhile is this window's own
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        self.number_label = QLabel()
        font = QFont(self.number_label.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.number_label.setFont(font)
        self.number_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setFont(font)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.dates_label = QLabel()
        self.dates_label.setTextFormat(Qt.TextFormat.RichText)

        self.buttons: dict[str, QPushButton] = {}
        actions_row = QHBoxLayout()
        for action in ACTIONS:
            button = QPushButton(action.label)
            button.clicked.connect(lambda _c=False, a=action: self.start_action(a))
            self.buttons[action.step] = button
            actions_row.addWidget(button)
        self.assign_button = QPushButton(self.tr("指派调解员"))
        self.assign_button.clicked.connect(self.show_mediators)
        actions_row.addWidget(self.assign_button)
        actions_row.addStretch(1)
        self.print_button = QPushButton(self.tr("打印"))
        self.print_button.setToolTip(self.tr("打印或预览文书（Ctrl+P 打印调解协议书）"))
        self.print_menu = QMenu(self.print_button)
        self.print_menu.aboutToShow.connect(self._fill_print_menu)
        self.print_button.setMenu(self.print_menu)
        self.print_button.setEnabled(permissions.allowed(self.ctx, Permission.PRINT))
        actions_row.addWidget(self.print_button)

        self.panel = ActionPanel(self.ctx.today)
        self.panel.confirmed.connect(self._perform)

        self.overview_tab = OverviewTab(self)
        self.parties_tab = PartiesTab(self)
        self.process_tab = ProcessTab(self)
        self.mediators_tab = MediatorsTab(self)
        self.agreement_tab = AgreementTab(self)
        self.visits_tab = VisitsTab(self)
        self.attachments_tab = AttachmentsTab(self)
        self.history_tab = HistoryTab(self)
        self.tabs = QTabWidget()
        for tab, title in ((self.overview_tab, self.tr("概况")), (self.parties_tab, self.tr("当事人")),
                           (self.process_tab, self.tr("调解过程")), (self.mediators_tab, self.tr("调解员")),
                           (self.agreement_tab, self.tr("协议")), (self.visits_tab, self.tr("回访")),
                           (self.attachments_tab, self.tr("附件")), (self.history_tab, self.tr("历史"))):
            self.tabs.addTab(tab, title)

        head = QHBoxLayout()
        head.addWidget(self.number_label)
        head.addSpacing(self.fontMetrics().horizontalAdvance("中") * 2)
        head.addWidget(self.status_label)
        head.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.dates_label)
        layout.addLayout(actions_row)
        layout.addWidget(self.panel)
        layout.addWidget(self.tabs, 1)

        QShortcut(QKeySequence.StandardKey.Save, self, self.save_current)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_agreement)
        shell.bus.changed.connect(self._on_changes)
        if not prefs.restore_geometry(self, PREFS_KEY):
            char = self.fontMetrics().horizontalAdvance("中")
            self.resize(char * 78, self.fontMetrics().height() * 42)
        self.reload(Reload.RESET)

    def show_mediators(self) -> None:
        self.tabs.setCurrentWidget(self.mediators_tab)

    @property
    def all_tabs(self) -> list[CaseTab]:
        return [self.overview_tab, self.parties_tab, self.process_tab, self.mediators_tab, self.agreement_tab,
                self.visits_tab, self.attachments_tab, self.history_tab]

    # -- showing the case ------------------------------------------------------------------

    def reload(self, why: Reload = Reload.EXTERNAL) -> None:
        self.detail = cases.get(self.ctx, self.case_id)
        self.agreements = casework.case_agreements(self.ctx, self.case_id)
        self._show_header()
        for tab in self.all_tabs:
            tab.load(self.detail, why)

    def _show_header(self) -> None:
        d = self.detail
        self.setWindowTitle(self.tr("案件 {0}").format(d.number))
        self.number_label.setText(d.number)
        self.status_label.setText(d.status.label)
        place = "，".join(p for p in (d.estate, d.building) if p)
        self.summary_label.setText(f"{place}：{d.summary}" if place else d.summary)
        self.dates_label.setText(self._dates_text())
        legal = set(workflow.allowed_steps(d.status))
        for action in ACTIONS:
            button = self.buttons[action.step]
            allowed = action.step in legal and permissions.allowed(self.ctx, action.permission)
            button.setEnabled(allowed)
            button.setToolTip("" if action.step in legal else self.tr("案件当前为“{0}”，不能{1}")
                              .format(d.status.label, action.label))
        self.assign_button.setEnabled(d.status in _OPEN and permissions.allowed(self.ctx, Permission.ASSIGN_MEDIATORS))
        if self.panel.action is not None and self.panel.action.step not in legal:
            self.panel.close_panel()

    def _dates_text(self) -> str:
        d = self.detail
        today = self.ctx.today()
        parts = [self.tr("登记 {0}").format(shown_date(d.registered_on))]
        if d.accepted_on:
            parts.append(self.tr("受理 {0}").format(shown_date(d.accepted_on)))
        if d.deadline and d.status in _OPEN:
            left = (d.deadline - today).days
            if left < 0:
                parts.append(self.tr("<span style='color:#b3261e'><b>调解期限 {0}，已超期 {1} 天</b></span>")
                             .format(shown_date(d.deadline), -left))
            else:
                parts.append(self.tr("调解期限 {0}（还剩 {1} 天）").format(shown_date(d.deadline), left))
        for agreement in self.agreements:
            if agreement.status is AgreementStatus.SIGNED and agreement.judicial_deadline \
                    and agreement.judicial_status is JudicialStatus.NOT_APPLIED \
                    and agreement.judicial_deadline >= today:
                parts.append(self.tr("司法确认可申请至 {0}（还剩 {1} 天）").format(
                    shown_date(agreement.judicial_deadline), (agreement.judicial_deadline - today).days))
        if d.closed_on:
            parts.append(self.tr("归档 {0}").format(shown_date(d.closed_on)))
        if d.escalation != "未上报":
            parts.append(self.tr("已上报：{0}").format(d.escalation))
        return "　".join(parts)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches_case(self.case_id):
            try:
                self.reload(Reload.OWN if self._writing else Reload.EXTERNAL)
            except Exception:
                self.close()
        elif changes.touches(Topic.REFERENCE, Topic.SETTINGS):
            self.mediators_tab.refresh_choices()
            self.process_tab.refresh_choices()

    # -- changing the case ------------------------------------------------------------------

    def write(self, title: str, call: Callable[[], T], *, errors: FieldErrors | None = None,
              on_invalid: Callable[[dict[str, str]], None] | None = None) -> tuple[bool, T | None]:
        """One service call; what it writes reaches every open view, and this one reloads keeping edits."""
        self._writing = True
        try:
            ok, result = attempt(self, title, call, errors=errors, on_invalid=on_invalid,
                                 on_conflict=lambda: self.reload(Reload.RESET))
        finally:
            self._writing = False
        return ok, result

    def start_action(self, action: Action) -> None:
        if not action.fields:
            if msgbox.confirm(self, action.label, action.confirm):
                self._perform(action, {})
            return
        self.panel.open(action, self.detail.deadline)

    def _perform(self, action: Action, values: dict[str, str]) -> None:
        version = self.detail.version
        ok, _ = self.write(self.tr("无法{0}").format(action.label),
                           lambda: action.perform(self.ctx, self.case_id, version, values),
                           errors=self.panel.errors)
        if ok:
            self.panel.close_panel()

    def save_current(self) -> None:
        tab = self.tabs.currentWidget()
        if isinstance(tab, CaseTab):
            tab.save()

    # -- printing ---------------------------------------------------------------------------

    def _fill_print_menu(self) -> None:
        self.print_menu.clear()
        kinds = printing.document_kinds()
        if not kinds:
            action = self.print_menu.addAction(self.tr("打印功能尚未安装"))
            action.setEnabled(False)
            return
        for kind, label in kinds:
            action = self.print_menu.addAction(label)
            action.setData(kind)
            action.triggered.connect(self._print_chosen)

    def _print_chosen(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.print_document(action.data())

    def print_document(self, kind: Any) -> None:
        printing.preview(self, self.shell, kind, self.case_id)

    def print_agreement(self) -> None:
        if not permissions.allowed(self.ctx, Permission.PRINT):
            return
        kind = printing.agreement_kind()
        if kind is None:
            msgbox.info(self, self.tr("打印"), self.tr("打印功能尚未安装，无法打印调解协议书。"))
            return
        self.print_document(kind)

    # -- closing ------------------------------------------------------------------------------

    def unsaved(self) -> list[str]:
        return [self.tabs.tabText(self.tabs.indexOf(tab)) for tab in self.all_tabs if tab.dirty()]

    def closeEvent(self, event: QCloseEvent) -> None:
        pending = self.unsaved()
        if pending and not msgbox.confirm(
                self, self.tr("尚未保存"),
                self.tr("“{0}”中有尚未保存的修改，关闭后将丢失。确定关闭吗？").format("、".join(pending))):
            event.ignore()
            return
        prefs.save_geometry(self, PREFS_KEY)
        self.shell.bus.changed.disconnect(self._on_changes)
        self.closed.emit(self.case_id)
        super().closeEvent(event)
