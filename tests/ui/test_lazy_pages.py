"""Only the register is built at start-up; every other page is built the first time it is opened."""

from __future__ import annotations

from wuye_desktop.services.context import Context
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.mediators_page import MediatorsPage
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


def test_pages_are_built_when_first_opened(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(Shell(ctx, ChangeBus(), Runner(), "测试数据库"))
    qtbot.addWidget(window)
    assert list(window.pages) == ["register"]
    assert "mediators" in window.page_keys and "statistics" in window.page_keys
    row = window.page_keys.index("mediators")
    window.nav.setCurrentRow(row)
    assert isinstance(window.stack.currentWidget(), MediatorsPage)
    assert window.stack.count() == len(window.page_keys), "the placeholder was replaced, not added to"
    assert window.show_page("statistics") is window.pages["statistics"]
    assert window.nav.currentRow() == window.page_keys.index("statistics")
