"""Guard against a Qt binding that corrupts Python's reference counts.

PySide6 6.12.0 dropped a reference to ``None`` on every call of a void Qt
method; on Python 3.11 (where None is not immortal) a long session then
crashes the program with "deallocating None". The pinned version must not.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QCheckBox


def test_void_qt_calls_leave_none_and_bools_alone(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = QCheckBox("已履行")
    qtbot.addWidget(box)
    before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    for i in range(5000):
        box.setEnabled(True)
        box.setChecked(i % 2 == 0)
    after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
    assert all(a >= b - 10 for a, b in zip(after, before, strict=True)), (before, after)
