"""The save dialog is offered a file name Windows accepts, whatever the committee's short name holds."""

from __future__ import annotations

from pathlib import PureWindowsPath

from wuye_desktop.services.context import Context
from wuye_desktop.services.reference import choices
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.exchange_page import ExchangePage
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


def test_the_exchange_file_is_offered_under_a_name_windows_accepts(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    choices.update_committee(ctx, name="幸福里社区人民调解委员会", short_name="东区/西区*")
    page = ExchangePage(Shell(ctx, ChangeBus(), Runner(), ctx.db.display_location))
    qtbot.addWidget(page)
    offered: list[str] = []
    page.choose_save_path = lambda suggested: offered.append(suggested) or ""  # the clerk cancels the dialog
    page.export_button.click()
    assert len(offered) == 1
    name = offered[0]
    path = PureWindowsPath("E:/", name)
    assert path.name == name and not path.is_reserved() and not any(c in name for c in '<>:"/\\|?*')
    assert name.startswith("东区_西区_-") and name.endswith(".wyx")
