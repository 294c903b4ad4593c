"""The 备份恢复 page on a real register: backing up to a chosen folder with progress, restoring after a
confirmation (and telling every view), refusing a bad file in Chinese, cancelling, and who may do what.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from ui_helpers import Answers

from wuye_desktop.models.enums import Role
from wuye_desktop.services import demo
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.changes import Changes, Topic
from wuye_desktop.services.context import Context, User
from wuye_desktop.services.safety import backups
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.backup_page import BackupPage
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.passphrase_dialog import PassphraseDialog
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


PASS = "门口的桂花树2026"


def when_a_dialog_opens(kind: type[QWidget], act: Callable[[QWidget], None], seen: list[QWidget]) -> None:
    """Once a modal ``kind`` is up (its own event loop running), let ``act`` use its widgets."""
    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            seen.append(dialog)
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)


def _typed(dialog: PassphraseDialog, first: str, again: str = "") -> None:
    dialog.first.setText(first)
    dialog.again.setText(again)
    dialog.ok_button.click()


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
    asked: list[QWidget] = []
    told: list[str] = []

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseDialog) and dialog.choosing
        _typed(dialog, "短密码", "短密码")
        told.append(dialog.message.text() + dialog.form.errors["passphrase"].text())
        assert dialog.isVisible() and dialog.first.text() == "短密码", "a refused passphrase stays as typed"
        _typed(dialog, PASS, PASS + "?")
        told.append(dialog.form.errors["again"].text())
        shot = tmp_path / "passphrase_dialog.png"
        assert dialog.grab().save(str(shot))
        _typed(dialog, PASS, PASS)

    when_a_dialog_opens(PassphraseDialog, answer, asked)
    page.backup_button.click()
    assert len(asked) == 1, "a folder outside the data folder: the passphrase is asked before anything is written"
    assert told == ["备份密码太短：至少要 8 个字符", "两次输入的备份密码不一致"]
    assert page.busy and not page.backup_button.isEnabled() and page.cancel_button.isVisible()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)

    assert values and values == sorted(values)
    made = next(usb.glob("台账备份-*.wuyebak"))
    assert page.status.text().startswith(f"备份完成：{made}") and "已加密" in page.status.text()
    assert page.model.rowCount() == 2
    assert [page.model.index(0, c).data() for c in (1, 3, 4, 5, 6)] == [
        "手动备份", "120", "✔ 校验通过", "已加密", str(made)]
    assert page.model.index(1, 5).data() == "", "the automatic backup in the data folder is not encrypted"
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
    page.ask_passphrase = lambda _choosing, _where: PASS
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


def test_no_passphrase_no_backup(qtbot, local: Shell, answers: Answers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = _page(qtbot, local)
    usb = tmp_path / "usb"
    page.choose_folder = lambda: str(usb)
    asked: list[QWidget] = []
    when_a_dialog_opens(PassphraseDialog, lambda dialog: dialog.reject(), asked)

    page.backup_button.click()

    assert len(asked) == 1 and not page.busy
    assert page.status.text() == "没有备份：没有设置备份密码。"
    assert not usb.exists() or not list(usb.iterdir())


def test_an_encrypted_backup_is_restored_with_its_passphrase(  # type: ignore[no-untyped-def]
    qtbot, local: Shell, answers: Answers, tmp_path: Path
) -> None:
    shell = local
    demo.generate(shell.ctx, 30, seed=1)
    made = backups.back_up(shell.ctx, tmp_path / "usb", passphrase=PASS)
    demo.generate(shell.ctx, 5, seed=2)
    page = _page(qtbot, shell)
    page.table.selectRow(0)
    assert page.model.index(0, 6).data() == made.path
    asked: list[QWidget] = []

    when_a_dialog_opens(PassphraseDialog, lambda dialog: _typed(dialog, "门口的桂花树2025"), asked)
    page.restore_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    title, text = answers.last("error")
    assert title == "恢复没有完成" and "备份密码不正确" in text and "台账没有任何改动" in text
    assert _count(shell.ctx) == 35

    page.table.selectRow(0)
    when_a_dialog_opens(PassphraseDialog, lambda dialog: _typed(dialog, PASS), asked)
    with qtbot.waitSignal(shell.bus.changed, timeout=30_000, check_params_cb=lambda c: Topic.REGISTER in c.topics):
        page.restore_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    assert [d.choosing for d in asked] == [False, False]  # type: ignore[attr-defined]
    assert _count(shell.ctx) == 30
    assert answers.last("info")[0] == "恢复完成"
    assert [t for k, t, _m in answers.seen if k == "confirm"] == ["恢复备份", "恢复备份"], "its own: no second question"


def _doctored(shell: Shell, tmp_path: Path) -> Path:
    """A copy of the register's own backup, edited elsewhere: every amount set to 1, a party renamed."""
    own = Path(backups.back_up(shell.ctx).path)
    doctored = tmp_path / "台账备份-20261120-093000.db"
    shutil.copyfile(own, doctored)
    conn = sqlite3.connect(doctored)
    conn.execute("UPDATE mediation_case SET amount = 1")
    conn.execute("UPDATE party SET name = '假名字' WHERE id = 1")
    conn.commit()
    conn.close()
    return doctored


def _last_audit(shell: Shell) -> tuple[str, dict[str, object]]:
    from sqlalchemy import select

    from wuye_desktop.models import AuditEvent

    with shell.ctx.db.reading() as session:
        row = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).one()
        return row.action, json.loads(row.detail)


def test_a_file_not_among_the_registers_backups_needs_a_second_yes(  # type: ignore[no-untyped-def]
    qtbot, local: Shell, answers: Answers, tmp_path: Path
) -> None:
    shell = local
    demo.generate(shell.ctx, 20, seed=1)
    doctored = _doctored(shell, tmp_path)
    page = _page(qtbot, shell)
    page.choose_file = lambda: str(doctored)

    answers.replies.extend([True, False])  # yes to "restore?", no to the warning
    page.restore_file_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)

    questions = [(t, m) for k, t, m in answers.seen if k == "confirm"]
    assert len(questions) == 2 and questions[1][0] == "这份备份可能不是本台账的"
    assert "不在本机的备份记录中" in questions[1][1] and "记入审计记录" in questions[1][1]
    assert page.status.text().startswith("没有恢复") and _count(shell.ctx) == 20
    action, detail = _last_audit(shell)
    assert (action, detail["decision"]) == ("restore_refused", "第二次询问时选择了“否”，没有恢复")
    assert "不在本机的备份记录中" in str(detail["warning"])

    answers.replies.extend([True, True])
    with qtbot.waitSignal(shell.bus.changed, timeout=30_000, check_params_cb=lambda c: Topic.REGISTER in c.topics):
        page.restore_file_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=20_000)
    action, detail = _last_audit(shell)
    assert (action, detail["decision"]) == ("restore", "已再次确认，已恢复")
    assert "记入审计记录" in answers.last("info")[1]


def test_the_second_question_defaults_to_no(qtbot, local: Shell, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The real message boxes: "yes" clicked on the first question, Enter pressed on the warning."""
    shell = local
    demo.generate(shell.ctx, 10, seed=3)
    doctored = _doctored(shell, tmp_path)
    page = _page(qtbot, shell)
    page.choose_file = lambda: str(doctored)
    seen: list[QWidget] = []
    enter_gives_no: list[bool] = []

    def first(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and box.windowTitle() == "恢复备份"
        box.button(QMessageBox.StandardButton.Yes).click()

    def second(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and box.windowTitle() == "这份备份可能不是本台账的"
        assert "不在本机的备份记录中" in box.text() and box.icon() is QMessageBox.Icon.Warning
        no = box.button(QMessageBox.StandardButton.No)
        enter_gives_no.append(box.defaultButton() is no and no.text() == "否")
        assert box.grab().save(str(tmp_path / "second_question.png"))
        QTest.keyClick(box, Qt.Key.Key_Return)  # what a clerk who just presses Enter gets

    assert msgbox.responder is None
    when_a_dialog_opens(QMessageBox, first, seen)
    page.restore_file_button.click()
    when_a_dialog_opens(QMessageBox, second, seen)
    qtbot.waitUntil(lambda: len(seen) == 2 and not page.busy, timeout=20_000)

    assert enter_gives_no == [True]
    assert page.status.text().startswith("没有恢复") and _count(shell.ctx) == 10
    assert _last_audit(shell)[1]["decision"] == "第二次询问时选择了“否”，没有恢复"
