"""The 账户 and 审计记录 pages on a real register; the main window shows them to administrators only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from sqlalchemy import text

from wuye_desktop.models.enums import MediatorKind, Role
from wuye_desktop.services import accounts, demo, reference
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.context import Context, User
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.accounts_page import AccountDialog, AccountsPage, status_text
from wuye_desktop.ui.audit_page import AuditPage
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.password_dialogs import ResetPasswordDialog
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell

PASSWORD = "Fangzi-2026"


def shell_for(ctx: Context) -> Shell:
    return Shell(ctx, ChangeBus(), Runner(), "测试数据库")


@pytest.fixture
def answers() -> Iterator[list[tuple[str, str, str]]]:
    asked: list[tuple[str, str, str]] = []

    def respond(kind: str, title: str, text_: str) -> bool:
        asked.append((kind, title, text_))
        return True

    msgbox.responder = respond
    yield asked
    msgbox.responder = None


def test_accounts_page_adds_resets_unlocks_and_deactivates(qtbot, ctx: Context, answers) -> None:  # type: ignore[no-untyped-def]
    mediator = reference.add_mediator(ctx, "李桂兰", MediatorKind.FULL_TIME)
    page = AccountsPage(shell_for(ctx))
    qtbot.addWidget(page)
    assert page.model.rowCount() == 0

    dialog = AccountDialog(ctx, None, page)
    dialog.username.setText("lgl")
    dialog.display_name.setText("李桂兰")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.MEDIATOR))
    assert dialog.mediator.isEnabled()
    dialog.password.setText(PASSWORD)
    dialog.again.setText(PASSWORD)
    dialog.submit()
    assert "调解员名册" in dialog.form.errors["mediator_id"].text(), "shown beside the field"
    dialog.mediator.setCurrentIndex(dialog.mediator.findData(mediator))
    dialog.submit()
    assert dialog.result() == QDialog.DialogCode.Accepted
    page.refresh()
    page.select_username("lgl")
    view = page.selected()
    assert view is not None and (view.display_name, view.mediator_name) == ("李桂兰", "李桂兰")
    assert page.model.index(0, 4).data() == "须修改密码"

    for _ in range(5):
        with pytest.raises(accounts.SignInError):
            accounts.login(ctx, "lgl", "Wrong-pass-1")
    page.refresh()
    assert page.unlock_button.isEnabled() and page.model.index(0, 4).data().startswith("锁定至")
    page.unlock_button.click()
    assert not page.unlock_button.isEnabled() and accounts.login(ctx, "lgl", PASSWORD).user.name == "李桂兰"

    reset = ResetPasswordDialog(ctx, "lgl", "李桂兰", page)
    reset.new.setText("Temporary-77")
    reset.again.setText("Temporary-77")
    reset.submit()
    assert reset.result() == QDialog.DialogCode.Accepted
    assert accounts.login(ctx, "lgl", "Temporary-77").must_change_password

    page.active_button.click()
    assert answers[-1][0] == "confirm" and "停用" in answers[-1][2]
    assert page.model.index(0, 4).data() == "已停用" and page.active_button.text() == "启用"
    page.active_button.click()
    assert status_text(account_admin.list_accounts(ctx)[0]) == "须修改密码"


def test_audit_page_filters_checks_and_exports(qtbot, ctx: Context, answers, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo.generate(ctx, 40, seed=2)
    shell = shell_for(ctx)
    page = AuditPage(shell)
    qtbot.addWidget(page)
    total = page.model.total
    assert total >= 3 and page.count_label.text() == f"共 {total} 条"

    page.action.setCurrentIndex(page.action.findText("生成演示数据"))
    page.apply_filter()
    assert 0 < page.model.total < total
    assert {page.model.row_at(r).action for r in range(page.model.rowCount())} == {"demo"}
    page.case.setText("（2026）某某调字第9999号")
    page.apply_filter()
    assert page.filter_message.isVisibleTo(page) and "找不到案件" in page.filter_message.text()
    page.clear_filter()
    assert page.model.total == total and not page.filter_message.isVisibleTo(page)

    page.verify_button.click()
    qtbot.waitUntil(lambda: page.verify_button.isEnabled(), timeout=10_000)
    assert page.chain_label.text().startswith("✔ 审计记录完好")

    with ctx.db.writing() as session:
        session.execute(text("UPDATE audit_event SET detail = detail || 'x' WHERE id = 2"))
    page.verify_button.click()
    qtbot.waitUntil(lambda: page.verify_button.isEnabled(), timeout=10_000)
    assert page.chain_label.text().startswith("✘ 审计记录被改动过")
    assert "第 2 条" in page.problems.toPlainText() and page.problems.isVisibleTo(page)

    target = tmp_path / "审计记录"
    page.export_to(str(target))
    qtbot.waitUntil(lambda: page.export_button.isEnabled(), timeout=10_000)
    assert (tmp_path / "审计记录.xlsx").stat().st_size > 0
    assert answers[-1][0] == "info" and f"已导出 {total} 条" in answers[-1][2]
    assert page.model.total == total + 1, "the export is itself on the list"


def test_only_administrators_see_the_two_pages(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    for role, expected in ((Role.ADMIN, True), (Role.CLERK, False), (Role.VIEWER, False)):
        window = MainWindow(shell_for(Context(ctx.db, User("某人", role), ctx.today_override)))
        qtbot.addWidget(window)
        titles = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert ("账户" in titles, "审计记录" in titles) == (expected, expected), role


def test_a_long_audit_trail_shows_its_first_entry_without_fetching_the_rest(qtbot, ctx: Context) -> None:  # type: ignore[no-untyped-def]
    from wuye_desktop.services import audit

    with ctx.db.writing() as session:
        for n in range(900):
            audit.record(session, "王晓燕", "reveal", "case", str(n), {"第": n})
    page = AuditPage(shell_for(ctx))
    qtbot.addWidget(page)
    page.resize(1000, 600)
    page.show()
    total = page.model.total
    assert total >= 900 and page.model.rowCount() == total
    page.table.scrollToBottom()
    qtbot.wait(10)
    oldest = page.model.row_at(total - 1)
    assert oldest.id == min(page.model.row_at(r).id for r in range(total - 5, total)), "oldest at the bottom"
    assert page.model.loaded_rows <= 3 * 200, "the pages in between were never fetched"
