"""The 备份恢复 page on a real register: backing up to a chosen folder with progress, restoring after a
confirmation (and telling every view), refusing a bad file in Chinese, cancelling, and who may do what.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from ui_helpers import Answers

from wuye_desktop.models.enums import Role
from wuye_desktop.services import demo
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.changes import Changes, Topic
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety import backups
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.ui.backup_page import BackupPage
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


@pytest.fixture
def local(data_dir: Path, qtbot) -> Iterator[Shell]:  # type: ignore[no-untyped-def]
    """A shell on a register in a data folder on this PC: what this program backs up."""
    db = open_register(data_dir=str(data_dir))
    runner = Runner()
    yield Shell(Context(db, User("王晓燕", Role.ADMIN)), ChangeBus(), runner, str(data_dir))
    runner.wait_all()
    db.dispose()


def _page(qtbot, shell: Shell) -> BackupPage:  # type: ignore[no-untyped-def]
    page = BackupPage(shell)
    qtbot.addWidget(page)
    page.resize(1000, 480)
    page.show()
    return page


def _count(ctx: Context) -> int:
    return register.count(ctx, register.CaseFilter())


def test_a_register_on_a_server_is_backed_up_by_the_server_not_here(  # type: ignore[no-untyped-def]
    qtbot, shell: Shell, backend: str
) -> None:
    page = _page(qtbot, shell)
    on_server = backend == "postgresql"
    assert ("pg_dump" in page.intro.text()) is on_server
    assert page.backup_button.isEnabled() is not on_server
    assert page.restore_file_button.isEnabled() is not on_server
    assert page.model.rowCount() == 0


def test_backup_to_a_chosen_folder_shows_progress_and_lists_it(  # type: ignore[no-untyped-def]
    qtbot, local: Shell, answers: Answers, tmp_path: Path
) -> None:
    shell = local
    demo.generate(shell.ctx, 120, seed=3)
    backups.on_startup(shell.ctx)
    page = _page(qtbot, shell)
    assert page.model.rowCount() == 1
    usb = tmp_path / "U盘"
    page.choose_folder = lambda: str(usb)
    values: list[int] = []
    page.progress.valueChanged.connect(values.append)

    page.backup_button.click()
    assert page.busy and not page.backup_button.isEnabled() and page.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)

    assert values and values == sorted(values)
    made = next(usb.glob("台账备份-*.db"))
    assert page.status.text().startswith(f"备份完成：{made}")
    assert page.model.rowCount() == 2
    assert [page.model.index(0, c).data() for c in (1, 3, 4, 5)] == ["手动备份", "120", "✔ 校验通过", str(made)]
    assert answers.seen == []
    shot = tmp_path / "backup_page.png"
    assert page.grab().save(str(shot))
    assert shot.stat().st_size > 10_000


def test_restoring_the_selected_backup_asks_then_tells_every_view(  # type: ignore[no-untyped-def]
    qtbot, local: Shell, answers: Answers
) -> None:
    shell = local
    demo.generate(shell.ctx, 40, seed=1)
    backups.back_up(shell.ctx)
    demo.generate(shell.ctx, 10, seed=2)
    page = _page(qtbot, shell)
    page.table.selectRow(0)
    assert page.restore_button.isEnabled()

    answers.replies.append(False)  # "no": nothing happens
    page.restore_button.click()
    assert not page.busy and _count(shell.ctx) == 50

    replaced: list[Changes] = []
    shell.bus.changed.connect(lambda changes: replaced.append(changes) if Topic.REGISTER in changes.topics else None)
    with qtbot.waitSignal(shell.bus.changed, timeout=20_000, check_params_cb=lambda c: Topic.REGISTER in c.topics):
        page.restore_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert len(replaced) == 1, "the whole register was replaced: every view starts again"
    assert _count(shell.ctx) == 40
    title, text = answers.last("info")
    assert title == "恢复完成" and "共 40 件案件" in text and "恢复前的台账另存为" in text
    confirm = [m for k, _t, m in answers.seen if k == "confirm"]
    assert len(confirm) == 2 and "另存一份" in confirm[0]
    assert any(page.model.index(r, 1).data() == "恢复前副本" for r in range(page.model.rowCount()))


def test_a_file_that_is_not_a_backup_is_refused_in_chinese(  # type: ignore[no-untyped-def]
    qtbot, local: Shell, answers: Answers, tmp_path: Path
) -> None:
    shell = local
    demo.generate(shell.ctx, 5, seed=1)
    garbage = tmp_path / "照片.db"
    garbage.write_bytes(b"\xff\xd8 a photo renamed" * 500)
    page = _page(qtbot, shell)
    page.choose_file = lambda: str(garbage)
    announced: list[Changes] = []
    shell.bus.changed.connect(announced.append)

    page.restore_file_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)

    title, text = answers.last("error")
    assert title == "恢复没有完成" and "不是台账备份文件" in text and "没有做任何改动" in text
    assert announced == [] and _count(shell.ctx) == 5
    assert page.restore_file_button.isEnabled(), "the page is ready for the next try"


def test_closing_during_a_backup_asks_and_cancels_cleanly(  # type: ignore[no-untyped-def]
    qtbot, local: Shell, answers: Answers, tmp_path: Path
) -> None:
    shell = local
    demo.generate(shell.ctx, 1500, seed=4)
    page = _page(qtbot, shell)
    usb = tmp_path / "usb"
    page.choose_folder = lambda: str(usb)
    assert page.may_close(), "nothing running: no question"

    page.backup_button.click()
    answers.replies.append(False)
    assert not page.may_close(), "the user chose to let it finish"
    assert page.busy
    assert page.may_close()
    shell.runner.wait_all()
    qtbot.waitUntil(lambda: not page.busy, timeout=10_000)

    assert [k for k in answers.kinds() if k == "confirm"] == ["confirm", "confirm"]
    assert "已取消" in page.status.text()
    assert not [p for p in usb.rglob("*") if p.is_file()], "no half-written backup is left on the stick"
    assert "error" not in answers.kinds()


@pytest.mark.parametrize(("role", "page_shown", "may_restore"), [
    (Role.ADMIN, True, True), (Role.CLERK, True, False), (Role.MEDIATOR, False, False), (Role.VIEWER, False, False),
])
def test_who_sees_the_page_and_who_may_restore(  # type: ignore[no-untyped-def]
    qtbot, local: Shell, role: Role, page_shown: bool, may_restore: bool
) -> None:
    shell = local
    backups.back_up(shell.ctx)
    as_role = replace(shell, ctx=replace(shell.ctx, user=User("某人", role)))
    window = MainWindow(as_role)
    qtbot.addWidget(window)
    assert ("backup" in window.page_keys) is page_shown
    page = window.page("backup") if page_shown else None
    if isinstance(page, BackupPage):
        page.table.selectRow(0)
        assert page.backup_button.isEnabled()
        assert page.restore_button.isEnabled() is may_restore
        assert page.restore_file_button.isEnabled() is may_restore


def test_the_retention_is_shown_and_changed_by_those_who_may_change_settings(  # type: ignore[no-untyped-def]
    qtbot, local: Shell, answers: Answers
) -> None:
    from wuye_desktop.services import settings

    page = _page(qtbot, local)
    assert [spin.value() for spin in page.keep.values()] == [7, 4, 12]
    assert page.keep_button.isVisible()
    page.keep[settings.BACKUP_KEEP_DAILY].setValue(10)
    with qtbot.waitSignal(local.bus.changed) as announced:
        page.keep_button.click()
    assert announced.args[0].touches(Topic.SETTINGS) and not announced.args[0].touches(Topic.CASES)
    assert backups.retention(local.ctx).daily == 10
    assert "保留最近 10 天" in page.intro.text()

    clerk = _page(qtbot, replace(local, ctx=replace(local.ctx, user=User("李文书", Role.CLERK))))
    assert not clerk.keep_button.isVisible() and not clerk.keep[settings.BACKUP_KEEP_DAILY].isVisible()
