"""A new register: the administrator chooses their own account; there is no default password."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.services import accounts
from wuye_desktop.services.accounts.sign_in import SignedIn
from wuye_desktop.services.context import Context
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.field_form import ErrorLabel, FieldForm, heading, note, password_field
from wuye_desktop.ui.password_dialogs import RULES_HINT

RECOVERY_TITLE = "请抄下台账的恢复码"


class FirstAdminForm(QWidget):
    """Shown in the sign-in window when the register has no account yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading("首次使用：设置管理员"))
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(note(RULES_HINT))
        layout.addWidget(self.message)
        self.setFocusProxy(self.display_name)

    def submit(self, ctx: Context) -> SignedIn | None:
        if self.password.text() != self.again.text():
            self.form.show_errors({"again": "两次输入的密码不一致"}, self.message)
            return None
        try:
            signed = accounts.create_first_admin(
                ctx, self.username.text(), self.display_name.text(), self.password.text())
        except ValidationError as exc:
            self.form.show_errors(exc.errors, self.message)
            return None
        except DomainError as exc:
            self.form.clear_errors()
            self.message.say(exc.message)
            return None
        self._show_recovery_code(signed)
        return signed

    def _show_recovery_code(self, signed: SignedIn) -> None:
        """Shown once, now: the program keeps only its hash."""
        msgbox.acknowledge(self, RECOVERY_TITLE, (
            f"台账的恢复码：\n\n{signed.recovery_code}\n\n"
            "只显示这一次，程序不会再显示它。请抄在纸上，和台账的纸质档案一起锁好，不要存在这台电脑里。\n\n"
            f"管理员忘记密码时，在命令行运行 wuye account recover {signed.user.username} 并输入恢复码，"
            "即可重设密码并解锁；用过后会换成新的恢复码。"), "我已抄下恢复码")
