"""A page of one kind of reference record (物业企业, 调解员): a table above, its editor below.

What both pages share lives here: the table with a 显示已停用 box, the editor's
新增 / 停用 / 保存 buttons enabled by the permission to edit reference lists,
saving a new or a changed record (a stale copy gets the conflict question),
deactivating and reactivating, and reloading when reference data or cases
change. A page says what its record is: its columns, its fields, and the four
service calls that read and write it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtWidgets import QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QPushButton, QWidget

from wuye_desktop.services import permissions
from wuye_desktop.services.changes import CASE_TOPICS, Changes, Topic
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui.forms import FieldErrors, attempt
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, table_view
from wuye_desktop.ui.shell import Shell


class ListedRecord(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def version(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def active(self) -> bool: ...


V = TypeVar("V", bound=ListedRecord)


class RecordPage(QWidget, Generic[V]):
    """Subclasses build their fields into ``self.editor`` (a grid in ``self.grid``) and implement the hooks."""

    new_title = ""  # the editor's title when adding, e.g. 新增调解员

    def __init__(self, shell: Shell, columns: list[Column[V]], widths: Sequence[int], *, inactive_label: str,
                 new_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.editing: V | None = None
        self.can_edit = permissions.allowed(shell.ctx, Permission.EDIT_REFERENCE)
        self.model: RowsModel[V] = RowsModel(columns, self)
        self.table = table_view(self.model)
        fit_columns(self.table, tuple(widths))
        self.table.clicked.connect(lambda index: self.edit(self.model.row_at(index.row())))
        self.show_inactive = QCheckBox(inactive_label)
        self.errors = FieldErrors()
        self.new_button = QPushButton(new_label)
        self.save_button = QPushButton(self.tr("保存"))
        self.active_button = QPushButton(self.tr("停用"))
        self.editor = QGroupBox()
        self.grid = QGridLayout(self.editor)

    def finish(self, buttons_row: int) -> None:
        """Put the buttons under the fields, connect them, and show the records (called at the end of __init__)."""
        buttons = QHBoxLayout()
        buttons.addWidget(self.errors.general, 1)
        for button in (self.new_button, self.active_button, self.save_button):
            buttons.addWidget(button)
            button.setEnabled(self.can_edit)
        self.grid.addLayout(buttons, buttons_row, 0, 1, 4)
        self.grid.setRowStretch(buttons_row + 1, 1)  # keep the fields together at the top
        self.show_inactive.toggled.connect(self.refresh)
        self.new_button.clicked.connect(self.start_new)
        self.save_button.clicked.connect(self.save)
        self.active_button.clicked.connect(self.toggle_active)
        self.shell.bus.changed.connect(self._on_changes)
        self.refresh()
        self.start_new()

    # -- what a page says about its record ----------------------------------------------------

    def load_rows(self, include_inactive: bool) -> list[V]:
        raise NotImplementedError

    def add_record(self, data: Any) -> int:
        raise NotImplementedError

    def update_record(self, record_id: int, data: Any, expected_version: int) -> None:
        raise NotImplementedError

    def set_record_active(self, record_id: int, active: bool) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        """The editor's fields as the service's input."""
        raise NotImplementedError

    def clear_fields(self) -> None:
        raise NotImplementedError

    def fill_fields(self, record: V) -> None:
        raise NotImplementedError

    def refresh_extra(self) -> None:
        """Anything else the page shows that follows the reference lists (choices, a second table)."""

    # -- shared -------------------------------------------------------------------------------

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(*CASE_TOPICS, Topic.REFERENCE):
            self.refresh()

    def refresh(self) -> None:
        self.refresh_extra()
        rows = self.load_rows(self.show_inactive.isChecked())
        self.model.set_rows(rows)
        if self.editing is not None:
            self.editing = next((r for r in rows if r.id == self.editing.id), self.editing)

    def start_new(self) -> None:
        self.editing = None
        self.editor.setTitle(self.new_title)
        self.clear_fields()
        self.active_button.setEnabled(False)
        self.errors.clear()

    def edit(self, record: V) -> None:
        self.editing = record
        self.editor.setTitle(self.tr("修改：{0}").format(record.name))
        self.fill_fields(record)
        self.active_button.setText(self.tr("停用") if record.active else self.tr("重新启用"))
        self.active_button.setEnabled(self.can_edit)
        self.errors.clear()

    def save(self) -> bool:
        data, editing = self.value(), self.editing
        if editing is None:
            def call() -> int:
                return self.add_record(data)
        else:
            def call() -> int:
                self.update_record(editing.id, data, editing.version)
                return editing.id
        ok, record_id = attempt(self, self.tr("无法保存"), call, errors=self.errors, on_conflict=self.refresh)
        if ok:
            # The write's change set has reloaded the table: show the record as saved.
            saved = next((r for r in self.model.rows if r.id == record_id), None)
            if saved is not None:
                self.edit(saved)
        return ok

    def toggle_active(self) -> None:
        editing = self.editing
        if editing is None:
            return
        ok, _ = attempt(self, self.tr("无法修改"), lambda: self.set_record_active(editing.id, not editing.active))
        if ok:
            self.start_new()
