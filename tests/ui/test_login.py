"""Signing in: the first-start administrator, the login dialog, lockout messages, a forced new password."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QWidget

from wuye_desktop.models.enums import Role
from wuye_desktop.services import account_admin, accounts, settings
from wuye_desktop.services.context import Context
from wuye_desktop.ui.login_dialog import FirstAdminDialog, LoginDialog, sign_in
from wuye_desktop.ui.password_dialogs import ChangePasswordDialog

PASSWORD = "Fangzi-2026"


def type_chinese(widget: QLineEdit, text: str) -> None:
    """Commit text the way an input method does (QTest cannot type Chinese)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    widget.setFocus()
    widget.inputMethodEvent(event)


def when_shown(action: Callable[[QWidget], None]) -> None:
    """Act on the next modal dialog once its event loop runs (``exec`` blocks the test otherwise)."""
    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(10, attempt)
            return
        action(dialog)

    QTimer.singleShot(0, attempt)


def test_first_start_creates_the_administrator_with_a_password_of_their_own(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    dialog = FirstAdminDialog(ctx, "测试台账")
    qtbot.addWidget(dialog)
    assert dialog.username.text() == "admin" and dialog.password.text() == "", "no password is filled in"
    type_chinese(dialog.display_name, "王晓燕")
    dialog.password.setText(PASSWORD)
    dialog.again.setText(PASSWORD + "x")
    dialog.create_button.click()
    assert dialog.form.errors["again"].text() == "两次输入的密码不一致"
    dialog.password.setText("12345678")
    dialog.again.setText("12345678")
    dialog.create_button.click()
    assert "常见" in dialog.form.errors["password"].text() or "字母和数字" in dialog.form.errors["password"].text()
    assert accounts.needs_first_admin(ctx), "nothing created yet"
    assert dialog.display_name.text() == "王晓燕", "what was typed stays"
    dialog.password.setText(PASSWORD)
    dialog.again.setText(PASSWORD)
    dialog.create_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.signed_in is not None and dialog.signed_in.user.name == "王晓燕"
    assert dialog.signed_in.user.role is Role.ADMIN


def test_login_counts_failures_and_keeps_the_user_name(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    settings.put(ctx, settings.LOGIN_MAX_FAILURES, 3)
    account_admin.add(ctx, "wenshu", "何静", Role.CLERK, PASSWORD)
    dialog = LoginDialog(ctx, "测试台账")
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username, "wenshu")
    qtbot.keyClicks(dialog.password, "Wrong-pass-1")
    dialog.login_button.click()
    assert "再输错 2 次" in dialog.message.text() and dialog.message.isVisibleTo(dialog)
    assert dialog.username.text() == "wenshu" and dialog.password.text() == ""
    for _ in range(2):
        dialog.password.setText("Wrong-pass-1")
        dialog.login_button.click()
    assert "锁定" in dialog.message.text()
    dialog.password.setText(PASSWORD)
    dialog.login_button.click()
    assert "锁定" in dialog.message.text() and dialog.signed_in is None
    account_admin.unlock(ctx, "wenshu")
    dialog.password.setText(PASSWORD)
    dialog.login_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.signed_in is not None
    assert dialog.signed_in.user.name == "何静"


def test_an_empty_user_name_is_shown_beside_its_field(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.login_button.click()
    assert dialog.form.errors["username"].text() == "请填写用户名"


def test_sign_in_on_a_new_register_asks_for_the_administrator(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, FirstAdminDialog)
        dialog.display_name.setText("王晓燕")
        dialog.password.setText(PASSWORD)
        dialog.again.setText(PASSWORD)
        dialog.create_button.click()

    when_shown(fill)
    signed = sign_in(ctx, "测试台账")
    assert signed is not None and (signed.user.username, signed.user.role) == ("admin", Role.ADMIN)


def test_sign_in_after_a_reset_asks_for_a_new_password_first(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    account_admin.add(ctx, "wenshu", "何静", Role.CLERK, PASSWORD)

    def log_in(dialog: QWidget) -> None:
        assert isinstance(dialog, LoginDialog) and dialog.username.text() == "wenshu"
        dialog.password.setText(PASSWORD)
        when_shown(choose_own)
        dialog.login_button.click()

    def choose_own(dialog: QWidget) -> None:
        if not isinstance(dialog, ChangePasswordDialog):  # the login dialog is still closing
            when_shown(choose_own)
            return
        dialog.old.setText(PASSWORD)
        dialog.new.setText("Mine-and-only-9")
        dialog.again.setText("Mine-and-only-9")
        dialog.submit()

    when_shown(log_in)
    signed = sign_in(ctx, "测试台账", username="wenshu")
    assert signed is not None and not signed.must_change_password
    assert accounts.login(ctx, "wenshu", "Mine-and-only-9").user.name == "何静"


def test_giving_up_at_the_login_returns_nobody(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    account_admin.add(ctx, "wenshu", "何静", Role.CLERK, PASSWORD)
    when_shown(lambda dialog: dialog.reject() if isinstance(dialog, QDialog) else None)
    assert sign_in(ctx, "测试台账") is None


def test_changing_ones_password_shows_a_wrong_old_one_beside_it(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    account_admin.add(ctx, "wenshu", "何静", Role.CLERK, PASSWORD)
    user = accounts.login(ctx, "wenshu", PASSWORD).user
    dialog = ChangePasswordDialog(Context(ctx.db, user, ctx.today_override))
    qtbot.addWidget(dialog)
    dialog.old.setText("Not-mine-77")
    dialog.new.setText("Mine-and-only-9")
    dialog.again.setText("Mine-and-only-9")
    dialog.submit()
    assert "原密码不正确" in dialog.form.errors["old_password"].text()
    assert dialog.new.text() == "Mine-and-only-9", "the new password typed is kept"
    dialog.old.setText(PASSWORD)
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
