"""The one way slow work leaves the GUI thread: exports, imports, backups, big searches.

``Runner.start(job)`` runs ``job(progress)`` on a worker thread; the result,
a failure, and progress reports come back on the GUI thread through Qt
signals. A ``DomainError`` is shown as the user's message; anything else
is a bug: on the GUI thread it goes to the crash handler (``sys.excepthook``,
which logs it with its traceback and tells the user; in tests it fails the
test), and the caller's ``on_failed`` still hears of it so the page can
restore itself.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from wuye_desktop.errors import DomainError

Progress = Callable[[int, int], None]
Job = Callable[[Progress], Any]

BUG_MESSAGE = "后台任务出错，操作未完成。详细信息已写入日志。"


class _Signals(QObject):
    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(str, object)  # the user's message; the exception when it is a bug, else None


class _Task(QRunnable):
    def __init__(self, job: Job, signals: _Signals) -> None:
        super().__init__()
        self.job = job
        self.signals = signals

    def run(self) -> None:
        try:
            result = self.job(self.signals.progress.emit)
        except DomainError as exc:
            self.signals.failed.emit(exc.message, None)
        except Exception as exc:  # reported on the GUI thread, where the crash handler runs
            self.signals.failed.emit(BUG_MESSAGE, exc)
        else:
            self.signals.done.emit(result)


class Runner(QObject):
    """Runs jobs on Qt's thread pool; ``wait_all`` lets the window close cleanly."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._live: set[_Signals] = set()

    def start(self, job: Job, on_done: Callable[[Any], None],
              on_failed: Callable[[str, bool], None],
              on_progress: Callable[[int, int], None] | None = None) -> None:
        signals = _Signals()
        self._live.add(signals)

        def failed(message: str, bug: Exception | None) -> None:
            self._live.discard(signals)
            try:
                if bug is not None:
                    sys.excepthook(type(bug), bug, bug.__traceback__)
            finally:
                on_failed(message, bug is not None)

        signals.done.connect(on_done)
        signals.failed.connect(failed)
        if on_progress is not None:
            signals.progress.connect(on_progress)
        signals.done.connect(lambda _r: self._live.discard(signals))
        self._pool.start(_Task(job, signals))

    @property
    def busy(self) -> bool:
        return self._pool.activeThreadCount() > 0

    def wait_all(self, msecs: int = 30_000) -> bool:
        return bool(self._pool.waitForDone(msecs))
