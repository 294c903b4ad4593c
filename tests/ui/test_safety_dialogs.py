"""What the window does for the register's safety: the check before it opens (with the way out of a
damaged register), the day's backup after it shows, and the backup when it closes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from damage import damage_register
from ui_helpers import Answers

from wuye_desktop.services import demo
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety import backups
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.ui import safety_dialogs
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell


def _make(data_dir: Path, cases: int, backed_up: bool) -> None:
    db = open_register(data_dir=str(data_dir))
    try:
        demo.generate(Context(db), cases, seed=7)
        if backed_up:
            backups.on_startup(Context(db))
    finally:
        db.dispose()


def test_a_whole_register_opens_without_a_word(data_dir: Path, answers: Answers) -> None:
    _make(data_dir, 5, backed_up=False)
    assert safety_dialogs.check_before_opening(str(data_dir), None)
    assert answers.seen == []


def test_a_damaged_register_is_restored_from_the_newest_good_backup_when_the_user_agrees(
    data_dir: Path, answers: Answers
) -> None:
    _make(data_dir, 300, backed_up=True)
    damage_register(data_dir / "wuye.db")

    assert safety_dialogs.check_before_opening(str(data_dir), None)

    kind, title, text = answers.seen[0]
    assert (kind, title) == ("confirm", "台账已损坏") and "恢复最近一次完好的备份" in text
    title, text = answers.last("info")
    assert title == "已恢复备份" and "共 300 件案件" in text and "-已损坏.db" in text
    db = open_register(data_dir=str(data_dir))
    try:
        assert register.count(Context(db), register.CaseFilter()) == 300
    finally:
        db.dispose()


def test_declining_the_restore_or_having_no_backup_keeps_the_window_closed(data_dir: Path, answers: Answers) -> None:
    _make(data_dir, 300, backed_up=True)
    damage_register(data_dir / "wuye.db")
    damaged = (data_dir / "wuye.db").read_bytes()
    answers.replies.append(False)
    assert not safety_dialogs.check_before_opening(str(data_dir), None)
    assert (data_dir / "wuye.db").read_bytes() == damaged, "declined: nothing was touched"

    for backup in (data_dir / "backups").glob("*.db"):
        backup.unlink()
    assert not safety_dialogs.check_before_opening(str(data_dir), None)
    title, text = answers.last("error")
    assert title == "台账已损坏" and "不要删除数据文件夹" in text


def test_a_data_folder_on_a_network_share_is_warned_about_but_may_be_used(answers: Answers) -> None:
    assert safety_dialogs.check_before_opening("//nas/调解室/台账", None)
    title, text = answers.last("info")
    assert title == "数据文件夹在网络共享上" and "共用服务器模式" in text


@pytest.fixture
def local_shell(data_dir: Path, qtbot) -> Iterator[Shell]:  # type: ignore[no-untyped-def]
    db = open_register(data_dir=str(data_dir))
    runner = Runner()
    yield Shell(Context(db), ChangeBus(), runner, str(data_dir))
    runner.wait_all()
    db.dispose()


def test_the_days_backup_runs_after_start_and_the_exit_backup_on_closing(  # type: ignore[no-untyped-def]
    qtbot, local_shell: Shell, data_dir: Path, answers: Answers
) -> None:
    demo.generate(local_shell.ctx, 50, seed=1)
    safety_dialogs.back_up_after_start(None, local_shell)
    qtbot.waitUntil(lambda: len(list((data_dir / "backups").glob("自动备份-*.db"))) == 1, timeout=10_000)
    local_shell.runner.wait_all()

    safety_dialogs.back_up_on_exit(None, local_shell)
    assert len(backups.list_backups(local_shell.ctx)) == 1, "nothing changed since the day's backup"
    demo.generate(local_shell.ctx, 5, seed=2)
    safety_dialogs.back_up_on_exit(None, local_shell)
    newest = backups.list_backups(local_shell.ctx)[0]
    assert (newest.kind, newest.cases, newest.verified) == ("自动备份", 55, True)
    assert answers.seen == []


def test_an_exit_backup_that_cannot_be_written_is_told_and_the_program_still_closes(  # type: ignore[no-untyped-def]
    qtbot, local_shell: Shell, data_dir: Path, answers: Answers
) -> None:
    demo.generate(local_shell.ctx, 5, seed=1)
    (data_dir / "backups").rmdir()
    (data_dir / "backups").write_text("a file where the backups folder should be")
    safety_dialogs.back_up_on_exit(None, local_shell)
    title, text = answers.last("error")
    assert title == "退出前的自动备份没有完成" and "备份" in text
