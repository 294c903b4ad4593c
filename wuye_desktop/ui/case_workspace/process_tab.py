"""调解过程: the five-step consultation log, and the investigation and session records."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
)

from wuye_desktop.models.enums import CaseStatus, StepForm
from wuye_desktop.services import casework, reference
from wuye_desktop.services.cases.dto import CaseDetail, StepInput
from wuye_desktop.services.casework import mediation
from wuye_desktop.services.casework.views import StepView
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload, Workspace
from wuye_desktop.ui.case_workspace.records_panel import RecordsPanel
from wuye_desktop.ui.forms import FieldErrors, datetime_edit, enum_combo, shown_datetime, text_box, to_datetime
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, table_view

_RECORDABLE = (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


def _count(value: int | None) -> str:
    return "" if value is None else str(value)


class ProcessTab(CaseTab):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.steps_model: RowsModel[StepView] = RowsModel([
            Column(self.tr("序号"), lambda s: str(s.position)), Column(self.tr("步骤"), lambda s: s.step_name),
            Column(self.tr("时间"), lambda s: shown_datetime(s.held_at))
            , Column(self.tr("形式"), lambda s: s.form.label),
            Column(self.tr("应到/实到"), lambda s: f"{_count(s.expected_count)}/{_count(s.present_count)}"),
            Column(self.tr("决定"), lambda s: s.decision), Column(self.tr("内容"), lambda s: s.content),
            Column(self.tr("记录人"), lambda s: s.recorder),
        ], self)
        self.steps_table = table_view(self.steps_model)
        fit_columns(self.steps_table, (2, 5, 10, 3, 4, 12, 16, 4))
        self.steps_table.clicked.connect(lambda index: self._show_step(index.row()))

        self.errors = FieldErrors()
        self.step_name = QComboBox()
        self.step_name.setEditable(True)
        self.held_at = datetime_edit(self.ctx.now())
        self.form = enum_combo(StepForm, StepForm.MEETING)
        self.place = QLineEdit(placeholderText=self.tr("例如 社区党群服务中心调解室"))
        self.expected = QSpinBox()
        self.present = QSpinBox()
        for spin in (self.expected, self.present):
            spin.setRange(0, 9999)
            spin.setSpecialValueText(self.tr("未填"))
        self.participants = QLineEdit(placeholderText=self.tr("例如 双方当事人、调解员、物业代表、楼栋长"))
        self.content = text_box(3, self)
        self.decision = text_box(2, self)
        self.publicity = QLineEdit(placeholderText=self.tr("例如 在楼栋公示栏公示三天"))
        self.supervision = QLineEdit()
        self.recorder = QLineEdit(self.ctx.actor)
        self.record_button = QPushButton(self.tr("记录此步骤"))
        self.refresh_choices()

        step_form = QGroupBox(self.tr("记录一个协商步骤"))
        grid = QGridLayout(step_form)
        pairs = (
            ("step_name", self.tr("步骤"), self.step_name), ("held_at", self.tr("时间"), self.held_at),
            ("form", self.tr("形式"), self.form), ("place", self.tr("地点"), self.place),
            ("expected_count", self.tr("应到人数"), self.expected)
            , ("present_count", self.tr("实到人数"), self.present),
            ("participants", self.tr("参加人员"), self.participants), ("recorder", self.tr("记录人"), self.recorder),
            ("publicity", self.tr("公开情况"), self.publicity), ("supervision", self.tr("监督意见"), self.supervision),
        )
        self.errors.add_pairs(grid, pairs)
        row = len(pairs) // 2
        grid.addWidget(QLabel(self.tr("内容/记录")), row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.errors.add("content", self.content), row, 1)
        grid.addWidget(QLabel(self.tr("形成的决定")), row, 2, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.errors.add("decision", self.decision), row, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.errors.general, 1)
        buttons.addWidget(self.record_button)
        grid.addLayout(buttons, row + 1, 0, 1, 4)
        self.record_button.clicked.connect(self.record_step)

        steps_page = QSplitter(Qt.Orientation.Vertical)
        steps_page.addWidget(self.steps_table)
        steps_page.addWidget(step_form)
        steps_page.setStretchFactor(0, 1)
        self.records = RecordsPanel(self)
        self.inner = QTabWidget()
        self.inner.addTab(steps_page, self.tr("议事协商五步工作法"))
        self.inner.addTab(self.records, self.tr("调查记录与调解记录"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.inner)

    def refresh_choices(self) -> None:
        typed = self.step_name.currentText()
        self.step_name.clear()
        for choice in reference.step_names(self.ctx):
            self.step_name.addItem(choice.name, choice.id)
        self._suggest_next(typed)

    def _suggest_next(self, typed: str = "") -> None:
        count = self.steps_model.rowCount()
        if typed and self.step_name.findText(typed) < 0:
            self.step_name.setEditText(typed)
        elif self.step_name.count():
            self.step_name.setCurrentIndex(min(count, self.step_name.count() - 1))

    def load(self, detail: CaseDetail, why: Reload) -> None:
        self.steps_model.set_rows(casework.steps(self.ctx, self.case_id))
        self.record_button.setEnabled(detail.status in _RECORDABLE and self.may(Permission.MEDIATE))
        self.record_button.setToolTip("" if detail.status in _RECORDABLE else
                                      self.tr("只有已受理或调解中的案件可以记录协商步骤"))
        if why is Reload.RESET or not self.dirty():
            self._clear_form()
        self.records.load(detail, why)

    def _clear_form(self) -> None:
        for edit in (self.place, self.participants, self.publicity, self.supervision):
            edit.clear()
        for box in (self.content, self.decision):
            box.clear()
        self.expected.setValue(0)
        self.present.setValue(0)
        self.held_at.setDateTime(datetime_edit(self.ctx.now()).dateTime())
        self._suggest_next()
        self.errors.clear()

    def dirty(self) -> bool:
        return bool(self.content.toPlainText().strip() or self.decision.toPlainText().strip()) \
            or self.records.dirty()

    def _show_step(self, row: int) -> None:
        step = self.steps_model.row_at(row)
        self.steps_table.setToolTip(self.tr("内容：{0}\n决定：{1}\n公开：{2}\n监督：{3}").format(
            step.content, step.decision, step.publicity, step.supervision))

    def step_input(self) -> StepInput:
        typed = self.step_name.currentText().strip()
        index = self.step_name.findText(typed)
        return StepInput(
            held_at=to_datetime(self.held_at), form=self.form.currentData(), step_name=typed,
            template_id=self.step_name.itemData(index) if index >= 0 else None, place=self.place.text(),
            expected_count=self.expected.value() or None, present_count=self.present.value() or None,
            participants=self.participants.text(), content=self.content.toPlainText(),
            decision=self.decision.toPlainText(), publicity=self.publicity.text(),
            supervision=self.supervision.text(), recorder=self.recorder.text(),
        )

    def record_step(self) -> bool:
        step, version = self.step_input(), self.workspace.detail.version
        ok, _ = self.workspace.write(self.tr("无法记录协商步骤"),
                                     lambda: mediation.record_step(self.ctx, self.case_id, step, version),
                                     errors=self.errors)
        if ok:
            self._clear_form()
        return ok

    def save(self) -> bool:
        if self.inner.currentWidget() is self.records:
            return self.records.save()
        return self.record_button.isEnabled() and self.record_step()
