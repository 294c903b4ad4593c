"""The idle lock covers every open window, asks for the password, and loses nothing that was typed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMainWindow, QPlainTextEdit, QVBoxLayout, QWidget

from wuye_desktop.models.enums import Role
from wuye_desktop.services import accounts, settings
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.context import Context
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.idle_lock import IdleLock

PASSWORD = "Fangzi-2026"


@pytest.fixture
def clerk(ctx: Context) -> Context:
    account_admin.add(ctx, "wenshu", "何静", Role.CLERK, PASSWORD)
    return Context(ctx.db, accounts.login(ctx, "wenshu", PASSWORD).user, ctx.today_override)


@pytest.fixture
def answers() -> Iterator[list[tuple[str, str]]]:
    asked: list[tuple[str, str]] = []

    def respond(kind: str, title: str, text: str) -> bool:
        asked.append((kind, text))
        return False  # "no, don't quit"

    msgbox.responder = respond
    yield asked
    msgbox.responder = None


def type_chinese(widget: QWidget, text: str) -> None:
    event = QInputMethodEvent()
    event.setCommitString(text)
    widget.setFocus()
    widget.inputMethodEvent(event)


def a_window_with_unsaved_input(qtbot) -> tuple[QMainWindow, QLineEdit, QDialog, QPlainTextEdit]:  # type: ignore[no-untyped-def]
    window = QMainWindow()
    body = QWidget()
    field = QLineEdit()
    QVBoxLayout(body).addWidget(field)
    window.setCentralWidget(body)
    window.resize(800, 500)
    qtbot.addWidget(window)
    window.show()
    type_chinese(field, "张三与李四")
    form = QDialog(window)  # a form left open, half filled in
    notes = QPlainTextEdit(form)
    form.resize(300, 200)
    form.show()
    type_chinese(notes, "楼上漏水，尚未保存")
    return window, field, form, notes


def covers(widget: QWidget) -> list[QWidget]:
    return [w for w in widget.findChildren(QWidget, "idleLockCover") if w.isVisible()]


def test_idle_period_locks_every_window_and_the_password_unlocks_with_input_intact(  # type: ignore[no-untyped-def]
        qtbot, clerk: Context, answers: list[tuple[str, str]]) -> None:
    window, field, form, notes = a_window_with_unsaved_input(qtbot)
    lock = IdleLock(clerk, window, idle_ms=100)
    try:
        qtbot.waitUntil(lambda: lock.locked, timeout=5000)
        assert lock.dialog is not None and lock.dialog.isVisible()
        assert lock.dialog.windowModality() == Qt.WindowModality.ApplicationModal
        assert covers(window) and covers(form), "nothing on screen can be read while locked"
        assert any("当前用户：何静（登记员/文书）" in label.text() for label in lock.dialog.findChildren(QLabel))

        lock.dialog.password.setText("Wrong-pass-1")
        lock.dialog.unlock_button.click()
        assert lock.locked and "密码不正确" in lock.dialog.message.text()
        assert lock.dialog.password.text() == ""

        lock.dialog.reject()  # Esc
        lock.dialog.close()  # the title bar's close
        assert lock.locked and lock.dialog.isVisible()
        lock.dialog.quit_button.click()  # and then answers "no"
        assert answers and "尚未保存的内容将会丢失" in answers[-1][1] and lock.locked

        lock.dialog.password.setText(PASSWORD)
        lock.dialog.unlock_button.click()
        assert not lock.locked
        qtbot.waitUntil(lambda: not covers(window) and not covers(form), timeout=2000)
        assert field.text() == "张三与李四" and notes.toPlainText() == "楼上漏水，尚未保存"
        assert form.isVisible(), "the open form is still open"
    finally:
        lock.uninstall()


def test_input_postpones_the_lock(qtbot, clerk: Context) -> None:  # type: ignore[no-untyped-def]
    window, field, _form, _notes = a_window_with_unsaved_input(qtbot)
    now = [0.0]
    lock = IdleLock(clerk, window, idle_ms=60_000, clock=lambda: now[0])
    try:
        now[0] = 50.0
        qtbot.keyClick(field, Qt.Key.Key_A)  # someone is working
        now[0] = 100.0
        lock.check()
        assert not lock.locked, "only 50 s since the last key"
        now[0] = 111.0
        lock.check()
        assert lock.locked
    finally:
        lock.uninstall()


def test_wrong_passwords_at_the_lock_count_towards_the_accounts_lockout(qtbot, clerk: Context) -> None:  # type: ignore[no-untyped-def]
    settings.put(Context(clerk.db, today_override=clerk.today_override), settings.LOGIN_MAX_FAILURES, 3)
    window, *_ = a_window_with_unsaved_input(qtbot)
    lock = IdleLock(clerk, window, idle_ms=3_600_000)
    try:
        lock.lock_now()
        assert lock.dialog is not None
        for _ in range(3):
            lock.dialog.password.setText("Wrong-pass-1")
            lock.dialog.unlock_button.click()
        assert "锁定" in lock.dialog.message.text()
        lock.dialog.password.setText(PASSWORD)
        lock.dialog.unlock_button.click()
        assert lock.locked, "a locked account cannot unlock the screen"
    finally:
        lock.uninstall()


def test_the_idle_period_comes_from_the_settings(ctx: Context) -> None:
    assert IdleLock.configured_ms(ctx) == 10 * 60_000
    settings.put(ctx, settings.IDLE_LOCK_MINUTES, 3)
    assert IdleLock.configured_ms(ctx) == 3 * 60_000


def test_a_lock_over_a_modal_form_leaves_the_form_as_it_was(qtbot, clerk: Context) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    window, *_ = a_window_with_unsaved_input(qtbot)
    form = QDialog(window)
    field = QLineEdit(form)
    type_chinese(field, "调解协议第一条")
    lock = IdleLock(clerk, window, idle_ms=3_600_000)
    seen: dict[str, object] = {}

    def while_the_form_is_open() -> None:
        lock.lock_now()
        assert lock.dialog is not None
        seen["on_top"] = QApplication.activeModalWidget() is lock.dialog
        seen["form_covered"] = bool(covers(form))
        lock.dialog.password.setText(PASSWORD)
        lock.dialog.unlock_button.click()
        seen["text"] = field.text()
        form.accept()

    try:
        QTimer.singleShot(0, while_the_form_is_open)
        assert form.exec() == QDialog.DialogCode.Accepted
        assert seen == {"on_top": True, "form_covered": True, "text": "调解协议第一条"}
        assert not lock.locked
    finally:
        lock.uninstall()
