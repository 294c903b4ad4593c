"""The program's whole life in one process, closed while a backup to a USB stick is running.

``python shutdown_app.py DATA_DIR USB_DIR ANSWER``: opens the register the
way ``app.main`` does (check first, window, the day's backup), starts a
manual backup on the 备份恢复 page and asks the window to close at its first
progress report. ANSWER (yes/no) is what the user says to "cancel the
backup and quit?"; after "no" the window is closed again once the backup
has finished. ``closeEvent`` here is the one proposed for ``MainWindow``.
Prints what happened; the exit code must be 0 and stderr free of Qt's and
Python's complaints.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.ui import msgbox, safety_dialogs
from wuye_desktop.ui.backup_page import BackupPage
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


class Window(MainWindow):
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's virtual method
        if not safety_dialogs.may_close(self.pages):
            event.ignore()
            return
        self.shell.runner.wait_all()
        safety_dialogs.back_up_on_exit(self, self.shell)
        self.shell.ctx.db.dispose()
        QMainWindow.closeEvent(self, event)


def main() -> int:
    data_dir, usb, answer = sys.argv[1], sys.argv[2], sys.argv[3]
    app = QApplication(sys.argv[:1])
    asked: list[str] = []

    def respond(kind: str, title: str, text: str) -> bool:
        asked.append(f"{kind}:{title}")
        return answer == "yes"

    msgbox.responder = respond
    if not safety_dialogs.check_before_opening(data_dir, None):
        return 1
    db = open_register(data_dir=data_dir)
    shell = Shell(Context(db), ChangeBus(app), Runner(app), db.display_location)
    window = Window(shell)
    window.show()
    safety_dialogs.back_up_after_start(window, shell)
    page = window.page("backup")
    assert isinstance(page, BackupPage)
    page.choose_folder = lambda: usb
    page.ask_passphrase = lambda _choosing, _where: "门口的桂花树2026"  # a backup onto a stick is encrypted
    closing = {"asked": False}

    def first_progress(_value: int) -> None:
        if closing["asked"]:
            return
        closing["asked"] = True
        print(f"closing while busy: {page.busy}", flush=True)
        QTimer.singleShot(0, window.close)

    def after_backup(text: str) -> None:
        if text.startswith("备份完成") and window.isVisible():
            QTimer.singleShot(0, window.close)  # the user waited for it, then quits

    page.progress.valueChanged.connect(first_progress)
    QTimer.singleShot(0, page.start_backup)
    poll = QTimer(app, interval=50)
    poll.timeout.connect(lambda: after_backup(page.status.text()))
    poll.start()
    code = int(app.exec())
    db.dispose()  # as app.main does after the loop: the engine goes before the QApplication
    print(f"asked: {asked}", flush=True)
    print(f"exit code {code}; wal left: {Path(data_dir, 'wuye.db-wal').exists()}", flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
