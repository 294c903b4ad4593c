"""From a double-click to the main window: the sign-in window first, the register opened behind it.

``Startup.begin`` shows the sign-in window straight away and hands the slow
part to a worker thread: importing the database layer, the quick check of
the register (under a second even at 100,000 cases, but not nothing),
opening or upgrading it, and loading the main window's code. The user types
their name and password meanwhile. What needs the user (a damaged
register, a network share, a forced new password) is asked on the GUI
thread, over the sign-in window.

Nothing heavier than Qt is imported at the top of this module: that is
what makes the first window quick.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from wuye_desktop.storage.log_redaction import log_to_data_folder
from wuye_desktop.ui import prefs, release_notes
from wuye_desktop.ui.sign_in_window import SignInWindow

if TYPE_CHECKING:
    from wuye_desktop.services.accounts.sign_in import SignedIn
    from wuye_desktop.services.safety.checks import StartupProblem
    from wuye_desktop.storage.engine import Database
    from wuye_desktop.ui.main_window import MainWindow
    from wuye_desktop.ui.runner import Runner

log = logging.getLogger(__name__)

USERNAME_KEY = "login/username"


class Opened:
    """What the worker thread hands back: an open register, or the problem that kept it shut.

    A plain class, not a dataclass: importing ``dataclasses`` would cost the first window 3 ms.
    """

    def __init__(self, db: Database | None, problem: StartupProblem | None = None, warning: str | None = None,
                 needs_first_admin: bool = False) -> None:
        self.db, self.problem, self.warning, self.needs_first_admin = db, problem, warning, needs_first_admin


def open_in_background(data_dir: str | None, db_url: str | None, check: bool) -> Opened:
    """The slow part of starting, for a worker thread: check, open, and load the main window's code.

    The quick check reads the whole file (SQLite, without the GIL) while this
    thread imports the code; the register is opened only once it passed.
    """
    from concurrent.futures import ThreadPoolExecutor

    from wuye_desktop.storage import fault_log
    from wuye_desktop.storage.paths import resolve_data_dir

    fault_log.enable(resolve_data_dir(data_dir).logs)  # before SQLite reads a file that may be damaged
    with ThreadPoolExecutor(1, thread_name_prefix="quick-check") as pool:
        checked = pool.submit(_check, data_dir, db_url) if check else None
        _load_code()
        problem, warning = checked.result() if checked is not None else (None, None)
    if problem is not None:
        return Opened(None, problem)
    from wuye_desktop.services import accounts
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.safety.opening import open_register

    db = open_register(data_dir=data_dir, db_url=db_url, check=False)  # checked above, or the user chose to go on
    try:
        first = accounts.needs_first_admin(Context(db))
    except BaseException:
        db.dispose()
        raise
    return Opened(db, None, warning, first)


def _check(data_dir: str | None, db_url: str | None) -> tuple[StartupProblem | None, str | None]:
    from wuye_desktop.services import safety

    problem = safety.quick_check(data_dir=data_dir, db_url=db_url)
    return problem, (safety.network_warning(data_dir=data_dir, db_url=db_url) if problem is None else None)


# What signing in and the main window need: only code, no widget (those are GUI-thread work).
PRELOADED = ("wuye_desktop.services.accounts.sign_in", "wuye_desktop.services.safety.opening",
             "wuye_desktop.ui.account_menu",
             "wuye_desktop.ui.idle_lock", "wuye_desktop.ui.main_window", "wuye_desktop.ui.password_dialogs",
             "wuye_desktop.ui.safety_dialogs")


def _load_code() -> None:
    from importlib import import_module

    for name in PRELOADED:
        import_module(name)


class Startup(QObject):
    """The program's life up to the main window; ``app.exec()`` runs the rest.

    The exit code the event loop returns: 0 after the main window closes or
    the user gave up at the sign-in, 1 when the register could not be opened.
    """

    def __init__(self, app: QApplication, data_dir: str | None = None, db_url: str | None = None) -> None:
        super().__init__(app)
        self.app = app
        self.data_dir, self.db_url = data_dir, db_url
        self.runner: Runner | None = None
        self.db: Database | None = None
        self.main_window: MainWindow | None = None
        self.finished = False
        self.release_notes = release_notes.due()  # before this start writes a preference
        self.remembered = prefs.store()  # who signed in last on this PC
        self.window = SignInWindow(str(self.remembered.value(USERNAME_KEY, "") or ""))
        self.window.signed_in.connect(self._signed_in)
        self.window.rejected.connect(lambda: self._finish(0))

    def begin(self) -> None:
        """Show the sign-in window; the register is opened once it has been painted."""
        self.window.painted.connect(lambda: QTimer.singleShot(0, self._open_first))
        QTimer.singleShot(500, self._open_first)  # a window that is not painted (minimised) must not wait
        self.window.show()

    def _open_first(self) -> None:
        if self.runner is None and not self.finished:
            self._open(check=True)

    def _open(self, check: bool) -> None:
        if self.runner is None:
            from wuye_desktop.ui.runner import Runner

            self.runner = Runner(self.app)
        self.runner.start(lambda _progress: open_in_background(self.data_dir, self.db_url, check),
                          self._opened, self._failed)

    def _opened(self, opened: Opened) -> None:
        if self.finished:  # the user left while the register was opening
            if opened.db is not None:
                opened.db.dispose()
            return
        if opened.problem is not None:
            from wuye_desktop.ui import safety_dialogs

            if safety_dialogs.settle_startup_checks(opened.problem, None, self.data_dir, self.db_url, self.window):
                self._open(check=False)
            else:
                self._finish(1)
            return
        assert opened.db is not None
        self.db = opened.db
        if opened.warning is not None:
            from wuye_desktop.ui import safety_dialogs

            safety_dialogs.settle_startup_checks(None, opened.warning, self.data_dir, self.db_url, self.window)
        if self.db.paths is not None:
            log_to_data_folder(self.db.paths.logs)
        from wuye_desktop.services.context import Context

        self.window.register_ready(Context(self.db), self.db.display_location, opened.needs_first_admin)

    def _failed(self, message: str, is_bug: bool) -> None:
        if self.finished:
            return
        from wuye_desktop.ui import msgbox

        if is_bug:
            message = "打开台账时程序出错，详细信息已写入日志。请告知技术支持。"
        msgbox.error(self.window, "无法打开台账", message)
        self._finish(1)

    def _signed_in(self, signed: SignedIn) -> None:
        from wuye_desktop.services.accounts.sign_in import SignedIn
        from wuye_desktop.services.context import Context
        from wuye_desktop.ui.password_dialogs import ChangePasswordDialog

        assert self.db is not None
        if signed.must_change_password:
            change = ChangePasswordDialog(Context(self.db, signed.user), forced=True, parent=self.window)
            if change.exec() != ChangePasswordDialog.DialogCode.Accepted:
                self._finish(0)
                return
            signed = SignedIn(signed.user, must_change_password=False)
        self.remembered.setValue(USERNAME_KEY, signed.user.username)
        self.main_window = self._show_main_window(Context(self.db, signed.user))
        self.window.hide()  # after the main window shows: the program never has no window
        self.window.deleteLater()

    def _show_main_window(self, ctx: Any) -> MainWindow:
        from wuye_desktop.services.changes import Topic
        from wuye_desktop.ui import safety_dialogs
        from wuye_desktop.ui.account_menu import install_account_menu
        from wuye_desktop.ui.bus import ChangeBus
        from wuye_desktop.ui.idle_lock import IdleLock
        from wuye_desktop.ui.main_window import MainWindow
        from wuye_desktop.ui.shell import Shell

        assert self.db is not None and self.runner is not None
        shell = Shell(ctx, ChangeBus(self.app), self.runner, self.db.display_location)
        window = MainWindow(shell)
        lock = IdleLock(shell.ctx, window, parent=self.app)
        shell.bus.changed.connect(lambda changes: lock.set_idle_ms(IdleLock.configured_ms(shell.ctx))
                                  if changes.touches(Topic.SETTINGS) else None)
        install_account_menu(window, shell.ctx, lock)
        window.show()
        safety_dialogs.back_up_after_start(window, shell)
        release_notes.show_if_due(window, self.release_notes)  # 更新说明, once after the program was updated
        return window

    def _finish(self, code: int) -> None:
        """Leave before the main window: the event loop ends with ``code``."""
        if self.finished:
            return
        self.finished = True
        # On the loop, not now: a call made before ``app.exec()`` started would be forgotten.
        QTimer.singleShot(0, lambda: self.app.exit(code))
        self.window.hide()

    def close(self) -> None:
        """After the event loop: background work done, the register closed before the QApplication goes."""
        if self.runner is not None:
            self.runner.wait_all()
        QApplication.processEvents()  # a register opened while the user was leaving is handed over, and closed
        self.finished = True
        if self.db is not None:
            self.db.dispose()
