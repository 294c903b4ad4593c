"""The 统计 page and the 12345 import dialog on a demo register, offscreen, answered through the seams."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import hotline_samples as samples
import openpyxl
import pytest

from wuye_desktop.models import Role
from wuye_desktop.services import demo, statistics
from wuye_desktop.services.context import Context, User
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.hotline_import_dialog import HotlineImportDialog
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell
from wuye_desktop.ui.statistics_page import StatisticsPage


@pytest.fixture
def answers() -> Iterator[list[tuple[str, str, str]]]:
    seen: list[tuple[str, str, str]] = []

    def respond(kind: str, title: str, text: str) -> bool:
        seen.append((kind, title, text))
        return True

    msgbox.responder = respond
    yield seen
    msgbox.responder = None


@pytest.fixture
def runner() -> Iterator[Runner]:
    """The background runner; the test ends only when its jobs have, before the register is closed."""
    shared = Runner()
    yield shared
    assert shared.wait_all(30_000)


def _page(qtbot, ctx: Context, runner: Runner) -> StatisticsPage:  # type: ignore[no-untyped-def]
    page = StatisticsPage(Shell(ctx, ChangeBus(), runner, "测试数据库"))
    qtbot.addWidget(page)
    page.resize(1200, 860)
    return page


def _shot(widget, tmp_path: Path, name: str) -> Path:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    assert widget.grab().save(str(path))
    assert path.stat().st_size > 20_000
    return path


def test_the_page_shows_a_months_figures_trend_and_busiest_places(qtbot, ctx: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                  answers, runner) -> None:
    demo.generate(ctx, 500, seed=5)
    page = _page(qtbot, ctx, runner)
    page.set_period(statistics.month(2026, 10))
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None and not page.loading, timeout=10_000)
    expected = statistics.overview(ctx, statistics.month(2026, 10))
    accepted = next(line for line in expected.lines if line.label == "受理纠纷")
    assert page.cards.values["受理纠纷"].text() == str(accepted.current)
    assert page.cards.changes["受理纠纷"].text().startswith(f"较上期 {accepted.current - accepted.previous:+d}")
    assert f"{expected.unit}　2026年10月</b>" in page.period_label.text()
    assert "对比上期 2026年9月、去年同期 2025年10月" in page.period_label.text()
    chart = page.chart.chart()
    assert chart.series() and page.chart.trend is not None and len(page.chart.trend.months) == 12
    assert page.estates.rowCount() > 0 and page.companies.rowCount() > 0
    assert page.estates.row_at(0).registered >= page.estates.row_at(page.estates.rowCount() - 1).registered
    assert "四色评级规则" in page.rules.text()
    _shot(page, tmp_path, "statistics.png")

    page.set_period(statistics.quarter(2026, 3))
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.period.kind == "quarter"
                    and not page.loading, timeout=10_000)
    assert page.number.value() == 3 and page.number.suffix() == " 季度"
    assert not answers


def test_export_writes_the_workbook_behind_a_progress_dialog(qtbot, ctx: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                              answers, runner) -> None:
    demo.generate(ctx, 200, seed=6)
    page = _page(qtbot, ctx, runner)
    page.set_period(statistics.month(2026, 10))
    target = tmp_path / "十月月报"
    page.choose_save_path = lambda _title, suggested: str(target) if suggested.endswith("统计表.xlsx") else ""
    page.export_button.click()
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=15_000)
    assert page.last_export.path == (tmp_path / "十月月报.xlsx").resolve()
    assert openpyxl.load_workbook(page.last_export.path).sheetnames[0] == "汇总"
    assert answers[-1][:2] == ("info", "统计表已保存")


def test_a_viewer_may_look_and_export_masked_but_not_import(qtbot, ctx: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             answers, runner) -> None:
    demo.generate(ctx, 100, seed=8)
    viewer = dataclasses.replace(ctx, user=User("李主任", Role.VIEWER))
    page = _page(qtbot, viewer, runner)
    assert page.export_button.isEnabled() and not page.import_button.isEnabled()
    assert not page.replies_button.isEnabled()
    page.export_to(str(tmp_path / "m.xlsx"))
    qtbot.waitUntil(lambda: page.last_export is not None, timeout=15_000)
    assert page.last_export.masked and "已部分隐藏" in answers[-1][2]


def test_import_dialog_checks_shows_the_report_and_imports(qtbot, ctx: Context, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           answers, runner) -> None:
    demo.generate(ctx, 50, seed=9)
    page = _page(qtbot, ctx, runner)
    page.set_period(statistics.month(2026, 10))
    page.show()
    qtbot.waitUntil(lambda: page.overview is not None and not page.loading, timeout=10_000)
    before = page.overview.current.registered
    page.open_import_dialog()
    dialog: HotlineImportDialog = page.import_dialog
    dialog.resize(1000, 760)
    dialog.load(str(samples.messy_xlsx(tmp_path / "工单.xlsx")))
    qtbot.waitUntil(lambda: dialog.table is not None, timeout=10_000)
    assert dialog.combos["received_at"].currentText() == "E列：来电时间(必填)"
    assert dialog.combos["order_no"].currentText() == "B列：*工单号"
    assert "表头在第 3 行" in dialog.file_info.text()
    assert not dialog.import_button.isEnabled()

    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert dialog.problems.rowCount() == 9 and dialog.import_button.isEnabled()
    assert dialog.problems.data(dialog.problems.index(0, 0)) == "第9行"
    assert "可导入 5 行" in dialog.summary.text() and "尚未写入" in dialog.summary.text()
    _shot(dialog, tmp_path, "hotline_import.png")

    dialog.set_column("content", None)  # a wrong correction blocks the import until it is checked again
    assert not dialog.import_button.isEnabled()
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert dialog.report.fatal and not dialog.import_button.isEnabled()
    dialog.set_column("content", 8)
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.report is not None and not dialog.report.fatal, timeout=10_000)

    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=15_000)
    assert dialog.outcome.imported == 5
    assert answers[0][0] == "confirm" and answers[-1][:2] == ("info", "导入完成")
    qtbot.waitUntil(lambda: page.overview is not None and page.overview.current.registered == before + 5,
                    timeout=10_000)
