"""Pieces of the 统计 page: the figure cards, the monthly trend chart, the busiest estates and companies."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QStackedBarSeries, QValueAxis
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from wuye_desktop.services.statistics.report import CompanyRow, GroupRow, SummaryLine, Trend
from wuye_desktop.services.statistics.summary import Value
from wuye_desktop.ui.rows_model import Column

CARDS = ("受理纠纷", "调解成功", "成功率", "调解终止", "期末在调", "协议涉及金额", "回访", "已履行")
GRADE_COLOURS = {"绿色": "#2e7d32", "蓝色": "#1565c0", "黄色": "#b8860b", "红色": "#c62828"}
SERIES_COLOURS = ("#4472c4", "#ed7d31", "#a5a5a5", "#ffc000", "#5b9bd5")


def figure_text(line: SummaryLine, value: Value) -> str:
    if value is None:
        return "—"
    if line.kind == "rate":
        return f"{float(value):.1%}"
    if line.kind == "amount":
        return f"{Decimal(str(value)):,.2f}"
    return str(value)


def change_text(line: SummaryLine, other: Value, name: str) -> str:
    diff = line.change(other)
    if diff is None:
        return f"{name} —"
    if line.kind == "rate":
        return f"{name} {float(diff) * 100:+.1f}个百分点"
    if line.kind == "amount":
        return f"{name} {Decimal(str(diff)):+,.2f}"
    return f"{name} {int(diff):+d}"


class FigureCards(QWidget):
    """Eight numbers a clerk checks first, each with its change on the period before and last year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(8)
        self.values: dict[str, QLabel] = {}
        self.changes: dict[str, QLabel] = {}
        big = QFont(self.font())
        big.setPointSizeF(self.font().pointSizeF() * 1.9)
        big.setBold(True)
        for index, name in enumerate(CARDS):
            card = QFrame()
            card.setFrameShape(QFrame.Shape.StyledPanel)
            card.setObjectName("figureCard")
            inner = QVBoxLayout(card)
            inner.setSpacing(2)
            title = QLabel(name + ("（万元）" if name == "协议涉及金额" else ""))
            value = QLabel("—")
            value.setFont(big)
            change = QLabel("")
            change.setStyleSheet("color: #555;")
            for label in (title, value, change):
                inner.addWidget(label)
            self.values[name], self.changes[name] = value, change
            grid.addWidget(card, index // 4, index % 4)

    def show_lines(self, lines: list[SummaryLine]) -> None:
        by_label = {line.label: line for line in lines if line.level == 0 and line.kind != "heading"}
        for name in CARDS:
            line = by_label[name]
            self.values[name].setText(figure_text(line, line.current))
            self.changes[name].setText(f"{change_text(line, line.previous, '较上期')}　"
                                       f"{change_text(line, line.last_year, '较去年同期')}")


class TrendChart(QChartView):
    """Cases registered per month, stacked by official type."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(260)
        self.trend: Trend | None = None
        self.show_trend(Trend([]))

    def show_trend(self, trend: Trend) -> None:
        self.trend = trend
        chart = QChart()
        chart.setTitle("登记案件月度走势（按纠纷类型）")
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        series = QStackedBarSeries()
        for index, (name, counts) in enumerate(trend.series):
            bars = QBarSet(name)
            bars.setColor(QColor(SERIES_COLOURS[index % len(SERIES_COLOURS)]))
            bars.append([float(c) for c in counts])
            series.append(bars)
        chart.addSeries(series)
        months = QBarCategoryAxis()
        months.append([f"{y % 100}年{m}月" if m == 1 or i == 0 else f"{m}月"
                       for i, (y, m) in enumerate(trend.months)])
        chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
        counts_axis = QValueAxis()
        top = max((sum(c[i] for _n, c in trend.series) for i in range(len(trend.months))), default=0)
        counts_axis.setRange(0, max(top, 4))
        counts_axis.applyNiceNumbers()  # 0, 20, 40 … rather than 0, 32, 65 …
        counts_axis.setLabelFormat("%d")
        chart.addAxis(counts_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(months)
        series.attachAxis(counts_axis)
        old = self.chart()
        self.setChart(chart)
        if old is not None:
            old.deleteLater()


def _rate(row: GroupRow) -> str:
    return f"{row.success_rate:.0%}" if row.success_rate is not None else "—"


ESTATE_COLUMNS: tuple[Column[GroupRow], ...] = (
    Column("小区", lambda r: r.name),
    Column("登记", lambda r: str(r.registered), align_right=True),
    Column("受理", lambda r: str(r.accepted), align_right=True),
    Column("成功率", _rate, align_right=True),
)
COMPANY_COLUMNS: tuple[Column[CompanyRow], ...] = (
    Column("物业企业", lambda r: r.name),
    Column("登记", lambda r: str(r.registered), align_right=True),
    Column("成功率", _rate, align_right=True),
    Column("四色评级", lambda r: r.grade.label if r.grade else "",
           colour=lambda r: GRADE_COLOURS.get(r.grade.label) if r.grade else None,
           tooltip=lambda r: f"统计窗口内纠纷 {r.grade_disputes} 件，未化解 {r.grade_failed} 件"),
)
