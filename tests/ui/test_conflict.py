"""Two workspaces on one case: the second save is told someone else saved first and may reload;
nothing is silently overwritten."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import Answers, type_chinese

from wuye_desktop.models import CaseStatus
from wuye_desktop.services import cases
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.case_workspace import CaseWorkspace
from wuye_desktop.ui.shell import Shell


def _case(shell: Shell) -> int:
    return cases.register(shell.ctx, CaseDraft(summary="楼上漏水", parties=[PartyInput("张三"), PartyInput("李四")])).id


def _workspace(qtbot: QtBot, shell: Shell, case_id: int) -> CaseWorkspace:
    workspace = CaseWorkspace(shell, case_id)
    qtbot.addWidget(workspace)
    return workspace


def test_the_second_save_on_the_same_case_conflicts_and_offers_to_reload(
        qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    case_id = _case(shell)
    first, second = _workspace(qtbot, shell, case_id), _workspace(qtbot, shell, case_id)
    first.overview_tab.summary.clear()
    type_chinese(first.overview_tab.summary, "楼上卫生间漏水致天花板受损")
    second.overview_tab.summary.clear()
    type_chinese(second.overview_tab.summary, "楼上漏水（第二人的修改）")

    qtbot.mouseClick(first.overview_tab.save_button, Qt.MouseButton.LeftButton)
    assert cases.get(shell.ctx, case_id).summary == "楼上卫生间漏水致天花板受损"
    assert second.overview_tab.summary.text() == "楼上漏水（第二人的修改）", "unsaved edits survive the refresh"

    answers.replies.append(False)  # keep my edits for now
    qtbot.mouseClick(second.overview_tab.save_button, Qt.MouseButton.LeftButton)
    title, text = answers.last("confirm")
    assert title == "其他人已先保存" and "已被其他人修改" in text and "重新载入" in text
    assert cases.get(shell.ctx, case_id).summary == "楼上卫生间漏水致天花板受损", "nothing overwritten"
    assert second.overview_tab.summary.text() == "楼上漏水（第二人的修改）"

    answers.replies.append(True)  # now reload
    second.save_current()
    assert second.overview_tab.summary.text() == "楼上卫生间漏水致天花板受损"
    assert not second.overview_tab.dirty()


def test_a_workspace_without_edits_follows_changes_made_elsewhere(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    case_id = _case(shell)
    first, second = _workspace(qtbot, shell, case_id), _workspace(qtbot, shell, case_id)
    qtbot.mouseClick(first.buttons["accept"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(first.panel.ok_button, Qt.MouseButton.LeftButton)
    assert second.detail.status is CaseStatus.ACCEPTED and second.status_label.text() == "已受理"
    assert not second.buttons["accept"].isEnabled()


def test_a_step_taken_on_another_computer_is_detected(qtbot: QtBot, ctx: Context, answers: Answers) -> None:
    """Another PC shares the register but not this program's change sets."""
    from wuye_desktop.storage.engine import Database
    from wuye_desktop.ui.runner import Runner

    here = Shell(ctx, ChangeBus(), Runner(), "本机")
    case_id = _case(here)
    workspace = _workspace(qtbot, here, case_id)
    other = Database(ctx.db.url, ctx.db.paths)  # the other computer: its own connection to the same register
    try:
        workflow.accept(Context(other), case_id)
    finally:
        other.dispose()
    qtbot.mouseClick(workspace.buttons["refuse"], Qt.MouseButton.LeftButton)
    type_chinese(workspace.panel.reason, "被申请人明确拒绝调解")
    qtbot.mouseClick(workspace.panel.ok_button, Qt.MouseButton.LeftButton)
    assert "已被其他人修改" in answers.last("confirm")[1]
    assert cases.get(ctx, case_id).status is CaseStatus.ACCEPTED
    assert workspace.detail.status is CaseStatus.ACCEPTED, "reloaded"
    assert not workspace.buttons["refuse"].isEnabled()
