"""The workspace's other tabs: reasons asked inline, parties corrected, records, recusal, attachments, printing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from pytestqt.qtbot import QtBot
from ui_helpers import Answers, add_mediator, type_chinese

from wuye_desktop.models import CaseStatus, RecordKind
from wuye_desktop.services import cases, casework
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.casework import attachments, records
from wuye_desktop.ui.case_workspace import CaseWorkspace, printing
from wuye_desktop.ui.shell import Shell


def _workspace(qtbot: QtBot, shell: Shell, accepted: bool = True) -> CaseWorkspace:
    ref = cases.register(shell.ctx, CaseDraft(summary="楼上漏水", parties=[PartyInput("张三"), PartyInput("李四")]))
    if accepted:
        workflow.accept(shell.ctx, ref.id)
    workspace = CaseWorkspace(shell, ref.id)
    qtbot.addWidget(workspace)
    workspace.show()
    return workspace


def test_a_step_needing_a_reason_asks_for_it_beside_the_field(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    workspace = _workspace(qtbot, shell)
    qtbot.mouseClick(workspace.buttons["terminate"], Qt.MouseButton.LeftButton)
    assert workspace.panel.title() == "终止调解：请填写"
    qtbot.mouseClick(workspace.panel.ok_button, Qt.MouseButton.LeftButton)
    label = workspace.panel.errors.label("reason")
    assert label.isVisible() and label.text() == "请填写终止调解的原因"
    assert workspace.detail.status is CaseStatus.ACCEPTED
    type_chinese(workspace.panel.reason, "双方分歧较大，已告知可向人民法院起诉")
    qtbot.mouseClick(workspace.panel.ok_button, Qt.MouseButton.LeftButton)
    assert workspace.detail.status is CaseStatus.TERMINATED and not workspace.panel.isVisible()
    assert workspace.buttons["close"].isEnabled() and workspace.buttons["reopen"].isEnabled()


def test_parties_are_masked_corrected_with_errors_beside_fields_and_revealed(
        qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    workspace = _workspace(qtbot, shell)
    tab = workspace.parties_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.start_edit(0)
    tab.card.phone.setText("138")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert tab.card.errors.label("phone").text() == "手机号码应为11位数字，以1开头，现在填了3位"
    tab.card.phone.setText("13812345678")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert not tab.editor.isVisible()
    assert tab.model.index(0, 5).data() == "138****5678"
    qtbot.mouseClick(tab.reveal_button, Qt.MouseButton.LeftButton)
    assert tab.model.index(0, 5).data() == "13812345678"
    assert casework.history(shell.ctx, workspace.case_id)[0].action == "查看完整个人信息"

    tab.start_add()
    type_chinese(tab.card.name, "王五")
    qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
    assert [p.name for p in workspace.detail.parties] == ["张三", "李四", "王五"]


def test_records_are_written_and_corrected(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    workspace = _workspace(qtbot, shell)
    workspace.tabs.setCurrentWidget(workspace.process_tab)
    panel = workspace.process_tab.records
    workspace.process_tab.inner.setCurrentWidget(panel)
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert panel.errors.label("matter").text() == "请填写事由（这次调查或调解是为了什么）"
    type_chinese(panel.matter, "核实漏水位置")
    type_chinese(panel.findings, "卫生间防水层破损")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    [record] = records.records(shell.ctx, workspace.case_id)
    assert (record.kind, record.matter, record.findings) == (
        RecordKind.INVESTIGATION, "核实漏水位置", "卫生间防水层破损")
    panel.edit(0)
    type_chinese(panel.outcome, "双方同意先修复")
    qtbot.mouseClick(panel.save_button, Qt.MouseButton.LeftButton)
    assert records.records(shell.ctx, workspace.case_id)[0].outcome == "双方同意先修复"


def test_recusal_needs_a_reason_and_busy_mediators_are_warned_about(
        qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    from wuye_desktop.services import settings

    add_mediator(shell.ctx, "赵敏")
    settings.put(shell.ctx, settings.BUSY_MEDIATOR_CASES, 1)
    workspace = _workspace(qtbot, shell)
    tab = workspace.mediators_tab
    workspace.tabs.setCurrentWidget(tab)
    tab.mediator.setCurrentIndex(1)
    qtbot.mouseClick(tab.assign_button, Qt.MouseButton.LeftButton)
    other = _workspace(qtbot, shell)
    other.mediators_tab.mediator.setCurrentIndex(1)
    assert "赵敏 目前在办 1 件案件（提醒线 1 件），任务较重" in other.mediators_tab.warnings.text()
    assert other.mediators_tab.mediator.currentText() == "赵敏（专职，在办 1 件）"

    tab.table.selectRow(0)
    qtbot.mouseClick(tab.recuse_button, Qt.MouseButton.LeftButton)
    assert tab.recuse_errors.label("reason").isVisible()
    type_chinese(tab.reason, "当事人申请回避")
    qtbot.mouseClick(tab.recuse_button, Qt.MouseButton.LeftButton)
    assert workspace.detail.assignments[0].recusal_reason == "当事人申请回避"
    assert tab.model.index(0, 4).data() == "已回避"


def test_attachments_are_added_in_the_background_and_opened(
        qtbot: QtBot, shell: Shell, answers: Answers, tmp_path: Path) -> None:
    workspace = _workspace(qtbot, shell)
    tab = workspace.attachments_tab
    workspace.tabs.setCurrentWidget(tab)
    opened: list[QUrl] = []
    tab.open_url = opened.append
    scan = tmp_path / "现场照片.jpg"
    scan.write_bytes(b"\xff\xd8" + b"x" * 3_000_000)
    tab.add_files([scan])
    assert tab.progress.isVisible() and not tab.add_button.isEnabled(), "progress shows while copying"
    qtbot.waitUntil(lambda: tab.model.rowCount() == 1, timeout=10_000)
    assert not tab.progress.isVisible() and tab.add_button.isEnabled()
    assert tab.model.index(0, 0).data() == "现场照片.jpg" and tab.model.index(0, 2).data() == "2.9 MB"
    tab.open_attachment(0)
    assert opened and opened[0].toLocalFile().endswith("现场照片.jpg")
    assert Path(opened[0].toLocalFile()).read_bytes() == scan.read_bytes()
    tab.table.selectRow(0)
    tab.remove_selected()
    assert attachments.list_for(shell.ctx, workspace.case_id) == []


def test_the_print_menu_lists_the_documents_and_ctrl_p_means_the_agreement(
        qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    workspace = _workspace(qtbot, shell)
    workspace._fill_print_menu()
    labels = [a.text() for a in workspace.print_menu.actions()]
    kinds = printing.document_kinds()
    assert labels == [label for _kind, label in kinds] and "人民调解协议书" in labels
    assert printing.agreement_kind() == "agreement"


def test_a_correction_is_offered_for_the_other_cases_of_the_same_person(
        qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    number = "420202198001011237"  # a valid 身份证号: the same person in two cases
    first = cases.register(shell.ctx, CaseDraft(summary="去年的投诉", parties=[
        PartyInput("张三", id_number=number, phone="13912345678"), PartyInput("李四")])).id
    second = cases.register(shell.ctx, CaseDraft(summary="楼上漏水", parties=[
        PartyInput("张三", id_number=number, phone="13912345678"), PartyInput("王五")])).id
    workspace = CaseWorkspace(shell, second)
    qtbot.addWidget(workspace)
    workspace.show()
    tab = workspace.parties_tab
    workspace.tabs.setCurrentWidget(tab)

    def correct(phone: str, answer: bool) -> None:
        tab.start_edit(0)
        tab.card.phone.setText(phone)
        answers.replies.append(answer)
        qtbot.mouseClick(tab.save_button, Qt.MouseButton.LeftButton)
        assert not tab.editor.isVisible()

    correct("13700002222", False)
    title, text = answers.last("confirm")
    assert title == "其他案件中的同一当事人" and cases.get(shell.ctx, first).number in text
    assert cases.reveal(shell.ctx, first, cases.get(shell.ctx, first).parties[0].party_id).phone == "13912345678"
    correct("13600003333", True)
    assert cases.reveal(shell.ctx, first, cases.get(shell.ctx, first).parties[0].party_id).phone == "13600003333"
    assert cases.reveal(shell.ctx, second, workspace.detail.parties[0].party_id).phone == "13600003333"
