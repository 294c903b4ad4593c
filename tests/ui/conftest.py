"""Qt test setup for the workspace screens: isolated QSettings, answered message boxes, a shell."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from ui_helpers import Answers

from wuye_desktop.services.context import Context
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path) -> None:
    """Window sizes and column widths go to the test's folder, never the developer's own settings."""
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings"))


@pytest.fixture
def answers() -> Iterator[Answers]:
    recorder = Answers()
    msgbox.responder = recorder
    yield recorder
    msgbox.responder = None


@pytest.fixture
def shell(ctx: Context, qtbot) -> Iterator[Shell]:  # type: ignore[no-untyped-def]
    runner = Runner()
    yield Shell(ctx, ChangeBus(), runner, "测试数据库")
    runner.wait_all()
