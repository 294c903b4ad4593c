"""The 账户 page (administrators): who may sign in, in which role; resets, unlocks, deactivation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.models.enums import Role
from wuye_desktop.services import reference
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.accounts.sign_in import AccountView
from wuye_desktop.services.context import Context
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.field_form import ErrorLabel, FieldForm, password_field
from wuye_desktop.ui.password_dialogs import RULES_HINT, ResetPasswordDialog
from wuye_desktop.ui.rows_model import Column, RowsModel
from wuye_desktop.ui.shell import Shell

ROLE_NOTES = {
    Role.ADMIN: "管理员：全部功能，并负责账户、设置、恢复备份和审计记录",
    Role.MEDIATOR: "调解员：查看台账、登记案件；只能办理指派给本人的案件",
    Role.CLERK: "登记员/文书：登记、办理、指派、打印、报表、导入导出和备份",
    Role.VIEWER: "查看：只能查看台账（个人信息打码）和统计，不能修改",
}
GREY = "#8a8a8a"
RED = "#b3261e"


def status_text(view: AccountView) -> str:
    if not view.active:
        return "已停用"
    if view.locked_until is not None:
        return f"锁定至 {view.locked_until:%H:%M}"
    return "须修改密码" if view.must_change_password else "正常"


def _last_login(view: AccountView) -> str:
    return f"{view.last_login_at:%Y-%m-%d %H:%M}" if view.last_login_at else "从未登录"


def _grey_if_inactive(view: AccountView) -> str | None:
    return None if view.active else GREY


def _status_colour(view: AccountView) -> str | None:
    if not view.active:
        return GREY
    return RED if view.locked_until is not None else None


def _no_tip(_view: AccountView) -> str:
    return ""


ACCOUNT_COLUMNS: tuple[Column[AccountView], ...] = (
    Column("用户名", lambda v: v.username, _grey_if_inactive, _no_tip),
    Column("姓名", lambda v: v.display_name, _grey_if_inactive, _no_tip),
    Column("角色", lambda v: v.role.label, _grey_if_inactive, lambda v: ROLE_NOTES[v.role]),
    Column("对应调解员", lambda v: v.mediator_name, _grey_if_inactive, _no_tip),
    Column("状态", status_text, _status_colour, _no_tip),
    Column("上次登录", _last_login, _grey_if_inactive, _no_tip),
)


class AccountsPage(QWidget):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = shell.ctx
        self.model: RowsModel[AccountView] = RowsModel(ACCOUNT_COLUMNS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setAlternatingRowColors(True)
        for column, width in enumerate((120, 110, 110, 110, 120)):
            self.table.setColumnWidth(column, width)
        self.table.horizontalHeader().setSectionResizeMode(len(ACCOUNT_COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)

        self.add_button = QPushButton("新建账户…")
        self.edit_button = QPushButton("修改…")
        self.reset_button = QPushButton("重置密码…")
        self.unlock_button = QPushButton("解锁")
        self.active_button = QPushButton("停用")
        self.add_button.clicked.connect(self.add_account)
        self.edit_button.clicked.connect(self.edit_account)
        self.reset_button.clicked.connect(self.reset_password)
        self.unlock_button.clicked.connect(self.unlock)
        self.active_button.clicked.connect(self.toggle_active)
        self.table.doubleClicked.connect(lambda _i: self.edit_account())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())

        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.reset_button, self.unlock_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        note = QLabel("每人使用自己的账户，不要共用。停用的账户不能登录，但其审计记录保留。"
                      "连续输错密码会锁定账户一段时间，管理员可随时解锁。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(note)
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        self.model.set_rows(account_admin.list_accounts(self._ctx))
        if chosen is not None:
            for row in range(self.model.rowCount()):
                if self.model.row_at(row).username == chosen.username:
                    self.table.selectRow(row)
        self._enable()

    def selected(self) -> AccountView | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def select_username(self, username: str) -> None:
        for row in range(self.model.rowCount()):
            if self.model.row_at(row).username == username:
                self.table.selectRow(row)

    def _enable(self) -> None:
        view = self.selected()
        for button in (self.edit_button, self.reset_button, self.active_button):
            button.setEnabled(view is not None)
        self.unlock_button.setEnabled(view is not None and view.locked_until is not None)
        self.active_button.setText("启用" if view is not None and not view.active else "停用")

    def add_account(self) -> None:
        dialog = AccountDialog(self._ctx, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.refresh()
            self.select_username(dialog.saved_username)

    def edit_account(self) -> None:
        view = self.selected()
        if view is not None and AccountDialog(self._ctx, view, self).exec() == QDialog.DialogCode.Accepted:
            self.refresh()

    def reset_password(self) -> None:
        view = self.selected()
        if view is not None and ResetPasswordDialog(self._ctx, view.username, view.display_name,
                                                    self).exec() == QDialog.DialogCode.Accepted:
            msgbox.info(self, "重置密码", f"已为“{view.display_name}”重置密码，本人下次登录时须修改。")
            self.refresh()

    def unlock(self) -> None:
        view = self.selected()
        if view is not None:
            self._run(lambda: account_admin.unlock(self._ctx, view.username))

    def toggle_active(self) -> None:
        view = self.selected()
        if view is None:
            return
        if view.active and not msgbox.confirm(
                self, "停用账户", f"停用后“{view.display_name}”将不能登录，其审计记录保留。确定停用吗？"):
            return
        self._run(lambda: account_admin.set_active(self._ctx, view.username, not view.active))

    def _run(self, action: Any) -> None:
        try:
            action()
        except DomainError as exc:
            msgbox.error(self, "账户", exc.message)
        self.refresh()


class AccountDialog(QDialog):
    """A new account (with its first password), or changes to an existing one's name, role, mediator."""

    def __init__(self, ctx: Context, view: AccountView | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._view = ctx, view
        self.saved_username = ""
        self.setWindowTitle("修改账户" if view else "新建账户")
        self.setMinimumWidth(480)
        self.username = QLineEdit(view.username if view else "", placeholderText="登录用，例如 lgl 或 ligl")
        self.username.setReadOnly(view is not None)
        self.username.setMaxLength(20)
        self.display_name = QLineEdit(view.display_name if view else "", placeholderText="真实姓名，例如 李桂兰")
        self.display_name.setMaxLength(20)
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.label, role)
            self.role.setItemData(self.role.count() - 1, ROLE_NOTES[role], Qt.ItemDataRole.ToolTipRole)
        self.role_note = QLabel()
        self.role_note.setWordWrap(True)
        self.role_note.setStyleSheet("color: #555;")
        self.mediator = QComboBox()
        self.mediator.addItem("（请选择）", None)
        for choice in reference.mediators(ctx, active_only=False):
            self.mediator.addItem(choice.name, choice.id)
        self.form = FieldForm()
        self.form.add("username", "用户名", self.username)
        self.form.add("display_name", "姓名", self.display_name)
        self.form.add("role", "角色", self.role)
        self.form.addRow("", self.role_note)
        self.form.add("mediator_id", "对应调解员", self.mediator)
        self.password = password_field()
        self.again = password_field()
        if view is None:
            self.form.add("password", "初始密码", self.password)
            self.form.add("again", "再次输入", self.again)
            hint = QLabel(RULES_HINT + "本人首次登录时须改成自己的密码。")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            self.form.addRow("", hint)
        if view is not None:
            self.role.setCurrentIndex(self.role.findData(view.role))
            self.mediator.setCurrentIndex(max(0, self.mediator.findData(view.mediator_id)))
        else:
            self.role.setCurrentIndex(self.role.findData(Role.CLERK))
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.message = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def chosen_role(self) -> Role:
        return Role(self.role.currentData())  # Qt hands a StrEnum back as a plain str

    def _role_changed(self) -> None:
        role = self.chosen_role()
        self.role_note.setText(ROLE_NOTES[role])
        self.mediator.setEnabled(role is Role.MEDIATOR)

    def submit(self) -> None:
        role = self.chosen_role()
        mediator_id = self.mediator.currentData() if role is Role.MEDIATOR else None
        try:
            if self._view is None:
                if self.password.text() != self.again.text():
                    raise ValidationError.single("again", "两次输入的密码不一致")
                view = account_admin.add(self._ctx, self.username.text(), self.display_name.text(), role,
                                         self.password.text(), mediator_id)
            else:
                view = account_admin.update(self._ctx, self._view.username, self.display_name.text(), role,
                                            mediator_id)
        except ValidationError as exc:
            self.form.show_errors(exc.errors, self.message)
            return
        except DomainError as exc:
            self.form.clear_errors()
            self.message.say(exc.message)
            return
        self.saved_username = view.username
        self.accept()
