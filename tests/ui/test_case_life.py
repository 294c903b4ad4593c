"""A whole case driven through the real widgets on a real register.

Register with two parties → accept → assign a mediator → record the five
steps → draft and sign an agreement → record a return visit → close.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import Answers, add_mediator, add_place, type_chinese

from wuye_desktop.models import AgreementStatus, CaseStatus
from wuye_desktop.services import cases, casework
from wuye_desktop.services.reference.defaults import DEFAULT_STEPS
from wuye_desktop.ui.case_table import STATUS
from wuye_desktop.ui.case_workspace import CaseWorkspace
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.shell import Shell

ZHANG_ID = "11010519491231002X"


def _register_two_parties(window: MainWindow, qtbot, estate_id: int) -> CaseWorkspace:
    dialog = window.new_case()
    assert dialog is not None
    type_chinese(dialog.summary, "楼上卫生间漏水致楼下天花板受损")
    dialog.estate.setCurrentIndex(dialog.estate.findData(estate_id))
    dialog.building.setCurrentIndex(1)
    applicant, respondent = dialog.cards
    type_chinese(applicant.name, "张三")
    qtbot.keyClicks(applicant.id_number, ZHANG_ID)
    qtbot.keyClicks(applicant.phone, "13812345678")
    type_chinese(respondent.name, "李四")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(window.workspaces) == 1, "the new case opens in its workspace"
    return next(iter(window.workspaces.values()))


def test_a_case_from_registration_to_filing_through_the_widgets(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    place = add_place(shell.ctx)
    add_mediator(shell.ctx, "王建国")
    window = MainWindow(shell)
    qtbot.addWidget(window)
    window.show()

    workspace = _register_two_parties(window, qtbot, place.estate_id)
    # The main window owns its workspaces and closes them (and Qt deletes them) when it closes.
    assert answers.last("info")[1].startswith("已登记，案件编号：（2026）某某调字第1号")
    detail = cases.get(shell.ctx, workspace.case_id)
    assert [(p.name, p.role.label) for p in detail.parties] == [("张三", "申请人"), ("李四", "被申请人")]
    assert detail.estate == "锦绣花园" and detail.property_company == "安居物业"
    assert window.register_view.model.total == 1, "the register heard of the new case"
    assert workspace.buttons["accept"].isEnabled() and not workspace.buttons["close"].isEnabled()

    # 受理
    qtbot.mouseClick(workspace.buttons["accept"], Qt.MouseButton.LeftButton)
    assert workspace.panel.isVisible()
    qtbot.mouseClick(workspace.panel.ok_button, Qt.MouseButton.LeftButton)
    assert workspace.detail.status is CaseStatus.ACCEPTED and not workspace.panel.isVisible()
    assert not workspace.buttons["accept"].isEnabled() and workspace.buttons["terminate"].isEnabled()
    assert "调解期限 2026-12-20（还剩 30 天）" in workspace.dates_label.text()

    # 指派调解员
    workspace.tabs.setCurrentWidget(workspace.mediators_tab)
    tab = workspace.mediators_tab
    tab.mediator.setCurrentIndex(tab.mediator.findText("王建国（专职，在办 0 件）"))
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    assert [(a.mediator_name, a.role.label) for a in workspace.detail.assignments] == [("王建国", "主办调解员")]
    assert tab.mediator.findText("王建国（专职，在办 1 件）") >= 0, "the open-case count moved"

    # 五步工作法
    workspace.tabs.setCurrentWidget(workspace.process_tab)
    process = workspace.process_tab
    for number, name in enumerate(DEFAULT_STEPS, 1):
        assert process.step_name.currentText() == name, "the next step is offered"
        type_chinese(process.content, f"第{number}步：听取双方意见")
        qtbot.mouseClick(process.record_button, Qt.MouseButton.LeftButton)
        assert process.steps_model.rowCount() == number
    assert [s.step_name for s in casework.steps(shell.ctx, workspace.case_id)] == list(DEFAULT_STEPS)
    assert workspace.detail.status is CaseStatus.MEDIATING

    # 协议: draft, reorder, sign
    workspace.tabs.setCurrentWidget(workspace.agreement_tab)
    agreement = workspace.agreement_tab
    for text in ("被申请人赔偿申请人修缮费用1200元", "被申请人于2026年11月30日前修复卫生间防水层"):
        qtbot.mouseClick(agreement.clause_buttons[0], Qt.MouseButton.LeftButton)
        agreement.clauses.currentItem().setText(text)
    qtbot.mouseClick(agreement.clause_buttons[2], Qt.MouseButton.LeftButton)  # move the repair clause up
    qtbot.keyClicks(agreement.amount, "1200")
    type_chinese(agreement.performance, "被申请人自行维修，调委会负责回访")
    qtbot.mouseClick(agreement.save_button, Qt.MouseButton.LeftButton)
    [draft] = casework.case_agreements(shell.ctx, workspace.case_id)
    assert draft.clauses == ["被申请人于2026年11月30日前修复卫生间防水层", "被申请人赔偿申请人修缮费用1200元"]
    qtbot.mouseClick(agreement.sign_button, Qt.MouseButton.LeftButton)
    [signed] = casework.case_agreements(shell.ctx, workspace.case_id)
    assert signed.status is AgreementStatus.SIGNED and signed.number == "（2026）某某调协字第1号"
    assert answers.last("info") == ("协议已生效", "协议编号：（2026）某某调协字第1号")
    assert workspace.detail.status is CaseStatus.AGREED
    assert "司法确认可申请至 2026-12-20（还剩 30 天）" in workspace.dates_label.text()
    assert not agreement.save_button.isEnabled(), "a signed agreement is frozen"

    # 回访, then 结案归档
    workspace.tabs.setCurrentWidget(workspace.visits_tab)
    qtbot.mouseClick(workspace.visits_tab.record_button, Qt.MouseButton.LeftButton)
    assert workspace.visits_tab.model.rowCount() == 1
    qtbot.mouseClick(workspace.buttons["close"], Qt.MouseButton.LeftButton)
    assert answers.last("confirm")[0] == "结案归档"
    assert workspace.detail.status is CaseStatus.CLOSED
    assert workspace.buttons["reopen"].isEnabled() and not workspace.buttons["terminate"].isEnabled()
    assert not workspace.overview_tab.save_button.isEnabled(), "a filed case is not edited"

    register = window.register_view
    assert register.model.index(0, STATUS).data() == "结案归档"
    history = [h.action for h in workspace.history_tab.entries.rows]
    for action in ("登记", "受理", "指派调解员", "记录协商步骤", "起草协议", "协议签署生效", "回访", "结案归档"):
        assert action in history
    assert not any(kind == "error" for kind in answers.kinds()), answers.seen
