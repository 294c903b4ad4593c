"""Slow work off the GUI thread: results, user-facing failures and bugs come back as signals."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread

from wuye_desktop.errors import DomainError
from wuye_desktop.ui.runner import Runner


def test_job_runs_on_a_worker_and_reports_progress_and_result_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = Runner()
    gui = QThread.currentThread()
    seen: dict[str, object] = {"progress": []}

    def job(progress):  # type: ignore[no-untyped-def]
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        for i in range(3):
            progress(i + 1, 3)
        return "完成"

    def done(result: object) -> None:
        seen["result"] = result
        seen["on_gui"] = QThread.currentThread() is gui

    runner.start(job, done, lambda m, b: seen.update(failed=m),
                 lambda d, t: seen["progress"].append((d, t)))  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: "result" in seen, timeout=3000)
    assert seen["result"] == "完成" and seen["worker"] is True and seen["on_gui"] is True
    qtbot.waitUntil(lambda: len(seen["progress"]) == 3, timeout=3000)  # type: ignore[arg-type]
    assert seen["progress"] == [(1, 3), (2, 3), (3, 3)]


def test_a_domain_error_comes_back_as_the_users_message_and_a_bug_as_a_bug(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = Runner()
    failures: list[tuple[str, bool]] = []

    def refused(_progress):  # type: ignore[no-untyped-def]
        raise DomainError("磁盘空间已满，本次保存未写入。")

    def broken(_progress):  # type: ignore[no-untyped-def]
        raise ZeroDivisionError

    for job in (refused, broken):
        runner.start(job, lambda r: None, lambda m, b: failures.append((m, b)))
    qtbot.waitUntil(lambda: len(failures) == 2, timeout=3000)
    assert ("磁盘空间已满，本次保存未写入。", False) in failures
    assert any(is_bug and "出错" in message for message, is_bug in failures)
    assert runner.wait_all(1000)
