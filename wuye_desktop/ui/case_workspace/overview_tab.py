"""概况: the registration details of the case, correctable (Ctrl+S) while the case is not filed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from wuye_desktop.models.enums import CaseSource, CaseStatus, OfficialType, RiskColour
from wuye_desktop.services import casework, reference
from wuye_desktop.services.cases import editing as case_edit
from wuye_desktop.services.cases.dto import CaseDetail
from wuye_desktop.services.cases.editing import CaseEdit
from wuye_desktop.services.permissions import Permission
from wuye_desktop.services.reference import lists
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload, Workspace
from wuye_desktop.ui.forms import FieldErrors, enum_combo, fill_choices, select_data


def _by_name(combo: QComboBox, name: str) -> None:
    index = combo.findText(name) if name else 0
    combo.setCurrentIndex(max(index, 0))


class OverviewTab(CaseTab):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.base_version = 0
        self._filling = False
        self._dirty = False
        self.errors = FieldErrors()
        self.source = enum_combo(CaseSource)
        self.source_ref = QLineEdit()
        self.official_type = enum_combo(OfficialType)
        self.subtype = QComboBox()
        self.estate = QComboBox()
        self.building = QComboBox()
        self.company = QComboBox()
        self.risk = enum_combo(RiskColour)
        self.amount = QLineEdit()
        self.people_count = QLineEdit()
        self.summary = QLineEdit()
        self.facts = QPlainTextEdit()
        self.facts.setTabChangesFocus(True)
        self.registrar = QLabel()
        self.refresh_choices()

        grid = QGridLayout()
        fields = (
            ("source", self.tr("来源"), self.source), ("source_ref", self.tr("来源编号/12345工单号"), self.source_ref),
            ("official_type", self.tr("纠纷类型"), self.official_type)
            , ("subtype_id", self.tr("纠纷小类"), self.subtype),
            ("estate_id", self.tr("小区"), self.estate), ("building_id", self.tr("楼栋"), self.building),
            ("property_company_id", self.tr("物业企业"), self.company), ("risk", self.tr("风险等级"), self.risk),
            ("amount", self.tr("涉及金额（元）"), self.amount)
            , ("people_count", self.tr("涉及人数"), self.people_count),
        )
        self.errors.add_pairs(grid, fields)
        row = len(fields) // 2
        grid.addWidget(QLabel(self.tr("简要案情")), row, 0)
        grid.addWidget(self.errors.add("summary", self.summary), row, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("纠纷事实")), row + 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.errors.add("facts", self.facts), row + 1, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("登记人")), row + 2, 0)
        grid.addWidget(self.registrar, row + 2, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(row + 1, 1)

        self.save_button = QPushButton(self.tr("保存修改"))
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.undo_button = QPushButton(self.tr("放弃修改"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.errors.general, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addLayout(buttons)

        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(lambda: self.load(self.workspace.detail, Reload.RESET))
        self.estate.currentIndexChanged.connect(self._estate_changed)
        for combo in (self.source, self.official_type, self.subtype, self.estate, self.building, self.company,
                      self.risk):
            combo.currentIndexChanged.connect(self._changed)
        for edit in (self.source_ref, self.amount, self.people_count, self.summary):
            edit.textChanged.connect(self._changed)
        self.facts.textChanged.connect(self._changed)

    def refresh_choices(self) -> None:
        self._filling = True
        fill_choices(self.subtype, reference.subtypes(self.ctx), self.tr("（未选）"))
        fill_choices(self.estate, reference.estates(self.ctx), self.tr("（未选）"))
        fill_choices(self.company, lists.companies(self.ctx), self.tr("（未选）"))
        self._filling = False

    def _estate_changed(self) -> None:
        estate_id = self.estate.currentData()
        fill_choices(self.building, reference.buildings(self.ctx, estate_id) if estate_id else [], self.tr("（未选）"))

    def _changed(self) -> None:
        if not self._filling:
            self._dirty = True

    def dirty(self) -> bool:
        return self._dirty

    def load(self, detail: CaseDetail, why: Reload) -> None:
        editable = detail.status is not CaseStatus.CLOSED and self.may(Permission.REGISTER_CASES)
        self.save_button.setEnabled(editable)
        self.undo_button.setEnabled(editable)
        if self._dirty and why is not Reload.RESET:
            if why is Reload.OWN:
                self.base_version = detail.version
            return
        self._filling = True
        select_data(self.source, detail.source)
        self.source_ref.setText(detail.source_ref)
        select_data(self.official_type, detail.official_type)
        _by_name(self.subtype, detail.subtype)
        _by_name(self.estate, detail.estate)
        self._estate_changed()
        _by_name(self.building, detail.building)
        _by_name(self.company, detail.property_company)
        select_data(self.risk, detail.risk)
        self.amount.setText(f"{detail.amount}" if detail.amount is not None else "")
        self.people_count.setText(str(casework.people_count(self.ctx, detail.id)))
        self.summary.setText(detail.summary)
        self.facts.setPlainText(detail.facts)
        self.registrar.setText(detail.registrar)
        self._filling = False
        self._dirty = False
        self.base_version = detail.version
        self.errors.clear()

    def edit(self) -> CaseEdit:
        return CaseEdit(
            summary=self.summary.text(), facts=self.facts.toPlainText(), source=self.source.currentData(),
            source_ref=self.source_ref.text(), official_type=self.official_type.currentData(),
            subtype_id=self.subtype.currentData(), estate_id=self.estate.currentData(),
            building_id=self.building.currentData(), property_company_id=self.company.currentData(),
            risk=self.risk.currentData(), amount=self.amount.text(), people_count=self.people_count.text(),
        )

    def save(self) -> bool:
        if not self.save_button.isEnabled():
            return False
        edit, version = self.edit(), self.base_version
        ok, _ = self.workspace.write(self.tr("无法保存"),
                                     lambda: case_edit.update_case(self.ctx, self.case_id, edit, version),
                                     errors=self.errors)
        if ok:
            self._dirty = False
            self.load(self.workspace.detail, Reload.RESET)
        return ok
