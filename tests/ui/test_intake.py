"""The registration form: errors beside their fields with the input kept, any number of parties,
related open cases shown before saving and openable."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from ui_helpers import Answers, add_place, type_chinese

from wuye_desktop.models import PartyKind
from wuye_desktop.services import cases
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.ui.intake import IntakeDialog
from wuye_desktop.ui.intake.party_card import PartyCard
from wuye_desktop.ui.shell import Shell


def _dialog(qtbot: QtBot, shell: Shell) -> IntakeDialog:
    dialog = IntakeDialog(shell)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_errors_show_beside_their_fields_and_everything_typed_is_kept(
        qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    dialog = _dialog(qtbot, shell)
    first, second = dialog.cards
    type_chinese(first.name, "张三")
    qtbot.keyClicks(first.id_number, "110105194912310021")  # the check character should be X
    qtbot.keyClicks(first.phone, "1381234")
    type_chinese(first.address, "锦绣花园3号楼502室")
    type_chinese(dialog.amount, "一千")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert register.count(shell.ctx, register.CaseFilter()) == 0, "nothing was saved"
    expected = {
        (first, "id_number"): "身份证号码校验位不正确，请核对最后一位",
        (first, "phone"): "手机号码应为11位数字，以1开头，现在填了7位",
        (second, "name"): "第2位当事人：请填写姓名或名称",
    }
    for (card, key), message in expected.items():
        label = card.errors.label(key)
        assert label.isVisible() and label.text() == message
    summary = dialog.errors.label("summary")
    assert summary.isVisible() and summary.text() == "请填写简要案情（一句话说明纠纷）"
    assert dialog.errors.label("amount").text().startswith("金额“一千”不是有效数字")
    assert not first.errors.label("name").isVisible()
    assert (first.name.text(), first.id_number.text(), first.phone.text(), first.address.text()) == (
        "张三", "110105194912310021", "1381234", "锦绣花园3号楼502室")
    assert answers.seen == [], "field errors are shown beside the fields, not in a message box"

    first.id_number.setText("11010519491231002X")
    first.phone.setText("13812345678")
    dialog.amount.clear()
    type_chinese(second.name, "李四")
    type_chinese(dialog.summary, "楼上漏水")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not first.errors.label("id_number").isVisible()
    assert answers.last("info") == ("登记成功", "已登记，案件编号：（2026）某某调字第1号")
    assert not dialog.isVisible()


def test_parties_of_every_kind_can_be_added_and_removed(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    dialog = _dialog(qtbot, shell)
    company = dialog.add_party(PartyKind.COMPANY)
    committee = dialog.add_party(PartyKind.OWNERS_COMMITTEE)
    assert [c.title.text() for c in dialog.cards] == ["当事人 1", "当事人 2", "当事人 3", "当事人 4"]
    assert company.representative.isVisibleTo(company) and not company.gender.isVisibleTo(company)
    assert company._labels["id_number"].text() == "统一社会信用代码"
    dialog.cards[1].remove_button.click()
    assert [c.title.text() for c in dialog.cards] == ["当事人 1", "当事人 2", "当事人 3"]
    type_chinese(dialog.cards[0].name, "张三")
    type_chinese(company.name, "安居物业服务有限公司")
    type_chinese(company.representative, "刘强")
    type_chinese(committee.name, "锦绣花园业主委员会")
    type_chinese(dialog.summary, "物业公司占用公共绿地停车")
    assert dialog.save() is not None
    [case_id] = [r.id for r in register.page(shell.ctx, register.CaseFilter(), 0, 10)]
    parties = cases.get(shell.ctx, case_id).parties
    assert [(p.name, p.kind) for p in parties] == [
        ("张三", PartyKind.PERSON), ("安居物业服务有限公司", PartyKind.COMPANY),
        ("锦绣花园业主委员会", PartyKind.OWNERS_COMMITTEE)]
    assert parties[1].representative == "刘强"


def test_related_open_cases_are_shown_before_saving_and_can_be_opened(
        qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    place = add_place(shell.ctx)
    earlier = cases.register(shell.ctx, CaseDraft(summary="物业费争议", parties=[PartyInput("张三")],
                                                  estate_id=place.estate_id))
    dialog = _dialog(qtbot, shell)
    opened: list[int] = []
    dialog.open_case_requested.connect(opened.append)
    type_chinese(dialog.cards[0].name, "张三")
    type_chinese(dialog.cards[1].name, "李四")
    type_chinese(dialog.summary, "楼道堆放杂物")
    dialog.estate.setCurrentIndex(dialog.estate.findData(place.estate_id))

    answers.replies.append(False)  # "仍要登记吗？" — no, look at the related case first
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert answers.last("confirm")[0] == "发现相关的未结案件"
    assert register.count(shell.ctx, register.CaseFilter()) == 1, "not registered while the clerk looks"
    assert dialog.related_box.isVisibleTo(dialog)
    assert dialog.related_model.rowCount() == 1
    assert dialog.related_model.index(0, 0).data() == "同一当事人"
    assert dialog.related_model.index(0, 1).data() == earlier.number
    dialog.related_table.doubleClicked.emit(dialog.related_model.index(0, 1))
    assert opened == [earlier.id]
    assert dialog.cards[0].name.text() == "张三" and dialog.summary.text() == "楼道堆放杂物"

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)  # this time: yes, register it
    assert register.count(shell.ctx, register.CaseFilter()) == 2


def test_closing_with_typed_input_asks_first(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    dialog = _dialog(qtbot, shell)
    type_chinese(dialog.summary, "噪声扰民")
    answers.replies.append(False)
    dialog.close()
    assert dialog.isVisible() and dialog.summary.text() == "噪声扰民"
    dialog.close()
    assert not dialog.isVisible()


def _tab_walk(qtbot: QtBot, start: QWidget, limit: int = 120) -> list[QWidget]:
    """Press Tab from ``start`` until focus comes back to it: each widget in the order Tab reached it."""
    start.setFocus()
    assert QApplication.focusWidget() is start
    walked = [start]
    for _ in range(limit):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached = QApplication.focusWidget()
        if reached is walked[-1]:  # Tab first moves through a date's year, month and day
            continue
        if reached is start:
            return walked
        walked.append(reached)
    raise AssertionError(f"Tab never came back to the first field: {walked}")


def _reads_before(first: QWidget, second: QWidget, page: QWidget) -> bool:
    """``second`` is to the right of ``first`` on the same line, or on a line below it."""
    a, b = first.mapTo(page, QPoint(0, 0)), second.mapTo(page, QPoint(0, 0))
    same_line = abs((a.y() + first.height() / 2) - (b.y() + second.height() / 2)) < min(first.height(),
                                                                                       second.height()) / 2
    return b.x() > a.x() if same_line else b.y() > a.y()


def test_tab_walks_the_form_and_every_party_in_reading_order(qtbot: QtBot, shell: Shell) -> None:
    dialog = _dialog(qtbot, shell)
    qtbot.waitUntil(dialog.isActiveWindow)
    company = dialog.add_party(PartyKind.COMPANY)  # a party added later is read where it shows, before the buttons
    qtbot.waitUntil(company.isVisible)
    assert dialog.isActiveWindow(), "no part of the new card opened as a window of its own and took the focus"
    person, respondent = dialog.cards[:2]

    def fields(card: PartyCard) -> list[QWidget]:
        middle = ([card.gender, card.ethnicity, card.age, card.occupation] if card is not company
                  else [card.representative, card.representative_title])
        return [card.role, card.kind, card.name, card.id_number, card.phone, card.agent_name, *middle,
                card.address, card.room, card.estate, card.building]

    case = [dialog.registered_on, dialog.source, dialog.source_ref, dialog.official_type, dialog.subtype,
            dialog.risk, dialog.estate, dialog.building, dialog.company, dialog.amount, dialog.people_count,
            dialog.summary, dialog.facts]
    adders = [b for b in dialog.findChildren(QPushButton) if b.text().startswith("添加")]
    assert len(adders) == 3
    expected = [*case,
                *fields(person), person.remove_button, *fields(respondent), respondent.remove_button,
                *fields(company), company.remove_button,
                *sorted(adders, key=lambda b: b.x()), dialog.check_button, dialog.cancel_button, dialog.save_button]
    assert _tab_walk(qtbot, dialog.registered_on) == expected

    body = dialog.scroll_area.widget()
    for section in (case, *(fields(card) for card in dialog.cards)):
        for first, second in pairwise(section):
            assert _reads_before(first, second, body), (first, second)
