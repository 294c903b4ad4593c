"""Signing in before the main window opens, and setting up the administrator on first start.

``sign_in`` is the whole sequence: a new register (no account yet) asks for
the administrator's account; otherwise the login dialog; then, if an
administrator reset the password, the user chooses their own before going on.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.services import accounts
from wuye_desktop.services.accounts import SignedIn
from wuye_desktop.services.context import Context
from wuye_desktop.services.errors import DomainError, ValidationError
from wuye_desktop.ui.password_dialogs import (
    RULES_HINT,
    ChangePasswordDialog,
    ErrorLabel,
    FieldForm,
    password_field,
)

TITLE = "物业纠纷调解台账"


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def _note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


class LoginDialog(QDialog):
    """User name and password; wrong ones are counted, and too many lock the account for a while."""

    def __init__(self, ctx: Context, location: str = "", username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.signed_in: SignedIn | None = None
        self.setWindowTitle(f"登录 - {TITLE}")
        self.setMinimumWidth(420)
        self.username = QLineEdit(username, placeholderText="例如 wenshu")
        self.username.setMaxLength(40)
        self.password = password_field()
        self.form = FieldForm()
        self.form.add("username", "用户名", self.username)
        self.form.add("password", "密码", self.password)
        self.message = ErrorLabel()
        buttons = QDialogButtonBox()
        self.login_button = buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.login_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(TITLE))
        if location:
            where = _note(f"台账：{location}")
            where.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(where)
        layout.addSpacing(8)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(_note("忘记密码或账户被锁定，请找管理员重置或解锁。"))
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()

    def submit(self) -> None:
        try:
            self.signed_in = accounts.login(self._ctx, self.username.text(), self.password.text())
        except ValidationError as exc:
            self.form.show_errors(exc.errors, self.message)
            return
        except DomainError as exc:
            self.form.clear_errors()
            self.message.say(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """A new register: the administrator chooses their own account; there is no default password."""

    def __init__(self, ctx: Context, location: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.signed_in: SignedIn | None = None
        self.setWindowTitle(f"设置管理员 - {TITLE}")
        self.setMinimumWidth(500)
        intro = QLabel(
            "这是一本新的台账，还没有任何账户。请先设置管理员账户：管理员负责为调解员、登记员添加账户，"
            "修改设置和恢复备份。密码只有您自己知道，程序没有默认密码，请牢记。")
        intro.setWordWrap(True)
        self.username = QLineEdit("admin")
        self.username.setMaxLength(20)
        self.display_name = QLineEdit(placeholderText="您的姓名，例如 王晓燕")
        self.display_name.setMaxLength(20)
        self.password = password_field()
        self.again = password_field()
        self.form = FieldForm()
        self.form.add("username", "用户名", self.username)
        self.form.add("display_name", "姓名", self.display_name)
        self.form.add("password", "密码", self.password)
        self.form.add("again", "再次输入密码", self.again)
        self.message = ErrorLabel()
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton("创建并登录", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.create_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading("首次使用：设置管理员"))
        if location:
            layout.addWidget(_note(f"台账：{location}"))
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(_note(RULES_HINT))
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.display_name.setFocus()

    def submit(self) -> None:
        if self.password.text() != self.again.text():
            self.form.show_errors({"again": "两次输入的密码不一致"}, self.message)
            return
        try:
            self.signed_in = accounts.create_first_admin(
                self._ctx, self.username.text(), self.display_name.text(), self.password.text())
        except ValidationError as exc:
            self.form.show_errors(exc.errors, self.message)
            return
        except DomainError as exc:
            self.form.clear_errors()
            self.message.say(exc.message)
            return
        self.accept()


def sign_in(ctx: Context, location: str = "", username: str = "") -> SignedIn | None:
    """Who uses the program this time, or None if they gave up (the program then exits).

    ``ctx`` is the register's context before anyone signed in; the result's
    ``user`` goes into the context of the main window.
    """
    if accounts.needs_first_admin(ctx):
        first = FirstAdminDialog(ctx, location)
        if first.exec() != QDialog.DialogCode.Accepted or first.signed_in is None:
            return None
        return first.signed_in
    login = LoginDialog(ctx, location, username)
    if login.exec() != QDialog.DialogCode.Accepted or login.signed_in is None:
        return None
    signed_in = login.signed_in
    if signed_in.must_change_password:
        user_ctx = Context(ctx.db, signed_in.user, ctx.today_override)
        change = ChangePasswordDialog(user_ctx, forced=True)
        if change.exec() != QDialog.DialogCode.Accepted:
            return None
        return SignedIn(signed_in.user, must_change_password=False)
    return signed_in
