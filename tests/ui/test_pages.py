"""The reminders, mediators, companies and settings pages on a real register."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from ui_helpers import Answers, add_place, type_chinese

from wuye_desktop.models import WorkOrder
from wuye_desktop.services import cases, reference, settings
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.cases.reminders import ReminderKind
from wuye_desktop.services.reference import lists
from wuye_desktop.services.reference.lists import ListKind
from wuye_desktop.ui.companies_page import CompaniesPage
from wuye_desktop.ui.forms import select_data
from wuye_desktop.ui.mediators_page import MediatorsPage
from wuye_desktop.ui.reminders_page import RemindersPage
from wuye_desktop.ui.settings_page import SettingsPage
from wuye_desktop.ui.shell import Shell


def test_reminders_list_what_is_due_and_open_the_case(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    ctx = shell.ctx
    overdue = cases.register(ctx, CaseDraft(summary="楼道堆物", parties=[PartyInput("张三")],
                                            registered_on="2026-10-01"))
    workflow.accept(ctx, overdue.id, on="2026-10-02")
    with ctx.db.writing() as session:  # as the 12345 import writes it; not linked to a case yet
        session.add(WorkOrder(order_no="GD20261119001", caller="李女士", content="小区门口占道经营",
                              due_at=datetime.combine(ctx.today() + timedelta(days=1), datetime.min.time())))
    page = RemindersPage(shell)
    qtbot.addWidget(page)
    kinds = [page.model.index(r, 0).data() for r in range(page.model.rowCount())]
    assert kinds == [ReminderKind.OVERDUE.label, ReminderKind.HOTLINE.label]
    assert page.model.index(0, 3).data() == "已超过 19 天"
    assert "调解已超期 1 件" in page.summary.text()
    opened: list[int] = []
    page.open_case_requested.connect(opened.append)
    page.table.doubleClicked.emit(page.model.index(0, 1))
    assert opened == [overdue.id]
    page.open_row(1)
    assert answers.last("info")[1] == "工单 GD20261119001 还没有对应的案件，请先登记为案件。"

    select_data(page.kind, ReminderKind.HOTLINE)
    assert page.model.rowCount() == 1
    workflow.terminate(ctx, overdue.id, "双方分歧较大")
    page.kind.setCurrentIndex(0)
    assert [page.model.index(r, 0).data() for r in range(page.model.rowCount())] == [ReminderKind.HOTLINE.label]


def test_mediators_are_added_edited_and_deactivated(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    place = add_place(shell.ctx)
    page = MediatorsPage(shell)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.errors.label("name").text() == "请填写调解员姓名"
    type_chinese(page.name, "周建华")
    qtbot.keyClicks(page.phone, "139-0714-5678")
    page.home_estate.setCurrentIndex(page.home_estate.findData(place.estate_id))
    page.home_building.setCurrentIndex(page.home_building.findData(place.buildings["2号楼"]))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    [view] = lists.mediators(shell.ctx)
    assert (view.name, view.phone, view.home_building) == ("周建华", "13907145678", "2号楼")
    assert page.model.index(0, 3).data() == "13907145678", "shown in full to those allowed to see it"
    assert page.model.index(0, 6).data() == "锦绣花园 2号楼"
    assert page.editor.title() == "修改：周建华"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 0 and reference.mediators(shell.ctx) == []
    page.show_inactive.setChecked(True)
    assert page.model.index(0, 8).data() == "已停用"


def test_companies_and_their_estates(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    page = CompaniesPage(shell)
    qtbot.addWidget(page)
    type_chinese(page.name, "安居物业服务有限公司")
    qtbot.keyClicks(page.credit_code, "91420200MA0000001")  # 17 characters
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert page.errors.label("credit_code").text() == "统一社会信用代码应为18位，现在填了17位"
    assert lists.companies(shell.ctx) == []
    page.credit_code.clear()
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    [company] = lists.companies(shell.ctx)
    assert page.editing is not None and page.editing.id == company.id
    type_chinese(page.estate_name, "锦绣花园")
    page.community.setEditText("幸福里社区")
    qtbot.keyClicks(page.buildings, "1, 2, 3")
    qtbot.mouseClick(page.add_estate_button, Qt.MouseButton.LeftButton)
    assert page.estates.rowCount() == 1 and page.estates.index(0, 2).data() == "1、2、3"
    assert [e.name for e in reference.estates(shell.ctx)] == ["锦绣花园"]
    assert page.model.index(0, 5).data() == "1"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert lists.companies(shell.ctx, include_inactive=False) == []


def test_settings_edit_the_committee_rules_and_the_lists(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    page = SettingsPage(shell)
    qtbot.addWidget(page)
    page.name.clear()
    type_chinese(page.name, "幸福里社区人民调解委员会")
    page.short_name.clear()
    type_chinese(page.short_name, "幸福里")
    assert "案件：（2026）幸福里调字第12号" in page.preview.text()
    qtbot.mouseClick(page.committee_button, Qt.MouseButton.LeftButton)
    assert reference.committee(shell.ctx).short_name == "幸福里"

    page.formats[settings.CASE_NUMBER_FORMAT].setText("幸福里调字第{seq}号")
    page.numbers[settings.MEDIATION_DAYS].setValue(45)
    qtbot.mouseClick(page.rules_button, Qt.MouseButton.LeftButton)
    assert "年份" in page.errors.label(settings.CASE_NUMBER_FORMAT).text()
    assert settings.get(shell.ctx, settings.MEDIATION_DAYS) == 30, "nothing saved while one is wrong"
    page.formats[settings.CASE_NUMBER_FORMAT].setText("（{year}）幸福里调字第{seq:03d}号")
    qtbot.mouseClick(page.rules_button, Qt.MouseButton.LeftButton)
    assert settings.get(shell.ctx, settings.MEDIATION_DAYS) == 45
    assert cases.register(shell.ctx, CaseDraft(summary="漏水", parties=[PartyInput("张三")])).number == \
        "（2026）幸福里调字第001号"

    steps = page.steps
    steps.list.setCurrentRow(0)
    steps.name.clear()
    type_chinese(steps.name, "征集议题")
    qtbot.mouseClick(steps.rename_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(steps.down_button, Qt.MouseButton.LeftButton)
    assert [i.name for i in lists.items(shell.ctx, ListKind.STEP)][:2] == ["民事民议", "征集议题"]
    subtypes = page.subtypes
    subtypes.name.clear()
    type_chinese(subtypes.name, "电梯故障")
    qtbot.mouseClick(subtypes.add_button, Qt.MouseButton.LeftButton)
    assert subtypes.list.currentItem().text() == "电梯故障"
    qtbot.mouseClick(subtypes.active_button, Qt.MouseButton.LeftButton)
    assert subtypes.list.currentItem().text() == "电梯故障（已停用）"
    assert "电梯故障" not in [c.name for c in reference.subtypes(shell.ctx)]
