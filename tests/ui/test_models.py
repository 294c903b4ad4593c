"""Every table model of the workspace screens under Qt's model tester, and as plain objects."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt

from wuye_desktop.models import (
    AgreementKind,
    AgreementStatus,
    AssignmentRole,
    CaseStatus,
    ChosenBy,
    CompanyGrade,
    JudicialStatus,
    MediatorKind,
    PartyKind,
    PartyRole,
    Performance,
    RecordKind,
    RiskColour,
    Satisfaction,
    StepForm,
)
from wuye_desktop.services.cases.dto import AssignmentView, CaseRow, EventView, PartyView
from wuye_desktop.services.cases.listing import RelatedCase
from wuye_desktop.services.cases.reminders import Reminder, ReminderKind
from wuye_desktop.services.casework.attachments import AttachmentView
from wuye_desktop.services.casework.records import RecordView
from wuye_desktop.services.casework.views import AgreementView, HistoryEntry, StepView, VisitView
from wuye_desktop.services.reference.lists import CompanyView, MediatorView
from wuye_desktop.services.reference.places import EstateView
from wuye_desktop.ui.case_table import NUMBER, RISK, CaseTableModel
from wuye_desktop.ui.companies_page import company_columns, estate_columns
from wuye_desktop.ui.intake.dialog import related_columns
from wuye_desktop.ui.mediators_page import mediator_columns
from wuye_desktop.ui.reminders_page import reminder_columns
from wuye_desktop.ui.rows_model import Column, RowsModel

AT = datetime(2026, 11, 18, 9, 30)
DAY = date(2026, 11, 18)
ROW = CaseRow(1, "（2026）幸福里调字第1号", DAY, "锦绣花园", "房屋漏水", "张三、李四", "李桂兰",
              CaseStatus.MEDIATING, date(2026, 12, 18), RiskColour.RED)

SAMPLES: dict[str, tuple[list[Column], list[object]]] = {  # type: ignore[type-arg]
    "related": (related_columns(), [RelatedCase(ROW, "同一当事人")]),
    "reminders": (reminder_columns(), [Reminder(ReminderKind.OVERDUE, 1, ROW.number, "漏水", DAY, -2),
                                       Reminder(ReminderKind.HOTLINE, None, "GD1", "工单", DAY, 1)]),
    "mediators": (mediator_columns(False), [
        MediatorView(1, 1, "李桂兰", MediatorKind.FULL_TIME, "女", "13812345678", "社区干部", "物业费", 1,
                     "锦绣花园", 2, "3号楼", False, "", 4)]),
    "companies": (company_columns(), [
        CompanyView(1, 1, "安居物业", "", "刘经理", "", "", CompanyGrade.RED, True, 2, 3)]),
    "estates": (estate_columns(), [EstateView(1, "锦绣花园", "幸福里社区", 1, ["1号楼", "2号楼"])]),
}




@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_list_models_pass_the_model_tester(qtmodeltester, name: str) -> None:  # type: ignore[no-untyped-def]
    columns, rows = SAMPLES[name]
    model: RowsModel[object] = RowsModel(columns)
    model.set_rows(rows)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == len(rows) and model.columnCount() == len(columns)
    for column in range(model.columnCount()):
        assert model.headerData(column, Qt.Orientation.Horizontal)
        assert isinstance(model.index(0, column).data(), str)
    assert model.index(0, 0, model.index(0, 0)).isValid() is False
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)


def test_workspace_tab_models_pass_the_model_tester(qtmodeltester, qtbot, shell, answers) -> None:  # type: ignore[no-untyped-def]
    from wuye_desktop.services import cases
    from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
    from wuye_desktop.ui.case_workspace import CaseWorkspace

    ref = cases.register(shell.ctx, CaseDraft(summary="漏水", parties=[PartyInput("张三")]))
    workspace = CaseWorkspace(shell, ref.id)
    qtbot.addWidget(workspace)
    party = PartyView(1, PartyRole.APPLICANT, PartyKind.PERSON, "张三", "男", "汉族", None, 46, "", "138****5678",
                      "110***********002X", "锦绣花园3号楼****", "", "", "")
    samples = [
        (workspace.parties_tab.model, [party]),
        (workspace.process_tab.steps_model, [StepView(1, 1, "民事民提", AT, StepForm.MEETING, "调解室", 8, None, "",
                                                      "听取意见", "", "", "", "何静")]),
        (workspace.process_tab.records.model, [RecordView(1, 1, 1, RecordKind.SESSION, AT, "调解", "", "", "", True,
                                                          "", "", "达成一致", "何静")]),
        (workspace.mediators_tab.model, [AssignmentView(1, 1, "李桂兰", AssignmentRole.LEAD, ChosenBy.PARTY, AT, AT,
                                                        "当事人申请")]),
        (workspace.agreement_tab.model, [
            AgreementView(1, 1, AgreementKind.WRITTEN, AgreementStatus.SIGNED, "（2026）调协1号", "", ["条款"], "",
                          None, Decimal("1200.00"), 3, "", "", DAY, DAY, JudicialStatus.NOT_APPLIED, None)]),
        (workspace.visits_tab.model, [VisitView(1, DAY, "李桂兰", "电话", "", Performance.PARTIAL, Satisfaction.BASIC,
                                                True, "督促履行", "")]),
        (workspace.attachments_tab.model, [
            AttachmentView(1, 1, "照片.jpg", 2048, "image/jpeg", "证据", "", "何静", AT, "0" * 64)]),
        (workspace.history_tab.events, [
            EventView("accept", CaseStatus.REGISTERED, CaseStatus.ACCEPTED, DAY, "何静", "")]),
        (workspace.history_tab.entries, [HistoryEntry(AT, "何静", "受理", "编号：1")]),
    ]
    for model, rows in samples:
        model.set_rows(rows)
        qtmodeltester.check(model, force_py=True)
        assert all(isinstance(model.index(0, c).data(), str) for c in range(model.columnCount()))


def test_the_register_model_sorts_on_the_server_and_passes_the_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    asked: list[tuple[str, bool]] = []

    class Source:
        sort = ("registered_on", True)

        def page(self, offset: int, limit: int) -> list[CaseRow]:
            asked.append(model_sort())
            return [ROW][offset:offset + limit]

        def count(self) -> int:
            return 1

    source = Source()
    model = CaseTableModel(source.page, source.count, today=lambda: DAY)

    def model_sort() -> tuple[str, bool]:
        return model.sort_key, model.descending

    model.reload()
    model.sort(RISK, Qt.SortOrder.AscendingOrder)
    model.sort(4, Qt.SortOrder.AscendingOrder)  # parties: ignored
    assert asked == [("registered_on", True), ("risk", False)]
    assert model.sort_column() == RISK
    qtmodeltester.check(model, force_py=True)
    assert model.data(model.index(0, NUMBER)) == ROW.number
    assert model.data(QModelIndex()) is None
