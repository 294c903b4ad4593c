"""``wuye-desktop`` start-up: the sign-in window at once, the register opened behind it, then the main window."""

from __future__ import annotations

import faulthandler
import logging
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from damage import damage_register
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from ui_helpers import Answers

from wuye_desktop import app as desktop
from wuye_desktop.models.enums import Role
from wuye_desktop.services import accounts, demo
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.context import Context
from wuye_desktop.services.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from wuye_desktop.services.safety import backups
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import fault_log
from wuye_desktop.ui.first_admin_form import FirstAdminForm
from wuye_desktop.ui.idle_lock import IdleLock
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.password_dialogs import ChangePasswordDialog
from wuye_desktop.ui.sign_in_window import SignInWindow

PASSWORD = "Fangzi-2026"


@pytest.fixture
def clean_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, entry_faulthandler: None) -> Iterator[None]:
    """What ``main`` installs for the life of a real process, taken away again after the test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    hook, handlers = sys.excepthook, list(logging.getLogger().handlers)
    yield
    sys.excepthook = hook
    for handler in logging.getLogger().handlers:
        if handler not in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()
    for lock in QApplication.instance().findChildren(IdleLock):  # type: ignore[union-attr]
        lock.uninstall()
        lock.setParent(None)


def poll(action: Callable[[], bool]) -> None:
    """Run ``action`` on the event loop until it returns True (``main`` runs the loop, not the test)."""
    def attempt() -> None:
        if not action():
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def shown(kind: type) -> list:  # type: ignore[type-arg]
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def ready_sign_in() -> SignInWindow | None:
    windows = shown(SignInWindow)
    return windows[0] if windows and not windows[0].opening else None


def sign_in_when_ready(username: str, password: str, *, then: Callable[[], bool] | None = None) -> Callable[[], bool]:
    """A poll action: once the register is open, sign in (and start polling ``then`` first)."""
    def attempt() -> bool:
        window = ready_sign_in()
        if window is None:
            return False
        window.login.username.setText(username)
        window.login.password.setText(password)
        if then is not None:
            poll(then)
        window.accept_button.click()
        return True

    return attempt


def close_main_window(seen: Callable[[MainWindow], None]) -> Callable[[], bool]:
    """A poll action: once the main window shows, let ``seen`` look at it, then close it."""
    def attempt() -> bool:
        windows = shown(MainWindow)
        if not windows:
            return False
        seen(windows[0])
        windows[0].close()
        return True

    return attempt


def _register(data: Path, *, cases: int = 0) -> None:
    db = open_register(data_dir=str(data))
    try:
        if cases:
            demo.generate(Context(db), cases, seed=3)
        ensure_demo_accounts(Context(db))
    finally:
        db.dispose()


def test_the_window_opens_for_the_user_who_signed_in(qtbot, tmp_path: Path, clean_process: None) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    _register(data)
    seen: dict[str, object] = {}

    def log_in() -> bool:
        windows = shown(SignInWindow)
        if not windows:
            return False
        window = windows[0]
        seen["first window"] = window.windowTitle()
        seen["opening at first"] = window.opening
        # Typed and clicked while the register may still be opening: the click is kept.
        window.login.username.setText("wenshu")
        window.login.password.setText(DEMO_PASSWORD)
        window.accept_button.click()
        return True

    def look_and_close() -> bool:
        windows = shown(MainWindow)
        if not windows:
            return False
        window = windows[0]
        seen["user"] = window.shell.ctx.user
        seen["pages"] = window.page_keys
        seen["menus"] = [a.text() for a in window.menuBar().actions()]
        seen["locks"] = len(QApplication.instance().findChildren(IdleLock))  # type: ignore[union-attr]
        seen["sign-in windows left"] = len(shown(SignInWindow))
        window.close()
        return True

    poll(log_in)
    poll(look_and_close)
    assert desktop.main(["--data-dir", str(data)]) == 0
    assert seen["first window"] == "登录 - 物业纠纷调解台账" and seen["opening at first"] is True
    user = seen["user"]
    assert getattr(user, "name", None) == "何静" and getattr(user, "username", None) == "wenshu"
    assert "accounts" not in seen["pages"] and "audit" not in seen["pages"], "a clerk's window"  # type: ignore[operator]
    assert seen["menus"] == ["账户（何静）"] and seen["locks"] == 1
    assert seen["sign-in windows left"] == 0
    assert (data / "logs" / "wuye-desktop.log").exists()
    assert faulthandler.is_enabled() and fault_log.where() == data / "logs" / "faults.log", \
        "a crash in Qt's code leaves the Python stacks beside the log"


def test_the_next_start_remembers_who_signed_in(qtbot, tmp_path: Path, clean_process: None) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    _register(data)
    names: list[str] = []

    def note_name_then_sign_in() -> bool:
        window = ready_sign_in()
        if window is None:
            return False
        names.append(window.login.username.text())
        poll(sign_in_when_ready("wenshu", DEMO_PASSWORD))
        return True

    for _ in range(2):
        poll(note_name_then_sign_in)
        poll(close_main_window(lambda _window: None))
        assert desktop.main(["--data-dir", str(data)]) == 0
    assert names == ["", "wenshu"]


def test_a_new_register_asks_for_the_administrator_first(qtbot, tmp_path: Path, clean_process: None,  # type: ignore[no-untyped-def]
                                                         answers: Answers) -> None:
    data = tmp_path / "new"
    seen: dict[str, object] = {}

    def create_admin() -> bool:
        window = ready_sign_in()
        if window is None:
            return False
        form = window.first_admin
        assert isinstance(form, FirstAdminForm)
        form.display_name.setText("王晓燕")
        form.password.setText(PASSWORD)
        form.again.setText(PASSWORD)
        window.accept_button.click()
        return True

    def look(window: MainWindow) -> None:
        seen["user"], seen["pages"] = window.shell.ctx.user, window.page_keys

    poll(create_admin)
    poll(close_main_window(look))
    assert desktop.main(["--data-dir", str(data)]) == 0
    assert getattr(seen["user"], "role", None) is Role.ADMIN and "accounts" in seen["pages"]  # type: ignore[operator]
    assert (data / "wuye.db").exists()
    assert answers.kinds() == ["acknowledge"] and "恢复码" in answers.last("acknowledge")[1]


def test_after_a_reset_the_user_chooses_a_new_password_before_the_window_opens(
    qtbot, tmp_path: Path, clean_process: None  # type: ignore[no-untyped-def]
) -> None:
    data = tmp_path / "data"
    _register(data)
    db = open_register(data_dir=str(data))
    admin = accounts.login(Context(db), "admin", DEMO_PASSWORD).user
    account_admin.reset_password(Context(db, admin), "wenshu", "Temporary-77")
    db.dispose()
    opened: list[str] = []

    def choose_own() -> bool:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ChangePasswordDialog):
            return False
        assert not shown(MainWindow), "no window before the new password"
        dialog.old.setText("Temporary-77")
        dialog.new.setText("Mine-and-only-9")
        dialog.again.setText("Mine-and-only-9")
        dialog.submit()
        poll(close_main_window(lambda window: opened.append(window.shell.ctx.user.username)))
        return True

    poll(sign_in_when_ready("wenshu", "Temporary-77", then=choose_own))
    assert desktop.main(["--data-dir", str(data)]) == 0
    assert opened == ["wenshu"]
    db = open_register(data_dir=str(data))
    try:
        assert not accounts.login(Context(db), "wenshu", "Mine-and-only-9").must_change_password
    finally:
        db.dispose()


def test_giving_up_at_the_sign_in_ends_the_program_without_a_window(
    qtbot, tmp_path: Path, clean_process: None  # type: ignore[no-untyped-def]
) -> None:
    data = tmp_path / "data"
    _register(data)

    def leave() -> bool:
        window = ready_sign_in()
        if window is None:
            return False
        window.reject()
        return True

    poll(leave)
    assert desktop.main(["--data-dir", str(data)]) == 0
    assert not shown(MainWindow) and not shown(SignInWindow)


def test_leaving_while_the_register_still_opens_closes_it_cleanly(
    qtbot, tmp_path: Path, clean_process: None  # type: ignore[no-untyped-def]
) -> None:
    data = tmp_path / "data"
    _register(data)

    def leave_at_once() -> bool:
        windows = shown(SignInWindow)
        if not windows:
            return False
        windows[0].reject()
        return True

    poll(leave_at_once)
    assert desktop.main(["--data-dir", str(data)]) == 0
    # Nothing holds the register: it can be replaced at once (a restore, a copy to a USB stick).
    renamed = (data / "wuye.db").rename(data / "moved.db")
    assert renamed.exists()


def test_a_damaged_register_is_explained_over_the_sign_in_window_and_never_opened(
    qtbot, tmp_path: Path, clean_process: None, answers: Answers  # type: ignore[no-untyped-def]
) -> None:
    data = tmp_path / "data"
    _register(data, cases=300)
    damage_register(data / "wuye.db")
    damaged = (data / "wuye.db").read_bytes()
    assert desktop.main(["--data-dir", str(data)]) == 1
    title, text = answers.last("error")
    assert title == "台账已损坏" and "不要删除数据文件夹" in text
    assert (data / "wuye.db").read_bytes() == damaged, "nothing was written to the damaged register"
    assert not shown(SignInWindow)


def test_a_damaged_register_is_restored_when_the_user_agrees_and_then_signed_into(
    qtbot, tmp_path: Path, clean_process: None, answers: Answers  # type: ignore[no-untyped-def]
) -> None:
    data = tmp_path / "data"
    _register(data, cases=300)
    db = open_register(data_dir=str(data))
    backups.on_startup(Context(db))
    db.dispose()
    damage_register(data / "wuye.db")
    totals: list[int] = []
    poll(sign_in_when_ready("wenshu", DEMO_PASSWORD))
    poll(close_main_window(lambda window: totals.append(window.register_view.model.total)))
    assert desktop.main(["--data-dir", str(data)]) == 0
    assert answers.kinds()[:2] == ["confirm", "info"] and answers.last("info")[0] == "已恢复备份"
    assert totals == [300]
