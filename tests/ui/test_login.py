"""Signing in: the first-start administrator, the login form, lockout messages, a click made early."""

from __future__ import annotations

import re

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QDialog, QLineEdit
from ui_helpers import Answers

from wuye_desktop.models.enums import Role
from wuye_desktop.services import accounts, settings
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.accounts.sign_in import SignedIn
from wuye_desktop.services.context import Context
from wuye_desktop.ui.first_admin_form import FirstAdminForm
from wuye_desktop.ui.password_dialogs import ChangePasswordDialog
from wuye_desktop.ui.sign_in_window import SignInWindow

PASSWORD = "Fangzi-2026"


def type_chinese(widget: QLineEdit, text: str) -> None:
    """Commit text the way an input method does (QTest cannot type Chinese)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    widget.setFocus()
    widget.inputMethodEvent(event)


def window_on(  # type: ignore[no-untyped-def]
    qtbot, ctx: Context | None, *, first_admin: bool = False, username: str = ""
) -> tuple[SignInWindow, list[SignedIn]]:
    """A shown sign-in window (ready on ``ctx``, or still opening) and the sign-ins it reports."""
    window = SignInWindow(username)
    qtbot.addWidget(window)
    window.show()
    signed: list[SignedIn] = []
    window.signed_in.connect(signed.append)
    if ctx is not None:
        window.register_ready(ctx, "测试台账", needs_first_admin=first_admin)
    return window, signed


def test_first_start_creates_the_administrator_with_a_password_of_their_own(qtbot, ctx: Context,  # type: ignore[no-untyped-def]
                                                                           answers: Answers) -> None:
    window, signed = window_on(qtbot, ctx, first_admin=True)
    form = window.first_admin
    assert isinstance(form, FirstAdminForm) and window.pages.currentWidget() is form
    assert window.accept_button.text() == "创建并登录" and "台账：测试台账" in window.where.text()
    assert form.username.text() == "admin" and form.password.text() == "", "no password is filled in"
    type_chinese(form.display_name, "王晓燕")
    form.password.setText(PASSWORD)
    form.again.setText(PASSWORD + "x")
    window.accept_button.click()
    assert form.form.errors["again"].text() == "两次输入的密码不一致"
    form.password.setText("12345678")
    form.again.setText("12345678")
    window.accept_button.click()
    assert "常见" in form.form.errors["password"].text() or "字母和数字" in form.form.errors["password"].text()
    assert accounts.needs_first_admin(ctx) and signed == [], "nothing created yet"
    assert answers.seen == [], "no recovery code before there is an administrator"
    assert form.display_name.text() == "王晓燕", "what was typed stays"
    form.password.setText(PASSWORD)
    form.again.setText(PASSWORD)
    window.accept_button.click()
    assert len(signed) == 1 and signed[0].user.name == "王晓燕" and signed[0].user.role is Role.ADMIN
    assert not accounts.needs_first_admin(ctx)


def test_the_first_administrator_is_shown_the_recovery_code_once_and_it_works(qtbot, ctx: Context,  # type: ignore[no-untyped-def]
                                                                              answers: Answers) -> None:
    window, signed = window_on(qtbot, ctx, first_admin=True)
    form = window.first_admin
    assert isinstance(form, FirstAdminForm)
    type_chinese(form.display_name, "王晓燕")
    form.password.setText(PASSWORD)
    form.again.setText(PASSWORD)
    window.accept_button.click()
    assert answers.kinds() == ["acknowledge"], "the administrator must acknowledge it before the program opens"
    title, text = answers.last("acknowledge")
    code = re.search(r"[A-Z0-9]{4}(?:-[A-Z0-9]{4}){4}", text)
    assert title == "请抄下台账的恢复码" and code and "只显示这一次" in text and "wuye account recover admin" in text
    assert len(signed) == 1 and signed[0].recovery_code == code.group(0)
    fresh = accounts.recover(ctx, "admin", code.group(0), "Another-pass-2026")
    assert fresh != code.group(0) and accounts.login(ctx, "admin", "Another-pass-2026").user.name == "王晓燕"


def test_login_counts_failures_and_keeps_the_user_name(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    settings.put(ctx, settings.LOGIN_MAX_FAILURES, 3)
    account_admin.add(ctx, "wenshu", "何静", Role.CLERK, PASSWORD)
    window, signed = window_on(qtbot, ctx)
    login = window.login
    qtbot.keyClicks(login.username, "wenshu")
    qtbot.keyClicks(login.password, "Wrong-pass-1")
    window.accept_button.click()
    assert "再输错 2 次" in login.message.text() and login.message.isVisibleTo(window)
    assert login.username.text() == "wenshu" and login.password.text() == ""
    for _ in range(2):
        login.password.setText("Wrong-pass-1")
        window.accept_button.click()
    assert "锁定" in login.message.text()
    login.password.setText(PASSWORD)
    window.accept_button.click()
    assert "锁定" in login.message.text() and signed == []
    account_admin.unlock(ctx, "wenshu")
    login.password.setText(PASSWORD)
    window.accept_button.click()
    assert [s.user.name for s in signed] == ["何静"]


def test_an_empty_user_name_is_shown_beside_its_field(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window, signed = window_on(qtbot, ctx)
    window.accept_button.click()
    assert window.login.form.errors["username"].text() == "请填写用户名" and signed == []


def test_a_click_made_while_the_register_opens_signs_in_once_it_is_open(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    account_admin.add(ctx, "wenshu", "何静", Role.CLERK, PASSWORD)
    window, signed = window_on(qtbot, None, username="wenshu")
    assert window.opening and window.status.isVisibleTo(window) and window.busy.isVisibleTo(window)
    assert window.focusWidget() is window.login.password, "the remembered name is filled in: the password is next"
    window.login.password.setText(PASSWORD)
    window.accept_button.click()
    assert signed == [] and "自动登录" in window.status.text()
    window.register_ready(ctx, "测试台账", needs_first_admin=False)
    assert [s.user.username for s in signed] == ["wenshu"]
    assert not window.status.isVisibleTo(window) and not window.busy.isVisibleTo(window)


def test_a_new_register_turns_the_window_into_the_administrators_form(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window, signed = window_on(qtbot, None)
    window.login.username.setText("someone")
    window.accept_button.click()  # too early, and there is nobody to sign in as
    window.register_ready(ctx, "测试台账", needs_first_admin=True)
    assert isinstance(window.pages.currentWidget(), FirstAdminForm) and signed == []
    assert "设置管理员" in window.windowTitle()


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
