"""更新说明: after the program on a room's PC was updated, its first start says what changed, once."""

from __future__ import annotations

import logging
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from wuye_desktop import __version__
from wuye_desktop import app as desktop
from wuye_desktop.services.demo.accounts import DEMO_PASSWORD
from wuye_desktop.ui import prefs, release_notes
from wuye_desktop.ui.idle_lock import IdleLock
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.release_notes import ReleaseNotesDialog
from wuye_desktop.ui.shell import Shell
from wuye_desktop.ui.sign_in_window import SignInWindow

REGISTERS = Path(__file__).resolve().parents[1] / "fixtures" / "registers"


def _notes(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for version, text in texts.items():
        (folder / f"{version}.txt").write_text(text, encoding="utf-8")
    return folder


def test_the_notes_of_this_version_are_shipped_short_and_in_chinese() -> None:
    notes = release_notes.notes_folder() / f"{__version__}.txt"
    text = notes.read_text(encoding="utf-8")
    assert len(text) < 1500, "a short note a clerk reads in a minute"
    assert len(re.findall(r"[\u4e00-\u9fff]", text)) > len(text) / 3
    assert __version__ in text


def test_after_an_update_the_window_says_what_changed_once(shell: Shell, qtbot) -> None:  # type: ignore[no-untyped-def]
    prefs.store().setValue("login/username", "wenshu")  # an earlier version ran here (it kept no version)
    window = MainWindow(shell)
    qtbot.addWidget(window)
    window.show()

    dialog = release_notes.show_if_due(window, release_notes.due())
    assert dialog is not None and dialog.isVisible() and dialog.parent() is window
    assert dialog.windowTitle() == "更新说明"
    shipped = (release_notes.notes_folder() / f"{__version__}.txt").read_text(encoding="utf-8").strip()
    assert dialog.text.toPlainText() == shipped
    dialog.accept()

    assert prefs.last_version() == __version__
    assert release_notes.due() == []
    assert release_notes.show_if_due(window, release_notes.due()) is None


def test_a_first_installation_shows_no_notes_and_remembers_the_version(shell: Shell, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(shell)
    qtbot.addWidget(window)
    notes = release_notes.due()
    assert notes == []
    assert release_notes.show_if_due(window, notes) is None
    assert prefs.last_version() == __version__


def test_skipping_versions_shows_each_newer_ones_notes_newest_first(tmp_path: Path, qtbot) -> None:  # type: ignore[no-untyped-def]
    folder = _notes(tmp_path / "notes", {"0.1.0": "一：登记台账", "0.2.0": "二：回访提醒", "0.10.0": "十：统计图表",
                                         "0.11.0": "十一：尚未安装的版本"})
    prefs.remember_version("0.1.0")
    notes = release_notes.due("0.10.0", folder)
    assert [version for version, _text in notes] == ["0.10.0", "0.2.0"]  # 0.10 after 0.2: numbers, not text
    assert [text for _version, text in notes] == ["十：统计图表", "二：回访提醒"]


def test_an_older_program_started_after_a_newer_one_shows_nothing_and_forgets_nothing(
        tmp_path: Path, shell: Shell, qtbot) -> None:  # type: ignore[no-untyped-def]
    folder = _notes(tmp_path / "notes", {"0.1.0": "旧", "0.2.0": "新"})
    prefs.remember_version("0.2.0")
    assert release_notes.due("0.1.0", folder) == []
    window = MainWindow(shell)
    qtbot.addWidget(window)
    assert release_notes.show_if_due(window, [], "0.1.0") is None
    assert prefs.last_version() == "0.2.0"


# -- the first start after an update, the way a clerk meets it ------------------------------------


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


def _poll(action: Callable[[], bool]) -> None:
    def attempt() -> None:
        if not action():
            QTimer.singleShot(20, attempt)

    QTimer.singleShot(0, attempt)


def _shown(kind: type) -> list:  # type: ignore[type-arg]
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def _start_and_sign_in(data: Path) -> list[str]:
    """One start of the program: sign in as the clerk, note any 更新说明 shown, close. Returns the notes seen."""
    seen: list[str] = []

    def sign_in() -> bool:
        windows = _shown(SignInWindow)
        if not windows or windows[0].opening:
            return False
        windows[0].login.username.setText("wenshu")
        windows[0].login.password.setText(DEMO_PASSWORD)
        windows[0].accept_button.click()
        return True

    def look_and_close() -> bool:
        windows = _shown(MainWindow)
        if not windows:
            return False
        for dialog in windows[0].findChildren(ReleaseNotesDialog):
            if dialog.isVisible():
                seen.append(dialog.text.toPlainText())
                dialog.accept()
        windows[0].close()
        return True

    _poll(sign_in)
    _poll(look_and_close)
    assert desktop.main(["--data-dir", str(data)]) == 0
    return seen


def test_the_first_start_after_an_update_upgrades_the_register_and_says_what_changed(
        qtbot, tmp_path: Path, clean_process: None) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(REGISTERS / "0002-demo.db", data / "wuye.db")  # the register an earlier release left
    prefs.store().setValue("login/username", "wenshu")  # and the earlier program's preferences

    first = _start_and_sign_in(data)
    shipped = (release_notes.notes_folder() / f"{__version__}.txt").read_text(encoding="utf-8").strip()
    assert first == [shipped]
    assert list((data / "backups").glob("升级前-0002-*.db")), "the register's safety copy before its upgrade"
    assert _start_and_sign_in(data) == [], "shown once"


def test_notes_are_found_in_the_frozen_program(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "_internal"), raising=False)
    assert release_notes.notes_folder() == tmp_path / "_internal" / "resources" / "release_notes"
