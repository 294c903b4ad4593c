"""The 账户 menu of the main window: change one's own password, lock the screen, quit."""

from __future__ import annotations

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu

from wuye_desktop.services.context import Context
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.idle_lock import IdleLock
from wuye_desktop.ui.password_dialogs import ChangePasswordDialog


def install_account_menu(window: QMainWindow, ctx: Context, lock: IdleLock) -> QMenu:
    menu = window.menuBar().addMenu(f"账户（{ctx.user.name}）")

    def change_password() -> None:
        if ChangePasswordDialog(ctx, parent=window).exec() == QDialog.DialogCode.Accepted:
            msgbox.info(window, "修改密码", "密码已修改，下次登录请使用新密码。")

    change = QAction("修改密码…", window)
    change.triggered.connect(change_password)
    lock_screen = QAction("锁定屏幕", window)
    lock_screen.setShortcut(QKeySequence("Ctrl+L"))
    lock_screen.triggered.connect(lock.lock_now)
    leave = QAction("退出程序", window)
    leave.triggered.connect(window.close)
    menu.addAction(change)
    menu.addAction(lock_screen)
    menu.addSeparator()
    menu.addAction(leave)
    return menu
