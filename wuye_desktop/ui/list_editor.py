"""An editable list of names (物业 sub-types, the five-step names): add, rename, reorder, deactivate."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from wuye_desktop.services.reference import lists
from wuye_desktop.services.reference.lists import ListItem, ListKind
from wuye_desktop.ui.forms import FieldErrors, attempt
from wuye_desktop.ui.shell import Shell

INACTIVE = QColor("#8a8a8a")


class ListEditor(QGroupBox):
    def __init__(self, shell: Shell, kind: ListKind, title: str, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.shell = shell
        self.kind = kind
        self.items: list[ListItem] = []
        self.errors = FieldErrors()
        self.list = QListWidget()
        self.name = QLineEdit(placeholderText=hint)
        self.add_button = QPushButton(self.tr("新增"))
        self.rename_button = QPushButton(self.tr("改名"))
        self.up_button = QPushButton(self.tr("上移"))
        self.down_button = QPushButton(self.tr("下移"))
        self.active_button = QPushButton(self.tr("停用"))
        grid = QGridLayout(self)
        grid.addWidget(self.list, 0, 0, 5, 1)
        for row, button in enumerate((self.up_button, self.down_button, self.active_button)):
            grid.addWidget(button, row, 1)
        grid.setRowStretch(3, 1)
        grid.addWidget(self.errors.add("name", self.name), 5, 0)
        grid.addWidget(self.add_button, 5, 1)
        grid.addWidget(self.rename_button, 6, 1)
        grid.addWidget(self.errors.general, 6, 0)
        self.list.currentRowChanged.connect(self._selected)
        self.add_button.clicked.connect(self.add)
        self.rename_button.clicked.connect(self.rename)
        self.up_button.clicked.connect(lambda: self.move_item(-1))
        self.down_button.clicked.connect(lambda: self.move_item(1))
        self.active_button.clicked.connect(self.toggle_active)
        self.refresh()

    def refresh(self, select_id: int | None = None) -> None:
        current = self.current()
        keep = select_id if select_id is not None else (current.id if current else None)
        self.items = lists.items(self.shell.ctx, self.kind)
        self.list.blockSignals(True)
        self.list.clear()
        for item in self.items:
            text = item.name if item.active else self.tr("{0}（已停用）").format(item.name)
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            if not item.active:
                row.setForeground(QBrush(INACTIVE))
            self.list.addItem(row)
        self.list.blockSignals(False)
        index = next((i for i, item in enumerate(self.items) if item.id == keep), -1)
        self.list.setCurrentRow(index)
        self._selected(index)

    def current(self) -> ListItem | None:
        row = self.list.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _selected(self, row: int) -> None:
        item = self.items[row] if 0 <= row < len(self.items) else None
        for button in (self.rename_button, self.up_button, self.down_button, self.active_button):
            button.setEnabled(item is not None)
        if item is not None:
            self.name.setText(item.name)
            self.active_button.setText(self.tr("停用") if item.active else self.tr("启用"))

    def _done(self, select_id: int | None = None) -> None:
        self.refresh(select_id)

    def add(self) -> None:
        name = self.name.text()
        ok, new_id = attempt(self, self.tr("无法新增"), lambda: lists.add_item(self.shell.ctx, self.kind, name),
                             errors=self.errors)
        if ok:
            self._done(new_id)

    def rename(self) -> None:
        item, name = self.current(), self.name.text()
        if item is None:
            return
        ok, _ = attempt(self, self.tr("无法改名"),
                        lambda: lists.rename_item(self.shell.ctx, self.kind, item.id, name), errors=self.errors)
        if ok:
            self._done(item.id)

    def move_item(self, offset: int) -> None:
        item = self.current()
        if item is None:
            return
        ok, _ = attempt(self, self.tr("无法移动"),
                        lambda: lists.move_item(self.shell.ctx, self.kind, item.id, offset), errors=self.errors)
        if ok:
            self._done(item.id)

    def toggle_active(self) -> None:
        item = self.current()
        if item is None:
            return
        ok, _ = attempt(self, self.tr("无法修改"),
                        lambda: lists.set_item_active(self.shell.ctx, self.kind, item.id, not item.active),
                        errors=self.errors)
        if ok:
            self._done(item.id)
