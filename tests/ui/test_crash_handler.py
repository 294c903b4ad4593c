"""The window's crash handler with a name that is not UTF-8 about: the record reaches the log, the user is told.

A bug in a slot goes to ``sys.excepthook`` (``app.install_excepthook``): it logs the traceback, masked, to the
data folder's log file (``startup.log_to_data_folder``) and says so in a message box. A file or folder name of
bytes that are not UTF-8 (possible on Linux) must cost neither.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from ui_helpers import Answers

from wuye_desktop.app import install_excepthook
from wuye_desktop.ui.startup import log_to_data_folder

ODD = "/媒体/U盘/\udcb2\udce2.pdf"  # 测试 in GBK, as Linux hands such bytes to Python


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before = list(root.handlers)
    log_to_data_folder(tmp_path)
    [handler] = [h for h in root.handlers if h not in before]
    yield tmp_path / "wuye-desktop.log"
    root.removeHandler(handler)
    handler.close()


def test_the_log_file_keeps_a_record_that_names_a_file_not_in_utf8(log_file: Path) -> None:
    logging.getLogger("wuye_desktop.test").error("could not open %s", ODD)
    assert f"could not open {ODD.encode('utf-8', 'backslashreplace').decode()}" in log_file.read_text("utf-8")


def test_a_bug_with_such_a_name_is_logged_and_told(log_file: Path, answers: Answers,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back afterwards
    install_excepthook()
    try:
        raise OSError(f"无法打开 {ODD}")
    except OSError:
        sys.excepthook(*sys.exc_info())
    text = log_file.read_text("utf-8")
    assert "unhandled error" in text and "OSError: 无法打开 /媒体/U盘/\\udcb2\\udce2.pdf" in text
    title, message = answers.last("error")
    assert title == "程序内部错误" and "日志" in message
