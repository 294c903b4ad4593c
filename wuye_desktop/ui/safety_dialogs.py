"""The register's safety around the window's life: checked before it opens, backed up after it shows,
backed up again (with a progress box) when it closes.

``app.py`` and ``MainWindow.closeEvent`` call these; each is one line there.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from wuye_desktop.errors import DomainError
from wuye_desktop.services import safety
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.backup_page import BackupPage
from wuye_desktop.ui.shell import Shell


def check_before_opening(data_dir: str | None, db_url: str | None, parent: QWidget | None = None) -> bool:
    """The start-up quick check (and the way out of a damaged register); False: do not open the window."""
    problem = safety.quick_check(data_dir=data_dir, db_url=db_url)
    warning = safety.network_warning(data_dir=data_dir, db_url=db_url) if problem is None else None
    return settle_startup_checks(problem, warning, data_dir, db_url, parent)


def settle_startup_checks(problem: safety.StartupProblem | None, warning: str | None,
                          data_dir: str | None, db_url: str | None, parent: QWidget | None = None) -> bool:
    """What the checks found, told to the user: a damaged register is restored if they agree.

    The checks themselves may have run on a worker thread; this part asks the
    user and so runs on the GUI thread. False: the register must not be opened.
    """
    if problem is not None:
        if problem.backup is None:
            msgbox.error(parent, "台账已损坏", problem.message)
            return False
        if not msgbox.confirm(parent, "台账已损坏", problem.message + "\n\n现在就恢复这份备份吗？"):
            return False
        try:
            used, result = restore.recover(data_dir, db_url)
        except DomainError as exc:
            msgbox.error(parent, "没有恢复", exc.message)
            return False
        msgbox.info(parent, "已恢复备份",
                    f"已恢复 {used.created:%Y年%m月%d日 %H:%M} 的备份，共 {result.cases} 件案件。"
                    f"备份之后登记或修改的内容需要重新录入。\n损坏的台账另存为：{result.safety_copy}")
        warning = safety.network_warning(data_dir=data_dir, db_url=db_url)
    if warning is not None:
        msgbox.info(parent, "数据文件夹在网络共享上", warning)  # a warning: the clerk may have no other place
    return True


def back_up_after_start(parent: QWidget | None, shell: Shell) -> None:
    """The day's first automatic backup, in the background once the window is up."""
    shell.runner.start(lambda progress: backups.on_startup(shell.ctx, progress), lambda _info: None,
                       lambda message, _bug: msgbox.error(parent, "自动备份没有完成", message))


def may_close(pages: Mapping[str, QWidget]) -> bool:
    """First thing on closing: a running manual backup is cancelled if the user agrees; False: stay open."""
    page = pages.get("backup")
    return not isinstance(page, BackupPage) or page.may_close()


def back_up_on_exit(parent: QWidget | None, shell: Shell) -> None:
    """After background work has finished and before the register is closed: the exit backup, if needed.

    It runs on the shell's runner while a progress box keeps the (closing)
    window painted; a failure is told, and the program still closes.
    """
    if not backups.is_local(shell.ctx):
        return
    dialog = QProgressDialog("正在备份台账，请稍候……", "", 0, backups.PROGRESS_TOTAL, parent)
    dialog.setWindowTitle("退出前备份")
    dialog.setCancelButton(None)  # no button: the exit backup is short and must not be half done
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(800)  # a quick backup shows no box at all
    loop = QEventLoop()
    failures: list[str] = []

    def failed(message: str, _is_bug: bool) -> None:
        failures.append(message)
        loop.quit()

    shell.runner.start(lambda progress: backups.on_exit(shell.ctx, progress), lambda _info: loop.quit(),
                       failed, lambda done, _total: dialog.setValue(done))
    loop.exec()
    dialog.reset()
    dialog.deleteLater()
    if failures:
        msgbox.error(parent, "退出前的自动备份没有完成", failures[0])
