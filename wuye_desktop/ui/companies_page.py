"""物业企业: the property companies, their colour grade and estates; add, edit, deactivate."""

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
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import CompanyGrade
from wuye_desktop.services import reference
from wuye_desktop.services.reference import lists, places
from wuye_desktop.services.reference.lists import CompanyInput, CompanyView
from wuye_desktop.services.reference.places import EstateView
from wuye_desktop.ui.forms import ERROR_COLOUR, FieldErrors, attempt, enum_combo, select_data, tr
from wuye_desktop.ui.record_page import RecordPage
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, selected_row, table_view
from wuye_desktop.ui.shell import Shell


def company_columns() -> list[Column[CompanyView]]:
    return [
        Column(tr("企业名称"), lambda c: c.name), Column(tr("统一社会信用代码"), lambda c: c.credit_code),
        Column(tr("联系人"), lambda c: c.contact_person), Column(tr("电话"), lambda c: c.phone),
        Column(tr("四色等级"), lambda c: c.grade.label if c.grade else ""),
        Column(tr("服务小区"), lambda c: str(c.estates), align_right=True),
        Column(tr("未结案件"), lambda c: str(c.open_cases), align_right=True),
        Column(tr("状态"), lambda c: tr("正常") if c.active else tr("已停用"),
               colour=lambda c: None if c.active else ERROR_COLOUR),
        Column(tr("地址"), lambda c: c.address),
    ]


def estate_columns() -> list[Column[EstateView]]:
    return [Column(tr("小区"), lambda e: e.name), Column(tr("社区"), lambda e: e.community),
            Column(tr("楼栋"), lambda e: "、".join(e.buildings))]


class CompaniesPage(RecordPage[CompanyView]):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(shell, company_columns(), (12, 10, 4, 7, 4, 4, 4, 3, 14),
                         inactive_label=self.tr("显示已停用的企业"), new_label=self.tr("新增企业"), parent=parent)
        self.new_title = self.tr("新增物业企业")
        self.name = QLineEdit()
        self.credit_code = QLineEdit(placeholderText=self.tr("18位，可不填"))
        self.contact = QLineEdit()
        self.phone = QLineEdit()
        self.address = QLineEdit()
        self.grade = enum_combo(CompanyGrade, empty=self.tr("（未评定）"))
        pairs = (("name", self.tr("企业名称"), self.name),
                 ("credit_code", self.tr("统一社会信用代码"), self.credit_code),
                 ("contact_person", self.tr("联系人"), self.contact), ("phone", self.tr("电话"), self.phone),
                 ("grade", self.tr("四色等级"), self.grade), ("address", self.tr("地址"), self.address))
        self.errors.add_pairs(self.grid, pairs)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)

        self.estates: RowsModel[EstateView] = RowsModel(estate_columns(), self)
        self.estates_table = table_view(self.estates)
        fit_columns(self.estates_table, (8, 8, 30))
        self.estate_errors = FieldErrors()
        self.estate_name = QLineEdit()
        self.community = QComboBox()
        self.community.setEditable(True)
        self.buildings = QLineEdit(placeholderText=self.tr("多个楼栋用逗号或空格分开，例如 1号楼 2号楼"))
        self.add_estate_button = QPushButton(self.tr("添加小区"))
        self.add_buildings_button = QPushButton(self.tr("给所选小区加楼栋"))
        estates_box = QGroupBox(self.tr("所选企业服务的小区"))
        estate_grid = QGridLayout(estates_box)
        estate_grid.addWidget(self.estates_table, 0, 0, 1, 6)
        for column, (key, text, widget) in enumerate((("name", self.tr("小区名称"), self.estate_name),
                                                      ("community", self.tr("所属社区"), self.community),
                                                      ("buildings", self.tr("楼栋"), self.buildings))):
            estate_grid.addWidget(QLabel(text), 1, column * 2)
            estate_grid.addWidget(self.estate_errors.add(key, widget), 1, column * 2 + 1)
        for column, stretch in ((1, 2), (3, 2), (5, 3)):
            estate_grid.setColumnStretch(column, stretch)
        estate_buttons = QHBoxLayout()
        estate_buttons.addWidget(self.estate_errors.general, 1)
        estate_buttons.addWidget(self.add_buildings_button)
        estate_buttons.addWidget(self.add_estate_button)
        estate_grid.addLayout(estate_buttons, 2, 0, 1, 6)
        for button in (self.add_estate_button, self.add_buildings_button):
            button.setEnabled(False)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("辖区内的物业服务企业；停用后不再出现在登记表中，已有案件不受影响。")), 1)
        top.addWidget(self.show_inactive)
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.editor)
        lower.addWidget(estates_box)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.add_estate_button.clicked.connect(self.add_estate)
        self.add_buildings_button.clicked.connect(self.add_buildings)
        self.finish(buttons_row=3)

    def load_rows(self, include_inactive: bool) -> list[CompanyView]:
        return lists.companies(self.shell.ctx, include_inactive=include_inactive)

    def add_record(self, data: CompanyInput) -> int:
        return lists.add_company(self.shell.ctx, data)

    def update_record(self, record_id: int, data: CompanyInput, expected_version: int) -> None:
        lists.update_company(self.shell.ctx, record_id, data, expected_version)

    def set_record_active(self, record_id: int, active: bool) -> None:
        lists.set_company_active(self.shell.ctx, record_id, active)

    def refresh(self) -> None:
        super().refresh()
        if self.editing is not None:
            self.estates.set_rows(places.estates(self.shell.ctx, self.editing.id))

    def refresh_extra(self) -> None:
        keep = self.community.currentText()
        self.community.clear()
        self.community.addItems([c.name for c in reference.communities(self.shell.ctx)])
        self.community.setEditText(keep or self.community.itemText(0))

    def clear_fields(self) -> None:
        for edit in (self.name, self.credit_code, self.contact, self.phone, self.address):
            edit.clear()
        self.grade.setCurrentIndex(0)
        self.estates.set_rows([])
        for button in (self.add_estate_button, self.add_buildings_button):
            button.setEnabled(False)

    def fill_fields(self, company: CompanyView) -> None:
        self.name.setText(company.name)
        self.credit_code.setText(company.credit_code)
        self.contact.setText(company.contact_person)
        self.phone.setText(company.phone)
        self.address.setText(company.address)
        select_data(self.grade, company.grade)
        for button in (self.add_estate_button, self.add_buildings_button):
            button.setEnabled(self.can_edit)
        self.estates.set_rows(places.estates(self.shell.ctx, company.id))

    def value(self) -> CompanyInput:
        return CompanyInput(self.name.text(), self.credit_code.text(), self.contact.text(), self.phone.text(),
                            self.address.text(), self.grade.currentData())

    def add_estate(self) -> bool:
        editing = self.editing
        if editing is None:
            return False
        name, community, buildings = self.estate_name.text(), self.community.currentText(), self.buildings.text()
        ok, _ = attempt(self, self.tr("无法添加小区"), lambda: places.add_estate(
            self.shell.ctx, name, community, editing.id, buildings), errors=self.estate_errors)
        if ok:
            self.estate_name.clear()
            self.buildings.clear()
        return ok

    def add_buildings(self) -> bool:
        row = selected_row(self.estates_table)
        if row < 0:
            self.estate_errors.show({"name": self.tr("请先在上表中选中一个小区")})
            return False
        estate = self.estates.row_at(row)
        names = self.buildings.text()
        ok, _ = attempt(self, self.tr("无法添加楼栋"), lambda: places.add_buildings(self.shell.ctx, estate.id, names),
                        errors=self.estate_errors)
        if ok:
            self.buildings.clear()
        return ok
