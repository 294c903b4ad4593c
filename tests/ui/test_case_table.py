"""The register's table model: lazy pages, the columns a clerk reads, overdue and risk colours."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt

from wuye_desktop.models.enums import CaseStatus, RiskColour
from wuye_desktop.services.cases.dto import CaseRow
from wuye_desktop.ui.case_table import (
    DEADLINE,
    NUMBER,
    OVERDUE,
    RISK,
    STATUS,
    CaseTableModel,
)
from wuye_desktop.ui.paged_rows import KEPT_PAGES, PAGE_SIZE

TODAY = date(2026, 11, 20)


def _rows(n: int) -> list[CaseRow]:
    return [
        CaseRow(i, f"（2026）幸福里调字第{i}号", TODAY - timedelta(days=i % 90), "锦绣花园", "房屋漏水",
                "张三、李四", "李桂兰", CaseStatus.MEDIATING if i % 2 else CaseStatus.CLOSED,
                TODAY - timedelta(days=1) if i % 2 else TODAY + timedelta(days=5), RiskColour.RED)
        for i in range(1, n + 1)
    ]


class FakeRegister:
    """Stands in for the service's paging over a known list, counting the pages asked for."""

    def __init__(self, rows: list[CaseRow]) -> None:
        self.rows = rows
        self.pages_asked: list[tuple[int, int]] = []

    def page(self, offset: int, limit: int) -> list[CaseRow]:
        self.pages_asked.append((offset, limit))
        return self.rows[offset:offset + limit]

    def count(self) -> int:
        return len(self.rows)


def _model(n: int) -> tuple[CaseTableModel, FakeRegister]:
    source = FakeRegister(_rows(n))
    model = CaseTableModel(source.page, source.count, today=lambda: TODAY)
    model.reload()
    return model, source


def test_opening_a_large_register_loads_one_page_only() -> None:
    model, source = _model(100_000)
    assert model.total == model.rowCount() == 100_000, "a row for every case, for the scroll bar"
    assert model.loaded_rows == PAGE_SIZE
    assert source.pages_asked == [(0, PAGE_SIZE)]


def test_the_last_row_fetches_its_own_page_and_nothing_in_between() -> None:
    model, source = _model(100_000)
    assert model.data(model.index(99_999, NUMBER)) == "（2026）幸福里调字第100000号"
    assert model.case_at(50_123).id == 50_124
    assert source.pages_asked == [(0, PAGE_SIZE), (99_800, PAGE_SIZE), (50_000, PAGE_SIZE)]
    assert model.data(model.index(99_998, NUMBER)) == "（2026）幸福里调字第99999号"
    assert len(source.pages_asked) == 3, "a page looked at again is not fetched again"


def test_at_most_the_kept_pages_stay_in_memory() -> None:
    model, source = _model(100_000)
    for page in range(KEPT_PAGES + 10):
        model.data(model.index(page * PAGE_SIZE, NUMBER))
    assert model.loaded_rows == KEPT_PAGES * PAGE_SIZE
    asked = len(source.pages_asked)
    model.data(model.index((KEPT_PAGES + 9) * PAGE_SIZE, NUMBER))  # the newest: still there
    assert len(source.pages_asked) == asked
    model.data(model.index(0, NUMBER))  # the oldest looked at: let go, fetched again
    assert source.pages_asked[-1] == (0, PAGE_SIZE)


def test_a_register_that_shrank_meanwhile_shows_empty_rows_not_an_error() -> None:
    model, source = _model(450)
    del source.rows[300:]  # cases removed elsewhere after the count
    assert model.data(model.index(449, NUMBER)) is None
    assert model.data(model.index(299, NUMBER)) == "（2026）幸福里调字第300号"


def test_cells_show_chinese_labels_and_flag_overdue_open_cases() -> None:
    model, _source = _model(3)
    assert model.headerData(STATUS, Qt.Orientation.Horizontal) == "状态"
    assert model.data(model.index(0, STATUS)) == "调解中"
    assert model.data(model.index(0, RISK)) == "红（重点）"
    overdue = model.data(model.index(0, DEADLINE), Qt.ItemDataRole.ForegroundRole)
    assert overdue is not None and overdue.color() == OVERDUE
    assert model.data(model.index(0, DEADLINE), Qt.ItemDataRole.ToolTipRole) == "已超过调解期限"
    # a closed case past its old deadline is not overdue
    assert model.data(model.index(1, DEADLINE), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(0, NUMBER), Qt.ItemDataRole.UserRole) == 1


def test_model_passes_qt_model_tester(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model, _source = _model(450)
    qtmodeltester.check(model, force_py=True)
