"""The main window on a real demo register: it opens, searches in Chinese, and shows counts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QInputMethodEvent

from wuye_desktop.services import cases, demo
from wuye_desktop.services.context import Context
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.case_table import STATUS
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


def _window(ctx: Context) -> MainWindow:
    return MainWindow(Shell(ctx, ChangeBus(), Runner(), "测试数据库"))


def _type_chinese(widget, text: str) -> None:  # type: ignore[no-untyped-def]
    """Commit text the way an input method does (QTest cannot type Chinese)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    widget.setFocus()
    widget.inputMethodEvent(event)


def test_window_opens_on_the_register_and_finds_a_party_by_surname(qtbot, ctx: Context, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo.generate(ctx, 300, seed=2)
    window = _window(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.register_view
    assert view.model.total == 300
    assert window.count_label.text() == "案件共 300 件"

    _type_chinese(view.search, "王")
    assert view.search.text() == "王"
    qtbot.waitUntil(lambda: window.count_label.text().startswith("找到"), timeout=3000)
    found = view.model.total
    assert 0 < found < 300
    for row in range(view.model.rowCount()):
        detail = cases.get(ctx, view.model.case_at(row).id)
        text = " ".join([detail.summary, detail.facts, *(p.name + p.address for p in detail.parties)])
        assert "王" in text
    assert window.count_label.text() == f"找到 {found} 件"

    shot = tmp_path / "main.png"
    assert window.grab().save(str(shot))
    assert shot.stat().st_size > 10_000


def test_status_filter_narrows_the_register(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    demo.generate(ctx, 200, seed=4)
    window = _window(ctx)
    qtbot.addWidget(window)
    view = window.register_view
    index = view.status.findText("结案归档")
    view.status.setCurrentIndex(index)
    assert 0 < view.model.total < 200
    statuses = {view.model.index(r, STATUS).data() for r in range(view.model.rowCount())}
    assert statuses == {"结案归档"}


def test_register_refreshes_after_any_write_without_being_told(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    from wuye_desktop.services.cases.dto import CaseDraft, PartyInput

    demo.generate(ctx, 20, seed=1)
    window = _window(ctx)
    qtbot.addWidget(window)
    assert window.register_view.model.total == 20
    cases.register(ctx, CaseDraft(summary="楼道堆放杂物", parties=[PartyInput("赵六")]))  # no screen says a word
    assert window.register_view.model.total == 21, "the write's change set reached the register"
    assert window.count_label.text() == "案件共 21 件"


def test_a_write_on_a_background_thread_reaches_the_register_on_the_gui_thread(  # type: ignore[no-untyped-def]
    qtbot, ctx: Context
) -> None:
    import threading

    from wuye_desktop.services.cases.dto import CaseDraft, PartyInput

    demo.generate(ctx, 20, seed=1)
    window = _window(ctx)
    qtbot.addWidget(window)
    refreshed_on: list[str] = []
    window.shell.bus.changed.connect(lambda _changes: refreshed_on.append(threading.current_thread().name))
    done: list[object] = []
    window.shell.runner.start(
        lambda _progress: cases.register(ctx, CaseDraft(summary="楼道堆放杂物", parties=[PartyInput("赵六")])),
        done.append, lambda message, _bug: done.append(message))
    qtbot.waitUntil(lambda: window.register_view.model.total == 21, timeout=10_000)
    assert refreshed_on == [threading.main_thread().name], "views are reloaded on the GUI thread only"
    qtbot.waitUntil(lambda: bool(done))
    assert window.count_label.text() == "案件共 21 件"
