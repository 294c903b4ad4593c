"""调解员: the room's mediators with their open cases; add, edit, deactivate."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
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

from wuye_desktop.models.enums import MediatorKind
from wuye_desktop.services import permissions, reference, validation
from wuye_desktop.services.changes import CASE_TOPICS, Changes, Topic
from wuye_desktop.services.permissions import Permission
from wuye_desktop.services.reference import lists
from wuye_desktop.services.reference.lists import MediatorInput, MediatorView
from wuye_desktop.ui.forms import ERROR_COLOUR, FieldErrors, attempt, enum_combo, fill_choices, select_data, tr
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, table_view
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


class MediatorsPage(QWidget):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        ctx = shell.ctx
        self.editing: MediatorView | None = None
        self.can_edit = permissions.allowed(ctx, Permission.EDIT_REFERENCE)
        self.model: RowsModel[MediatorView] = RowsModel(
            mediator_columns(permissions.allowed(ctx, Permission.REVEAL_PERSONAL)), self)
        self.table = table_view(self.model)
        fit_columns(self.table, (5, 3, 2, 8, 7, 10, 9, 4, 3))
        self.table.clicked.connect(lambda index: self.edit(self.model.row_at(index.row())))
        self.show_inactive = QCheckBox(self.tr("显示已停用的调解员"))

        self.errors = FieldErrors()
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
        self.new_button = QPushButton(self.tr("新增调解员"))
        self.save_button = QPushButton(self.tr("保存"))
        self.active_button = QPushButton(self.tr("停用"))
        self.editor = QGroupBox()
        grid = QGridLayout(self.editor)
        pairs = (("name", self.tr("姓名"), self.name), ("kind", self.tr("专职/兼职"), self.kind),
                 ("gender", self.tr("性别"), self.gender), ("phone", self.tr("电话"), self.phone),
                 ("title", self.tr("身份/职务"), self.title), ("specialties", self.tr("擅长"), self.specialties),
                 ("home_estate_id", self.tr("居住小区"), self.home_estate),
                 ("home_building_id", self.tr("居住楼栋"), self.home_building), ("notes", self.tr("备注"), self.notes))
        self.errors.add_pairs(grid, pairs)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        hint = QLabel(self.tr("居住楼栋用于提醒回避：调解员不宜调解自己所住楼栋的纠纷。"))
        hint.setWordWrap(True)
        grid.addWidget(hint, 5, 0, 1, 4)
        buttons = QHBoxLayout()
        buttons.addWidget(self.errors.general, 1)
        for button in (self.new_button, self.active_button, self.save_button):
            buttons.addWidget(button)
            button.setEnabled(self.can_edit)
        grid.addLayout(buttons, 6, 0, 1, 4)
        grid.setRowStretch(7, 1)

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
        self.show_inactive.toggled.connect(self.refresh)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.active_button.clicked.connect(self.toggle_active)
        shell.bus.changed.connect(self._on_changes)
        self.refresh()
        self.start_new()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*CASE_TOPICS, Topic.REFERENCE):
            self.refresh()

    def refresh(self) -> None:
        ctx = self.shell.ctx
        fill_choices(self.home_estate, reference.estates(ctx), self.tr("（未填）"))
        self._estate_changed()
        rows = lists.mediators(ctx, include_inactive=self.show_inactive.isChecked())
        self.model.set_rows(rows)
        if self.editing is not None:
            self.editing = next((m for m in rows if m.id == self.editing.id), self.editing)

    def _estate_changed(self) -> None:
        estate_id = self.home_estate.currentData()
        fill_choices(self.home_building, reference.buildings(self.shell.ctx, estate_id) if estate_id else [],
                     self.tr("（未填）"))

    def start_new(self) -> None:
        self.editing = None
        self.editor.setTitle(self.tr("新增调解员"))
        for edit in (self.name, self.phone, self.title, self.specialties, self.notes):
            edit.clear()
        self.gender.setCurrentIndex(0)
        self.home_estate.setCurrentIndex(0)
        self.active_button.setEnabled(False)
        self.errors.clear()
        self.name.setFocus()

    def edit(self, mediator: MediatorView) -> None:
        self.editing = mediator
        self.editor.setTitle(self.tr("修改：{0}").format(mediator.name))
        self.name.setText(mediator.name)
        select_data(self.kind, mediator.kind)
        select_data(self.gender, mediator.gender)
        self.phone.setText(mediator.phone)
        self.title.setText(mediator.title)
        self.specialties.setText(mediator.specialties)
        select_data(self.home_estate, mediator.home_estate_id)
        select_data(self.home_building, mediator.home_building_id)
        self.notes.setText(mediator.notes)
        self.active_button.setText(self.tr("停用") if mediator.active else self.tr("重新启用"))
        self.active_button.setEnabled(self.can_edit)
        self.errors.clear()

    def value(self) -> MediatorInput:
        return MediatorInput(self.name.text(), self.kind.currentData(), self.gender.currentData(), self.phone.text(),
                             self.title.text(), self.specialties.text(), self.home_estate.currentData(),
                             self.home_building.currentData(), self.notes.text())

    def save(self) -> bool:
        ctx, data, editing = self.shell.ctx, self.value(), self.editing
        if editing is None:
            def call() -> int:
                return lists.add_mediator(ctx, data)
        else:
            def call() -> int:
                lists.update_mediator(ctx, editing.id, data, editing.version)
                return editing.id
        ok, mediator_id = attempt(self, self.tr("无法保存"), call, errors=self.errors, on_conflict=self.refresh)
        if ok:
            saved = next((m for m in self.model.rows if m.id == mediator_id), None)
            if saved is not None:
                self.edit(saved)
        return ok

    def toggle_active(self) -> None:
        editing = self.editing
        if editing is None:
            return
        ok, _ = attempt(self, self.tr("无法修改"),
                        lambda: lists.set_mediator_active(self.shell.ctx, editing.id, not editing.active))
        if ok:
            self.start_new()
