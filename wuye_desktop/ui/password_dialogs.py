"""Dialogs that take a new password: changing one's own, and an administrator's reset.

Field problems are shown in red beside the field they concern; nothing the
user typed is cleared except the password fields after a refusal.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.services import accounts
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.accounts.passwords import MIN_LENGTH
from wuye_desktop.services.context import Context
from wuye_desktop.ui.field_form import ErrorLabel, FieldForm, password_field

RULES_HINT = f"密码至少 {MIN_LENGTH} 位，同时包含字母和数字；不要用生日、电话或 12345678 这类常见密码。"


class ChangePasswordDialog(QDialog):
    """The signed-in user's own password; ``forced`` after an administrator's reset."""

    def __init__(self, ctx: Context, *, forced: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("修改密码")
        self.setMinimumWidth(440)
        intro = QLabel(
            f"管理员已为“{ctx.user.name}”设置了临时密码。请先设置只有您自己知道的新密码，再开始使用。" if forced
            else f"修改“{ctx.user.name}”的登录密码。")
        intro.setWordWrap(True)
        self.old = password_field("管理员告诉您的临时密码" if forced else "现在的密码")
        self.new = password_field()
        self.again = password_field()
        self.form = FieldForm()
        self.form.add("old_password", "临时密码" if forced else "原密码", self.old)
        self.form.add("new_password", "新密码", self.new)
        self.form.add("again", "再次输入", self.again)
        hint = QLabel(RULES_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.message = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出程序" if forced else "取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self.form.show_errors({"again": "两次输入的新密码不一致"}, self.message)
            return
        try:
            accounts.change_password(self._ctx, self.old.text(), self.new.text())
        except ValidationError as exc:
            self.form.show_errors(exc.errors, self.message)
            return
        except DomainError as exc:
            self.form.show_errors({}, self.message)
            self.message.say(exc.message)
            return
        self.accept()


class ResetPasswordDialog(QDialog):
    """An administrator gives someone a new password; they must change it at their next sign-in."""

    def __init__(self, ctx: Context, username: str, display_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._username = ctx, username
        self.setWindowTitle("重置密码")
        self.setMinimumWidth(440)
        intro = QLabel(f"为“{display_name}”（{username}）设置一个临时密码并当面告诉本人；"
                       "本人下次登录时须改成自己的密码。重置同时解除锁定。")
        intro.setWordWrap(True)
        self.new = password_field()
        self.again = password_field()
        self.form = FieldForm()
        self.form.add("password", "新密码", self.new)
        self.form.add("again", "再次输入", self.again)
        hint = QLabel(RULES_HINT)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        self.message = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("重置")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if self.new.text() != self.again.text():
            self.form.show_errors({"again": "两次输入的密码不一致"}, self.message)
            return
        try:
            account_admin.reset_password(self._ctx, self._username, self.new.text())
        except ValidationError as exc:
            self.form.show_errors(exc.errors, self.message)
            return
        except DomainError as exc:
            self.form.show_errors({}, self.message)
            self.message.say(exc.message)
            return
        self.accept()
