"""调解员: who mediates this case, how they were chosen, recusals, and warnings before assigning."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from wuye_desktop.models.enums import AssignmentRole, CaseStatus, ChosenBy
from wuye_desktop.services import settings
from wuye_desktop.services.cases.dto import AssignmentView, CaseDetail
from wuye_desktop.services.casework import mediation
from wuye_desktop.services.permissions import Permission
from wuye_desktop.services.reference import lists
from wuye_desktop.services.reference.lists import MediatorView
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload, Workspace
from wuye_desktop.ui.forms import ERROR_COLOUR, FieldErrors, enum_combo, error_label, select_data, shown_datetime
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, selected_row, table_view

_ASSIGNABLE = (CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


class MediatorsTab(CaseTab):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.mediators: list[MediatorView] = []
        self.model: RowsModel[AssignmentView] = RowsModel([
            Column(self.tr("调解员"), lambda a: a.mediator_name), Column(self.tr("角色"), lambda a: a.role.label),
            Column(self.tr("产生方式"), lambda a: a.chosen_by.label),
            Column(self.tr("指派时间"), lambda a: shown_datetime(a.assigned_at)),
            Column(self.tr("状态"), lambda a: self.tr("已回避") if a.recused_at else self.tr("在办"),
                   colour=lambda a: ERROR_COLOUR if a.recused_at else None),
            Column(self.tr("回避时间"), lambda a: shown_datetime(a.recused_at)),
            Column(self.tr("回避原因"), lambda a: a.recusal_reason),
        ], self)
        self.table = table_view(self.model)
        fit_columns(self.table, (5, 6, 6, 10, 4, 10, 14))

        self.errors = FieldErrors()
        self.mediator = QComboBox()
        self.role = enum_combo(AssignmentRole, AssignmentRole.LEAD)
        self.chosen_by = enum_combo(ChosenBy, ChosenBy.COMMITTEE)
        self.warnings = error_label()
        self.assign_button = QPushButton(self.tr("指派"))
        assign_box = QGroupBox(self.tr("指派调解员（调委会指定或当事人选定）"))
        grid = QGridLayout(assign_box)
        grid.addWidget(QLabel(self.tr("调解员")), 0, 0)
        grid.addWidget(self.errors.add("mediator_id", self.mediator), 0, 1)
        grid.addWidget(QLabel(self.tr("角色")), 0, 2)
        grid.addWidget(self.role, 0, 3)
        grid.addWidget(QLabel(self.tr("产生方式")), 0, 4)
        grid.addWidget(self.chosen_by, 0, 5)
        grid.addWidget(self.assign_button, 0, 6)
        grid.addWidget(self.warnings, 1, 0, 1, 7)
        grid.addWidget(self.errors.general, 2, 0, 1, 7)
        grid.setColumnStretch(1, 1)

        self.recuse_errors = FieldErrors()
        self.reason = QLineEdit(placeholderText=self.tr("例如：当事人申请回避；与当事人有亲属关系"))
        self.recuse_button = QPushButton(self.tr("办理回避"))
        recuse_box = QGroupBox(self.tr("回避（先在上表选中调解员）"))
        row = QHBoxLayout(recuse_box)
        row.addWidget(QLabel(self.tr("回避原因")))
        row.addWidget(self.recuse_errors.add("reason", self.reason), 1)
        row.addWidget(self.recuse_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(assign_box)
        layout.addWidget(recuse_box)
        layout.addWidget(self.recuse_errors.general)
        self.mediator.currentIndexChanged.connect(self.show_warnings)
        self.assign_button.clicked.connect(self.assign)
        self.recuse_button.clicked.connect(self.recuse)
        self.refresh_choices()

    def refresh_choices(self) -> None:
        keep = self.mediator.currentData()
        self.mediators = lists.mediators(self.ctx, include_inactive=False)
        self.mediator.blockSignals(True)
        self.mediator.clear()
        self.mediator.addItem(self.tr("（请选择调解员）"), None)
        for m in self.mediators:
            self.mediator.addItem(self.tr("{0}（{1}，在办 {2} 件）").format(m.name, m.kind.label, m.open_cases), m.id)
        index = self.mediator.findData(keep)
        self.mediator.setCurrentIndex(max(index, 0))
        self.mediator.blockSignals(False)

    def load(self, detail: CaseDetail, why: Reload) -> None:
        self.model.set_rows(detail.assignments)
        if why is not Reload.RESET:
            self.refresh_choices()  # open-case counts move as cases are assigned
        assignable = detail.status in _ASSIGNABLE
        self.assign_button.setEnabled(assignable and self.may(Permission.ASSIGN_MEDIATORS))
        self.recuse_button.setEnabled(self.may(Permission.ASSIGN_MEDIATORS))
        if any(a.role is AssignmentRole.LEAD and a.recused_at is None for a in detail.assignments):
            select_data(self.role, AssignmentRole.ASSISTANT)
        else:
            select_data(self.role, AssignmentRole.LEAD)
        if why is Reload.RESET:
            self.reason.clear()
        self.show_warnings()

    def dirty(self) -> bool:
        return bool(self.reason.text().strip())

    def warnings_for(self, mediator_id: int) -> list[str]:
        found = list(mediation.assignment_warnings(self.ctx, self.case_id, mediator_id))
        busy = int(settings.get(self.ctx, settings.BUSY_MEDIATOR_CASES))
        view = next((m for m in self.mediators if m.id == mediator_id), None)
        if view is not None and view.open_cases >= busy:
            found.append(self.tr("{0} 目前在办 {1} 件案件（提醒线 {2} 件），任务较重").format(
                view.name, view.open_cases, busy))
        return found

    def show_warnings(self) -> None:
        mediator_id = self.mediator.currentData()
        found = self.warnings_for(mediator_id) if mediator_id is not None else []
        self.warnings.setText("\n".join(f"⚠ {w}" for w in found))
        self.warnings.setVisible(bool(found))

    def assign(self) -> bool:
        mediator_id = self.mediator.currentData()
        if mediator_id is None:
            self.errors.show({"mediator_id": self.tr("请先选择调解员")})
            return False
        found = self.warnings_for(mediator_id)
        if found and not msgbox.confirm(self, self.tr("指派前请注意"), self.tr("{0}\n\n仍要指派吗？").format(
                "\n".join(found))):
            return False
        role, chosen, version = self.role.currentData(), self.chosen_by.currentData(), self.workspace.detail.version
        ok, _ = self.workspace.write(self.tr("无法指派"), lambda: mediation.assign(
            self.ctx, self.case_id, mediator_id, role, chosen, expected_version=version), errors=self.errors)
        if ok:
            self.mediator.setCurrentIndex(0)
        return ok

    def recuse(self) -> bool:
        row = selected_row(self.table)
        if row < 0:
            self.recuse_errors.show({"reason": self.tr("请先在上表中选中要回避的调解员")})
            return False
        assignment = self.model.row_at(row)
        reason = self.reason.text()
        ok, _ = self.workspace.write(self.tr("无法办理回避"),
                                     lambda: mediation.recuse(self.ctx, assignment.id, reason),
                                     errors=self.recuse_errors)
        if ok:
            self.reason.clear()
        return ok
