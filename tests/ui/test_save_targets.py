"""Every save dialog of the window: never over the register or what the program keeps; a file already there is
replaced only after a 是 to a question whose default is 否.

The statistics page (workbook and 12345 replies), the exchange page, the audit page, the print preview's
另存为PDF and the backup page's folder, each answered through its seam, on both databases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from test_document_preview import open_preview, signed_case
from ui_helpers import Answers

from wuye_desktop.services import cases
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.audit_page import AuditPage
from wuye_desktop.ui.backup_page import BackupPage
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.exchange_page import ExchangePage
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell
from wuye_desktop.ui.statistics_page import StatisticsPage

Save = Callable[[str], bool]  # saves to the path as a person would; whether the program said it saved


def _told_saved(qtbot, shell: Shell, answers: Answers, before: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether the page said it saved, once the job it may have started has been answered on the GUI thread."""
    assert shell.runner.wait_all(30_000)
    qtbot.waitUntil(lambda: not shell.runner._live, timeout=10_000)  # the answer delivered, not only computed
    return any(kind == "info" for kind, _t, _m in answers.seen[before:])


def _statistics(qtbot, shell: Shell, answers: Answers, replies: bool = False) -> Save:  # type: ignore[no-untyped-def]
    page = StatisticsPage(shell)
    qtbot.addWidget(page)

    def save(path: str) -> bool:
        before = len(answers.seen)
        page.choose_save_path = lambda _title, _suggested: path
        (page.replies_button if replies else page.export_button).click()
        return _told_saved(qtbot, shell, answers, before)

    return save


def _replies(qtbot, shell: Shell, answers: Answers) -> Save:  # type: ignore[no-untyped-def]
    return _statistics(qtbot, shell, answers, replies=True)


def _exchange(qtbot, shell: Shell, answers: Answers) -> Save:  # type: ignore[no-untyped-def]
    cases.register(shell.ctx, CaseDraft("楼上漏水", [PartyInput("赵一")]))  # a case this month, to export
    page = ExchangePage(shell)
    qtbot.addWidget(page)
    page.number.setValue(shell.ctx.today().month)

    def save(path: str) -> bool:
        before = len(answers.seen)
        page.choose_save_path = lambda _suggested: path
        page.export_button.click()
        return _told_saved(qtbot, shell, answers, before)

    return save


def _audit(qtbot, shell: Shell, answers: Answers) -> Save:  # type: ignore[no-untyped-def]
    page = AuditPage(shell)
    qtbot.addWidget(page)

    def save(path: str) -> bool:
        before = len(answers.seen)
        page.choose_save_path = lambda _default: path
        page.export_button.click()
        return _told_saved(qtbot, shell, answers, before)

    return save


def _preview(qtbot, shell: Shell, _answers: Answers) -> Save:  # type: ignore[no-untyped-def]
    dialog = open_preview(qtbot, shell, "registration", signed_case(shell.ctx))

    def save(path: str) -> bool:
        dialog.status.setText("")
        dialog.choose_save_path = lambda _start: path
        dialog.save_button.click()
        return dialog.status.text().startswith("已保存：")

    return save


PAGES: dict[str, tuple[str, Callable[..., Save]]] = {
    "statistics workbook": (".xlsx", _statistics),
    "12345 replies": (".xlsx", _replies),
    "exchange file": (".wyx", _exchange),
    "audit export": (".xlsx", _audit),
    "document saved as PDF": (".pdf", _preview),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_save_dialog_never_writes_into_what_the_program_keeps(  # type: ignore[no-untyped-def]
        qtbot, shell: Shell, ctx: Context, data_dir: Path, tmp_path: Path, answers: Answers, page: str) -> None:
    suffix, make = PAGES[page]
    save = make(qtbot, shell, answers)
    (tmp_path / "链接").mkdir()
    link = tmp_path / "链接" / f"报表{suffix}"
    link.symlink_to(data_dir / "wuye.db")  # on a server, the data folder's own register file, there or not
    for target, said in ((data_dir / "backups" / f"x{suffix}", "backups"),
                         (data_dir / "logs" / ".." / "attachments" / f"x{suffix}", "attachments"),
                         (link, "台账数据库"), (data_dir / "wuye.db", suffix)):
        assert not save(str(target))
        title, text = answers.last("error")
        assert title == "无法保存" and said in text, text
    assert not [p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith("wuye.db")]
    assert "confirm" not in answers.kinds()


@pytest.mark.parametrize("page", list(PAGES))
def test_a_file_already_there_is_replaced_only_after_a_yes(  # type: ignore[no-untyped-def]
        qtbot, shell: Shell, ctx: Context, tmp_path: Path, answers: Answers, page: str) -> None:
    suffix, make = PAGES[page]
    save = make(qtbot, shell, answers)
    target = tmp_path / f"已有{suffix}"
    target.write_bytes(b"the user's own file")
    answers.replies[:] = [False]
    assert not save(str(target))
    _kind, title, text = next(a for a in answers.seen if a[0] == "confirm")
    assert title == "替换文件" and "已存在" in text and str(target.resolve()) in text
    assert target.read_bytes() == b"the user's own file"
    answers.replies[:] = [True]
    assert save(str(target))
    assert target.read_bytes() != b"the user's own file" and target.stat().st_size > 1000
    assert answers.kinds().count("confirm") == 2
    fresh = tmp_path / "新的"  # no ending typed: it is added, and nothing is asked
    assert save(str(fresh)) and fresh.with_name(f"新的{suffix}").stat().st_size > 1000
    assert answers.kinds().count("confirm") == 2


def test_the_replace_question_defaults_to_no(qtbot) -> None:  # type: ignore[no-untyped-def]
    box = msgbox.question(None, "替换文件", "文件“月报.xlsx”已存在。\n要用新的Excel 工作簿替换它吗？", default=False)
    qtbot.addWidget(box)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.No)
    other = msgbox.question(None, "继续", "继续吗？", default=True)
    qtbot.addWidget(other)
    assert other.defaultButton() is other.button(QMessageBox.StandardButton.Yes)


@pytest.fixture
def local(tmp_path: Path) -> Iterator[tuple[Shell, Path]]:
    """A shell on a register in a file on this PC (what this program backs up), and its data folder."""
    data_dir = tmp_path / "local"
    db = open_register(data_dir=str(data_dir))
    runner = Runner()
    yield Shell(Context(db), ChangeBus(), runner, str(data_dir)), data_dir
    runner.wait_all()
    db.dispose()


def test_the_backup_folder_is_refused_inside_what_the_program_keeps(  # type: ignore[no-untyped-def]
        qtbot, local: tuple[Shell, Path], answers: Answers, tmp_path: Path) -> None:
    shell, data_dir = local
    page = BackupPage(shell)
    qtbot.addWidget(page)
    for folder, said in ((data_dir / "attachments", "attachments"), (data_dir / "logs", "logs"),
                         (data_dir / "backups" / "子文件夹", "backups")):
        page.choose_folder = lambda f=folder: str(f)
        page.start_backup()
        assert shell.runner.wait_all(30_000)
        qtbot.waitUntil(lambda: page.backup_button.isEnabled(), timeout=10_000)
        assert said in answers.last("error")[1], answers.seen
    assert list((data_dir / "attachments").iterdir()) == [] and list((data_dir / "logs").iterdir()) == []
    assert not (data_dir / "backups" / "子文件夹").exists()
    page.choose_folder = lambda: str(tmp_path / "U盘")
    page.ask_passphrase = lambda _choosing, _where: "门口的桂花树2026"  # outside the data folder: encrypted
    page.start_backup()
    assert shell.runner.wait_all(30_000)
    qtbot.waitUntil(lambda: page.backup_button.isEnabled(), timeout=10_000)
    assert [p.suffix for p in (tmp_path / "U盘").iterdir() if p.is_file()] == [".wuyebak"]
