"""调查记录 and 调解记录 of a case: a list, and a form to write a new one or correct one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import CaseStatus, RecordKind
from wuye_desktop.services.cases.dto import CaseDetail
from wuye_desktop.services.casework import records
from wuye_desktop.services.casework.records import RecordInput, RecordView
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload
from wuye_desktop.ui.forms import (
    FieldErrors,
    datetime_edit,
    enum_combo,
    select_data,
    shown_datetime,
    text_box,
    to_datetime,
)
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, table_view


class RecordsPanel(QWidget):
    """Shown inside a tab (调解过程); of it, uses only what every tab has: the case, permissions, the workspace."""

    def __init__(self, tab: CaseTab) -> None:
        super().__init__()
        self.tab = tab
        self.ctx = tab.ctx
        self.editing: RecordView | None = None
        self.model: RowsModel[RecordView] = RowsModel([
            Column(self.tr("类别"), lambda r: r.kind.label)
            , Column(self.tr("时间"), lambda r: shown_datetime(r.held_at)),
            Column(self.tr("事由"), lambda r: r.matter), Column(self.tr("地点"), lambda r: r.place),
            Column(self.tr("结果"), lambda r: r.outcome), Column(self.tr("记录人"), lambda r: r.recorder),
        ], self)
        self.table = table_view(self.model)
        fit_columns(self.table, (4, 10, 14, 10, 14, 4))
        self.table.clicked.connect(lambda index: self.edit(index.row()))

        self.errors = FieldErrors()
        self.kind = enum_combo(RecordKind, RecordKind.INVESTIGATION)
        self.held_at = datetime_edit(self.ctx.now())
        self.place = QLineEdit()
        self.matter = QLineEdit(placeholderText=self.tr("例如 核实漏水位置和受损情况"))
        self.participants = QLineEdit()
        self.parties_present = QLineEdit()
        self.rights_told = QCheckBox(self.tr("已告知当事人权利义务"))
        self.rights_told.setChecked(True)
        self.statements = text_box(3, self)
        self.findings = text_box(3, self)
        self.outcome = text_box(2, self)
        self.recorder = QLineEdit(self.ctx.actor)
        self.new_button = QPushButton(self.tr("新建记录"))
        self.save_button = QPushButton(self.tr("保存记录"))
        self.delete_button = QPushButton(self.tr("删除此记录"))

        self.box = QGroupBox(self.tr("新建记录"))
        grid = QGridLayout(self.box)
        pairs = (("kind", self.tr("类别"), self.kind), ("held_at", self.tr("时间"), self.held_at),
                 ("matter", self.tr("事由"), self.matter), ("place", self.tr("地点"), self.place),
                 ("participants", self.tr("参加人"), self.participants),
                 ("parties_present", self.tr("到场当事人"), self.parties_present),
                 ("recorder", self.tr("记录人"), self.recorder))
        self.errors.add_pairs(grid, pairs)
        grid.addWidget(self.rights_told, 3, 3)
        for row, (key, text, box) in enumerate((("statements", self.tr("当事人陈述"), self.statements),
                                                ("findings", self.tr("调查/调解情况"), self.findings),
                                                ("outcome", self.tr("结果"), self.outcome)), start=4):
            grid.addWidget(QLabel(text), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self.errors.add(key, box), row, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.errors.general, 1)
        for button in (self.new_button, self.delete_button, self.save_button):
            buttons.addWidget(button)
        grid.addLayout(buttons, 7, 0, 1, 4)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.box)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.new_button.clicked.connect(self.clear)
        self.save_button.clicked.connect(self.save)
        self.delete_button.clicked.connect(self.delete)
        self.clear()

    def load(self, detail: CaseDetail, why: Reload) -> None:
        self.model.set_rows(records.records(self.ctx, self.tab.case_id))
        writable = detail.status not in (CaseStatus.CLOSED, CaseStatus.REFUSED) and self.tab.may(Permission.MEDIATE)
        for button in (self.save_button, self.delete_button, self.new_button):
            button.setEnabled(writable)
        if why is Reload.RESET or not self.dirty():
            self.clear()
        self.delete_button.setEnabled(writable and self.editing is not None)

    def dirty(self) -> bool:
        if self.editing is not None:
            return self.value() != self._input(self.editing)
        return bool(self.matter.text().strip() or self.statements.toPlainText().strip()
                    or self.findings.toPlainText().strip())

    def clear(self) -> None:
        self.editing = None
        self.box.setTitle(self.tr("新建记录"))
        for edit in (self.place, self.matter, self.participants, self.parties_present):
            edit.clear()
        for box in (self.statements, self.findings, self.outcome):
            box.clear()
        self.rights_told.setChecked(True)
        self.recorder.setText(self.ctx.actor)
        self.held_at.setDateTime(datetime_edit(self.ctx.now()).dateTime())
        self.delete_button.setEnabled(False)
        self.errors.clear()

    def edit(self, row: int) -> None:
        record = self.model.row_at(row)
        self.editing = record
        self.box.setTitle(self.tr("修改{0}").format(record.kind.label))
        select_data(self.kind, record.kind)
        self.held_at.setDateTime(datetime_edit(record.held_at).dateTime())
        self.place.setText(record.place)
        self.matter.setText(record.matter)
        self.participants.setText(record.participants)
        self.parties_present.setText(record.parties_present)
        self.rights_told.setChecked(record.rights_told)
        self.statements.setPlainText(record.statements)
        self.findings.setPlainText(record.findings)
        self.outcome.setPlainText(record.outcome)
        self.recorder.setText(record.recorder)
        self.delete_button.setEnabled(self.save_button.isEnabled())
        self.errors.clear()

    @staticmethod
    def _input(r: RecordView) -> RecordInput:
        return RecordInput(r.kind, r.held_at, r.matter, r.place, r.participants, r.parties_present, r.rights_told,
                           r.statements, r.findings, r.outcome, r.recorder)

    def value(self) -> RecordInput:
        return RecordInput(self.kind.currentData(), to_datetime(self.held_at), self.matter.text(), self.place.text(),
                           self.participants.text(), self.parties_present.text(), self.rights_told.isChecked(),
                           self.statements.toPlainText(), self.findings.toPlainText(), self.outcome.toPlainText(),
                           self.recorder.text())

    def save(self) -> bool:
        if not self.save_button.isEnabled():
            return False
        data, editing = self.value(), self.editing
        if editing is None:
            def call() -> object:
                return records.add_record(self.ctx, self.tab.case_id, data)
        else:
            def call() -> object:
                return records.update_record(self.ctx, editing.id, data, editing.version)
        ok, _ = self.tab.workspace.write(self.tr("无法保存记录"), call, errors=self.errors)
        if ok:
            self.clear()
        return ok

    def delete(self) -> None:
        editing = self.editing
        if editing is None or not msgbox.confirm(
                self, self.tr("删除记录"),
                self.tr("确定删除这条{0}吗？删除会记入审计记录。").format(editing.kind.label)):
            return
        ok, _ = self.tab.workspace.write(self.tr("无法删除记录"),
                                         lambda: records.delete_record(self.ctx, editing.id, editing.version))
        if ok:
            self.clear()
