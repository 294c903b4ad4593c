"""Lock the window after an idle period; the password opens it again, with nothing lost.

An application event filter notes the time of each input event. When the
idle period (``settings.IDLE_LOCK_MINUTES``) has passed, every open window
(the main window, and any dialog open over it) is covered by a plain
panel, so personal data on screen cannot be read, and a modal dialog asks
for the signed-in user's password. The windows themselves are only
covered, never closed or rebuilt: whatever was typed in an open form is
still there after unlocking. Wrong passwords count towards the account's
lockout like wrong sign-ins.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError
from wuye_desktop.services import accounts, settings
from wuye_desktop.services.context import Context
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.field_form import ErrorLabel, password_field

_INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.InputMethod, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TabletPress,
})


class IdleLock(QObject):
    """Installed once on the application; ``lock_now`` also serves a 锁定 menu item."""

    locked_changed = Signal(bool)

    def __init__(self, ctx: Context, window: QWidget | None = None, idle_ms: int | None = None,
                 clock: Callable[[], float] = time.monotonic, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._window = window
        self._clock = clock
        self._idle_ms = idle_ms if idle_ms is not None else self.configured_ms(ctx)
        self._last_input = clock()
        self.dialog: LockDialog | None = None
        self._covers: list[_Cover] = []
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.check)
        self._timer.start(self._idle_ms)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    @staticmethod
    def configured_ms(ctx: Context) -> int:
        return int(settings.get(ctx, settings.IDLE_LOCK_MINUTES)) * 60_000

    @property
    def locked(self) -> bool:
        return self.dialog is not None

    def set_idle_ms(self, idle_ms: int) -> None:
        """A changed setting takes effect at once."""
        self._idle_ms = idle_ms
        if not self.locked:
            self._timer.start(idle_ms)

    def uninstall(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Cheap on purpose: this sees every event of the application.
        if event.type() in _INPUT and self.dialog is None:
            self._last_input = self._clock()
        return False

    def check(self) -> None:
        """Lock if the idle period has passed; otherwise look again when it would have."""
        if self.locked:
            return
        idle_ms = (self._clock() - self._last_input) * 1000
        if idle_ms >= self._idle_ms:
            self.lock_now()
        else:
            self._timer.start(max(1, int(self._idle_ms - idle_ms)))

    def lock_now(self) -> None:
        if self.locked:
            return
        self._timer.stop()
        self._covers = [_Cover(w) for w in QApplication.topLevelWidgets()
                        if w.isVisible() and w.windowType() in (Qt.WindowType.Window, Qt.WindowType.Dialog)]
        self.dialog = LockDialog(self._ctx, self._window)
        self.dialog.unlocked.connect(self._unlock)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        self.dialog.password.setFocus()
        self.locked_changed.emit(True)

    def _unlock(self) -> None:
        for cover in self._covers:
            cover.remove()
        self._covers = []
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self._last_input = self._clock()
        self._timer.start(self._idle_ms)
        self.locked_changed.emit(False)


class _Cover(QWidget):
    """A plain panel over one window's contents, following its size; the window is left as it is."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("idleLockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor("#e8edf3"))
        self.setPalette(palette)
        label = QLabel("已锁定")
        label.setStyleSheet("color: #8a94a3; font-size: 20pt;")
        layout = QVBoxLayout(self)
        layout.addWidget(label, 0, Qt.AlignmentFlag.AlignCenter)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False

    def remove(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            parent.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class LockDialog(QDialog):
    """Only the right password (or quitting the program) closes this."""

    unlocked = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._leaving = False
        self.setWindowTitle("已锁定 - 物业纠纷调解台账")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)
        self.setMinimumWidth(420)
        user = ctx.user
        intro = QLabel(f"较长时间没有操作，为保护当事人的个人信息，程序已锁定。\n"
                       f"当前用户：{user.name}（{user.role.label}）。请输入密码继续，"
                       "未保存的内容都还在。")
        intro.setWordWrap(True)
        self.password = password_field("密码")
        self.message = ErrorLabel()
        self.unlock_button = QPushButton("解锁")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.quit_button = QPushButton("退出程序")
        self.quit_button.clicked.connect(self.leave)
        self.password.returnPressed.connect(self.submit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.password)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

    def submit(self) -> None:
        try:
            accounts.confirm_password(self._ctx, self.password.text())
        except DomainError as exc:
            self.message.say(exc.message)
            self.password.clear()
            self.password.setFocus()
            return
        self._leaving = True
        self.hide()
        self.unlocked.emit()

    def leave(self) -> None:
        if not msgbox.confirm(self, "退出程序", "退出后，尚未保存的内容将会丢失。确定要退出吗？"):
            return
        self._leaving = True
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.closeAllWindows()
            app.quit()

    def reject(self) -> None:
        """Esc does not unlock."""

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._leaving:
            super().closeEvent(event)
        else:
            event.ignore()
