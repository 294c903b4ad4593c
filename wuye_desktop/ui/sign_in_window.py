"""The program's first window: sign in while the register opens behind it.

This window is shown before the database layer is even imported (Qt and
nothing heavier at the top of this module), so a double-click on the icon
is answered at once. The register is checked and opened on a worker thread
meanwhile (``ui/startup.py``); the user can type their name and password,
and a click on 登录 before the register is ready is kept and carried out
the moment it is. A new register, with no account yet, turns the window
into the first-start form where the administrator chooses their account.

Speed here is measured (``bench/bench_register.py``): no ``Qt`` namespace
(its hundred enums alone cost ~15 ms to build), style sheets instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.ui.field_form import ErrorLabel, FieldForm, heading, note, password_field

if TYPE_CHECKING:
    from PySide6.QtGui import QPaintEvent

    from wuye_desktop.services.accounts.sign_in import SignedIn
    from wuye_desktop.services.context import Context

TITLE = "物业纠纷调解台账"
OPENING = "正在检查并打开台账……"


class LoginForm(QWidget):
    """User name and password; wrong ones are counted, and too many lock the account for a while."""

    def __init__(self, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.username = QLineEdit(username, placeholderText="例如 wenshu")
        self.username.setMaxLength(40)
        self.password = password_field()
        self.form = FieldForm(labels_right=False)
        self.form.add("username", "用户名", self.username)
        self.form.add("password", "密码", self.password)
        self.message = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(note("忘记密码或账户被锁定，请找管理员重置或解锁。"))
        self.setFocusProxy(self.password if username else self.username)

    def submit(self, ctx: Context) -> SignedIn | None:
        from wuye_desktop.errors import DomainError, ValidationError
        from wuye_desktop.services import accounts

        try:
            return accounts.login(ctx, self.username.text(), self.password.text())
        except ValidationError as exc:
            self.form.show_errors(exc.errors, self.message)
        except DomainError as exc:
            self.form.clear_errors()
            self.message.say(exc.message)
            self.password.clear()
            self.password.setFocus()
        return None


class SignInWindow(QDialog):
    """Shown at once; ``register_ready`` arms it; ``signed_in`` says who will use the program.

    Shown with ``show()``, not ``exec()``: the program's own event loop runs
    behind it. Esc, 退出 and the close button reject it (the program ends).
    """

    signed_in = Signal(object)  # services.accounts.SignedIn
    painted = Signal()  # the first time only: slow work may start once the window is on screen

    def __init__(self, username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: Context | None = None
        self.first_admin: QWidget | None = None
        self._pending = False
        self._painted = False
        self.setWindowTitle(f"登录 - {TITLE}")
        self.setMinimumWidth(440)
        self.where = note("")
        self.where.setStyleSheet("color: #555; qproperty-alignment: AlignCenter;")
        self.where.hide()
        self.login = LoginForm(username)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.login)
        self.status = note(OPENING)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # moving: how long the check takes is not known in advance
        self.busy.setTextVisible(False)
        self.busy.setMaximumHeight(8)
        buttons = QDialogButtonBox()
        self.accept_button: QPushButton = buttons.addButton("登录", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("退出", QDialogButtonBox.ButtonRole.RejectRole)
        self.accept_button.setDefault(True)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(TITLE))
        layout.addWidget(self.where)
        layout.addSpacing(8)
        layout.addWidget(self.pages)
        layout.addWidget(self.status)
        layout.addWidget(self.busy)
        layout.addWidget(buttons)
        self.login.setFocus()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.painted.emit()

    @property
    def opening(self) -> bool:
        """True until the register is open and checked."""
        return self.ctx is None

    def register_ready(self, ctx: Context, location: str, needs_first_admin: bool) -> None:
        """The register is open: say where it is, and carry out a click made while it was opening."""
        self.ctx = ctx
        self.where.setText(f"台账：{location}")
        self.where.show()
        self.status.hide()
        self.busy.hide()
        if needs_first_admin:
            from wuye_desktop.ui.first_admin_form import FirstAdminForm

            self.first_admin = FirstAdminForm()
            self.pages.addWidget(self.first_admin)
            self.pages.setCurrentWidget(self.first_admin)
            self.setWindowTitle(f"设置管理员 - {TITLE}")
            self.accept_button.setText("创建并登录")
            self.setMinimumWidth(520)
            self.adjustSize()
            self.first_admin.setFocus()
            self._pending = False  # a new register: the administrator's account comes first
            return
        if self._pending:
            self._pending = False
            self.submit()

    def submit(self) -> None:
        if self.ctx is None:
            self._pending = True
            self.status.setText("正在打开台账，打开后将自动登录……")
            return
        form = self.first_admin or self.login
        signed = form.submit(self.ctx)  # type: ignore[attr-defined]
        if signed is not None:
            self.signed_in.emit(signed)
