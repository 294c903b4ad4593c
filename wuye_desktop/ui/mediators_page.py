"""调解员: the room's mediators with their open cases; add, edit, deactivate."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import MediatorKind
from wuye_desktop.services import permissions, reference, validation
from wuye_desktop.services.permissions import Permission
from wuye_desktop.services.reference import lists
from wuye_desktop.services.reference.lists import MediatorInput, MediatorView
from wuye_desktop.ui.forms import ERROR_COLOUR, enum_combo, fill_choices, select_data, tr
from wuye_desktop.ui.record_page import RecordPage
from wuye_desktop.ui.rows_model import Column
from wuye_desktop.ui.shell import Shell


def mediator_columns(reveal: bool) -> list[Column[MediatorView]]:
    def status(m: MediatorView) -> str:
        return tr("在职") if m.active else tr("已停用")

    return [
        Column(tr("姓名"), lambda m: m.name), Column(tr("类别"), lambda m: m.kind.label),
        Column(tr("性别"), lambda m: m.gender),
        Column(tr("电话"), lambda m: m.phone if reveal else validation.mask_phone(m.phone)),
        Column(tr("身份/职务"), lambda m: m.title), Column(tr("擅长"), lambda m: m.specialties),
        Column(tr("居住"), lambda m: " ".join(p for p in (m.home_estate, m.home_building) if p)),
        Column(tr("在办案件"), lambda m: str(m.open_cases), align_right=True),
        Column(tr("状态"), status, colour=lambda m: None if m.active else ERROR_COLOUR),
    ]


class MediatorsPage(RecordPage[MediatorView]):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(shell, mediator_columns(permissions.allowed(shell.ctx, Permission.REVEAL_PERSONAL)),
                         (5, 3, 2, 8, 7, 10, 9, 4, 3), inactive_label=self.tr("显示已停用的调解员"),
                         new_label=self.tr("新增调解员"), parent=parent)
        self.new_title = self.tr("新增调解员")
        self.name = QLineEdit()
        self.kind = enum_combo(MediatorKind, MediatorKind.PART_TIME)
        self.gender = QComboBox()
        for text, value in ((self.tr("（未填）"), ""), (self.tr("男"), "男"), (self.tr("女"), "女")):
            self.gender.addItem(text, value)
        self.phone = QLineEdit()
        self.title = QLineEdit(placeholderText=self.tr("例如 社区干部、律师、退休干部"))
        self.specialties = QLineEdit(placeholderText=self.tr("例如 物业费、房屋漏水"))
        self.home_estate = QComboBox()
        self.home_building = QComboBox()
        self.notes = QLineEdit()
        pairs = (("name", self.tr("姓名"), self.name), ("kind", self.tr("专职/兼职"), self.kind),
                 ("gender", self.tr("性别"), self.gender), ("phone", self.tr("电话"), self.phone),
                 ("title", self.tr("身份/职务"), self.title), ("specialties", self.tr("擅长"), self.specialties),
                 ("home_estate_id", self.tr("居住小区"), self.home_estate),
                 ("home_building_id", self.tr("居住楼栋"), self.home_building), ("notes", self.tr("备注"), self.notes))
        self.errors.add_pairs(self.grid, pairs)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        hint = QLabel(self.tr("居住楼栋用于提醒回避：调解员不宜调解自己所住楼栋的纠纷。"))
        hint.setWordWrap(True)
        self.grid.addWidget(hint, 5, 0, 1, 4)

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("调委会的调解员；“在办案件”为尚未结案的案件数。")), 1)
        top.addWidget(self.show_inactive)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.editor)
        splitter.setStretchFactor(0, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.home_estate.currentIndexChanged.connect(self._estate_changed)
        self.finish(buttons_row=6)

    def load_rows(self, include_inactive: bool) -> list[MediatorView]:
        return lists.mediators(self.shell.ctx, include_inactive=include_inactive)

    def add_record(self, data: MediatorInput) -> int:
        return lists.add_mediator(self.shell.ctx, data)

    def update_record(self, record_id: int, data: MediatorInput, expected_version: int) -> None:
        lists.update_mediator(self.shell.ctx, record_id, data, expected_version)

    def set_record_active(self, record_id: int, active: bool) -> None:
        lists.set_mediator_active(self.shell.ctx, record_id, active)

    def refresh_extra(self) -> None:
        fill_choices(self.home_estate, reference.estates(self.shell.ctx), self.tr("（未填）"))
        self._estate_changed()

    def _estate_changed(self) -> None:
        estate_id = self.home_estate.currentData()
        fill_choices(self.home_building, reference.buildings(self.shell.ctx, estate_id) if estate_id else [],
                     self.tr("（未填）"))

    def clear_fields(self) -> None:
        for edit in (self.name, self.phone, self.title, self.specialties, self.notes):
            edit.clear()
        self.gender.setCurrentIndex(0)
        self.home_estate.setCurrentIndex(0)
        self.name.setFocus()

    def fill_fields(self, mediator: MediatorView) -> None:
        self.name.setText(mediator.name)
        select_data(self.kind, mediator.kind)
        select_data(self.gender, mediator.gender)
        self.phone.setText(mediator.phone)
        self.title.setText(mediator.title)
        self.specialties.setText(mediator.specialties)
        select_data(self.home_estate, mediator.home_estate_id)
        select_data(self.home_building, mediator.home_building_id)
        self.notes.setText(mediator.notes)

    def value(self) -> MediatorInput:
        return MediatorInput(self.name.text(), self.kind.currentData(), self.gender.currentData(), self.phone.text(),
                             self.title.text(), self.specialties.text(), self.home_estate.currentData(),
                             self.home_building.currentData(), self.notes.text())
