"""Slow work off the GUI thread: results, user-facing failures and bugs come back as signals."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication
from ui_helpers import Answers

from wuye_desktop import app as desktop
from wuye_desktop.errors import DomainError
from wuye_desktop.ui.runner import BUG_MESSAGE, Runner


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

    with qtbot.captureExceptions() as bugs:  # a bug in a job fails the test unless it was expected, as here
        for job in (refused, broken):
            runner.start(job, lambda r: None, lambda m, b: failures.append((m, b)))
        qtbot.waitUntil(lambda: len(failures) == 2, timeout=3000)
    assert ("磁盘空间已满，本次保存未写入。", False) in failures
    assert any(is_bug and "出错" in message for message, is_bug in failures)
    assert [kind for kind, _value, _tb in bugs] == [ZeroDivisionError]
    assert runner.wait_all(1000)


@pytest.fixture
def crash_handler() -> Iterator[None]:
    """The program's own crash handler, as ``main`` installs it, for one test."""
    hook = sys.excepthook
    desktop.install_excepthook()
    yield
    sys.excepthook = hook


def _index_the_register(_progress):  # type: ignore[no-untyped-def]
    raise RuntimeError("index out of step with the register")


def test_a_bug_in_a_job_reaches_the_crash_handler_with_its_traceback_and_the_page_still_hears(
        qtbot, crash_handler, answers: Answers, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    runner = Runner()
    failures: list[tuple[str, bool, bool]] = []
    runner.start(_index_the_register, lambda r: None,
                 lambda m, b: failures.append((m, b, QThread.currentThread() is QApplication.instance().thread())))
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)

    assert failures == [(BUG_MESSAGE, True, True)], "the page hears of it on the GUI thread and can restore itself"
    [record] = [r for r in caplog.records if r.levelno == logging.CRITICAL]
    assert record.exc_info is not None and record.exc_info[0] is RuntimeError
    assert "_index_the_register" in [frame.name for frame in traceback.extract_tb(record.exc_info[2])]
    assert "index out of step with the register" in (record.exc_text or "")
    assert answers.last("error")[0] == "程序内部错误", "the user is told"
    assert runner.wait_all(1000)


def test_a_refusal_in_a_job_is_the_users_message_and_never_reaches_the_crash_handler(
        qtbot, crash_handler, answers: Answers, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    runner = Runner()
    failures: list[tuple[str, bool]] = []

    def refused(_progress):  # type: ignore[no-untyped-def]
        raise DomainError("备份文件夹不可写入。")

    runner.start(refused, lambda r: None, lambda m, b: failures.append((m, b)))
    qtbot.waitUntil(lambda: bool(failures), timeout=3000)
    assert failures == [("备份文件夹不可写入。", False)]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert answers.seen == [], "the page shows the refusal its own way; no crash report"
    assert runner.wait_all(1000)
