"""``wuye-desktop`` start-up: open the register, sign in, then the main window as the signed-in user."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from wuye_desktop import app as desktop
from wuye_desktop.services.context import Context
from wuye_desktop.services.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts
from wuye_desktop.services.setup import open_register
from wuye_desktop.ui.idle_lock import IdleLock
from wuye_desktop.ui.login_dialog import LoginDialog
from wuye_desktop.ui.main_window import MainWindow


@pytest.fixture
def clean_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
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


def poll(action) -> None:  # type: ignore[no-untyped-def]
    """Run ``action`` on the event loop until it returns True (modal dialogs block the test's own code)."""
    def attempt() -> None:
        if not action():
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def test_the_window_opens_for_the_user_who_signed_in(qtbot, tmp_path: Path, clean_process: None) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    db = open_register(data_dir=str(data))
    ensure_demo_accounts(Context(db))
    db.dispose()
    seen: dict[str, object] = {}

    def log_in() -> bool:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LoginDialog):
            return False
        dialog.username.setText("wenshu")
        dialog.password.setText(DEMO_PASSWORD)
        dialog.login_button.click()
        return True

    def look_and_close() -> bool:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows:
            return False
        window = windows[0]
        seen["user"] = window.shell.ctx.user
        seen["pages"] = window.page_keys
        seen["menus"] = [a.text() for a in window.menuBar().actions()]
        seen["locks"] = len(QApplication.instance().findChildren(IdleLock))  # type: ignore[union-attr]
        window.close()
        return True

    poll(log_in)
    poll(look_and_close)
    assert desktop.main(["--data-dir", str(data)]) == 0
    user = seen["user"]
    assert getattr(user, "name", None) == "何静" and getattr(user, "username", None) == "wenshu"
    assert "accounts" not in seen["pages"] and "audit" not in seen["pages"], "a clerk's window"  # type: ignore[operator]
    assert seen["menus"] == ["账户（何静）"] and seen["locks"] == 1
    assert (data / "logs" / "wuye-desktop.log").exists()
