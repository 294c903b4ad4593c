"""The register page on a demo register: filters, server-side sort on header click, keyboard, remembered widths."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot
from ui_helpers import Answers

from wuye_desktop.models import CaseSource, CaseStatus, RiskColour
from wuye_desktop.services import cases, demo, reference
from wuye_desktop.services.cases import listing as register
from wuye_desktop.ui import prefs
from wuye_desktop.ui.case_table import DEADLINE, ESTATE, MEDIATORS, NUMBER, PARTIES, REGISTERED, RISK, SUBTYPE
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.register_view import RegisterView
from wuye_desktop.ui.shell import Shell


def _column(view: RegisterView, column: int) -> list[str]:
    return [view.model.index(r, column).data() for r in range(view.model.rowCount())]


def _pick(combo, text: str) -> None:  # type: ignore[no-untyped-def]
    index = combo.findText(text)
    assert index >= 0, text
    combo.setCurrentIndex(index)


def test_every_filter_narrows_the_register_on_the_server(qtbot: QtBot, shell: Shell) -> None:
    demo.generate(shell.ctx, 300, seed=5)
    view = RegisterView(shell)
    qtbot.addWidget(view)
    assert view.model.total == 300

    estate = reference.estates(shell.ctx)[0]
    _pick(view.estate, estate.name)
    assert 0 < view.model.total < 300 and set(_column(view, ESTATE)) == {estate.name}
    _pick(view.risk, RiskColour.RED.label)
    assert set(_column(view, RISK)) <= {RiskColour.RED.label}
    view.clear_filters()
    assert view.model.total == 300 and not view.filtered

    subtype = "房屋漏水"
    _pick(view.subtype, subtype)
    assert set(_column(view, SUBTYPE)) == {subtype}
    view.clear_filters()
    mediator = reference.mediators(shell.ctx)[0].name
    _pick(view.mediator, mediator)
    assert view.model.total > 0 and all(mediator in names for names in _column(view, MEDIATORS))
    view.clear_filters()
    _pick(view.source, CaseSource.HOTLINE.label)
    expected = register.count(shell.ctx, register.CaseFilter(source=CaseSource.HOTLINE))
    assert view.model.total == expected > 0
    view.clear_filters()
    view.date_from.setDate(QDate(2026, 11, 1))
    view.date_to.setDate(QDate(2026, 11, 15))
    days = {date.fromisoformat(d) for d in _column(view, REGISTERED)}
    assert days and min(days) >= date(2026, 11, 1) and max(days) <= date(2026, 11, 15)


def test_header_clicks_sort_on_the_server_and_rows_stay_lazy(qtbot: QtBot, shell: Shell) -> None:
    demo.generate(shell.ctx, 450, seed=6)
    view = RegisterView(shell)
    qtbot.addWidget(view)
    assert view.model.rowCount() == 450 and view.model.loaded_rows == 200, "one page fetched, however big"
    header = view.table.horizontalHeader()
    header.setSortIndicator(REGISTERED, Qt.SortOrder.AscendingOrder)
    assert view.model.loaded_rows == 200, "a new order starts again from one page"
    dates = _column(view, REGISTERED)
    assert len(dates) == 450 and dates == sorted(dates)
    header.setSortIndicator(RISK, Qt.SortOrder.DescendingOrder)
    risks = _column(view, RISK)
    order = [RiskColour.RED.label, RiskColour.ORANGE.label, RiskColour.YELLOW.label, RiskColour.BLUE.label]
    assert risks == sorted(risks, key=order.index), "red first"
    header.setSortIndicator(PARTIES, Qt.SortOrder.AscendingOrder)  # a list of names: not sortable
    assert header.sortIndicatorSection() == RISK and _column(view, RISK) == risks
    header.setSortIndicator(DEADLINE, Qt.SortOrder.AscendingOrder)
    deadlines = [d for d in _column(view, DEADLINE) if d]
    assert deadlines == sorted(deadlines)


def test_the_end_of_a_big_register_is_one_page_away(qtbot: QtBot, shell: Shell) -> None:
    demo.generate(shell.ctx, 1000, seed=8)
    view = RegisterView(shell)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    everything = register.page(shell.ctx, register.CaseFilter(), 0, 2000)
    view.table.scrollToBottom()  # Ctrl+End, or the scroll bar dragged to the bottom
    qtbot.wait(10)
    last = view.model.rowCount() - 1
    assert view.model.index(last, NUMBER).data() == everything[-1].number, "the oldest case, at the bottom"
    assert view.model.case_at(last).id == everything[-1].id
    assert view.model.loaded_rows <= 3 * 200, "the pages in between were never fetched"
    middle = 530
    assert view.model.index(middle, NUMBER).data() == everything[middle].number


def test_keyboard_new_find_and_enter_opens_the_selected_case(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    demo.generate(shell.ctx, 30, seed=7)
    window = MainWindow(shell)
    qtbot.addWidget(window)
    window.show()
    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    window.show_page("mediators")
    window.find_action.trigger()
    assert window.stack.currentWidget() is window.register_view
    assert window.focusWidget() is window.register_view.search
    view = window.register_view
    view.table.setFocus()
    view.table.selectRow(2)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    chosen = view.model.case_at(2).id
    assert list(window.workspaces) == [chosen]
    assert window.workspaces[chosen].number_label.text() == cases.get(shell.ctx, chosen).number
    window.new_action.trigger()
    assert window.intake is not None and window.intake.isVisible()


def test_window_size_and_column_widths_are_remembered(qtbot: QtBot, shell: Shell) -> None:
    window = MainWindow(shell)
    qtbot.addWidget(window)
    window.show()
    window.resize(700, 450)  # the offscreen screen is small; the window's own minimum size applies
    window.register_view.table.setColumnWidth(NUMBER, 333)
    window.close()
    again = MainWindow(shell)
    qtbot.addWidget(again)
    assert again.register_view.table.columnWidth(NUMBER) == 333
    probe = QMainWindow()
    assert prefs.restore_geometry(probe, "main")
    assert again.size() == probe.size() and again.width() < 1000, "the saved size, not the default"


def test_closing_the_window_asks_about_unsaved_case_edits(qtbot: QtBot, shell: Shell, answers: Answers) -> None:
    from wuye_desktop.services.cases.dto import CaseDraft, PartyInput

    ref = cases.register(shell.ctx, CaseDraft(summary="楼上漏水", parties=[PartyInput("张三")]))
    window = MainWindow(shell)
    qtbot.addWidget(window)
    window.show()
    workspace = window.open_case(ref.id)
    assert workspace is not None
    workspace.overview_tab.summary.setText("楼上漏水（未保存的修改）")
    answers.replies.append(False)
    assert not window.close(), "the clerk chose to keep working"
    assert workspace.isVisible() and workspace.overview_tab.summary.text() == "楼上漏水（未保存的修改）"
    assert window.close()
    assert cases.get(shell.ctx, ref.id).status is CaseStatus.REGISTERED


def test_enter_while_typing_searches_once(qtbot: QtBot, shell: Shell) -> None:
    from wuye_desktop.ui.register_view import SEARCH_DELAY_MS

    demo.generate(shell.ctx, 30, seed=7)
    view = RegisterView(shell)
    qtbot.addWidget(view)
    searches: list[int] = []
    view.count_changed.connect(searches.append)
    qtbot.keyClicks(view.search, "13")
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    qtbot.wait(SEARCH_DELAY_MS + 300)
    assert len(searches) == 1, "the pause after typing must not search a second time"
    assert view.model.total == register.count(shell.ctx, register.CaseFilter(text="13"))
