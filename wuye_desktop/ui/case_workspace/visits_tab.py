"""回访: following up whether the agreement is being performed (Art. 31)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from wuye_desktop.models.enums import CaseStatus, Performance, Satisfaction
from wuye_desktop.services import casework
from wuye_desktop.services.cases.dto import CaseDetail, VisitInput
from wuye_desktop.services.casework import agreements
from wuye_desktop.services.casework.views import VisitView
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload, Workspace
from wuye_desktop.ui.forms import FieldErrors, date_edit, date_text, enum_combo, shown_date, text_box
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, table_view

_VISITABLE = (CaseStatus.AGREED, CaseStatus.CLOSED)


class VisitsTab(CaseTab):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.model: RowsModel[VisitView] = RowsModel([
            Column(self.tr("回访日期"), lambda v: shown_date(v.visited_on))
            , Column(self.tr("回访人"), lambda v: v.visitor),
            Column(self.tr("方式"), lambda v: v.method), Column(self.tr("履行情况"), lambda v: v.performance.label),
            Column(self.tr("满意度"), lambda v: v.satisfaction.label if v.satisfaction else ""),
            Column(self.tr("是否起诉"), lambda v: self.tr("是") if v.lawsuit else self.tr("否")),
            Column(self.tr("采取的措施"), lambda v: v.measures),
        ], self)
        self.table = table_view(self.model)
        fit_columns(self.table, (6, 5, 3, 5, 5, 4, 14))

        self.errors = FieldErrors()
        self.visited_on = date_edit(self.ctx.today())
        self.visitor = QLineEdit(self.ctx.actor)
        self.method = QComboBox()
        self.method.setEditable(True)
        self.method.addItems([self.tr("电话"), self.tr("上门"), self.tr("约见")])
        self.visited_parties = QLineEdit(placeholderText=self.tr("回访了哪些当事人"))
        self.performance = enum_combo(Performance, Performance.PERFORMED)
        self.satisfaction = enum_combo(Satisfaction, Satisfaction.SATISFIED, empty=self.tr("未了解"))
        self.lawsuit = QCheckBox(self.tr("当事人已向法院起诉"))
        self.measures = QLineEdit(placeholderText=self.tr("未履行时采取的措施，例如 督促履行"))
        self.notes = text_box(2, self)
        self.record_button = QPushButton(self.tr("登记回访"))

        box = QGroupBox(self.tr("登记一次回访"))
        grid = QGridLayout(box)
        pairs = (("visited_on", self.tr("回访日期"), self.visited_on), ("visitor", self.tr("回访人"), self.visitor),
                 ("method", self.tr("方式"), self.method)
                 , ("visited_parties", self.tr("回访对象"), self.visited_parties),
                 ("performance", self.tr("履行情况"), self.performance),
                 ("satisfaction", self.tr("满意度"), self.satisfaction),
                 ("measures", self.tr("采取的措施"), self.measures))
        self.errors.add_pairs(grid, pairs)
        grid.addWidget(self.lawsuit, 3, 3)
        grid.addWidget(QLabel(self.tr("备注")), 4, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.errors.add("notes", self.notes), 4, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.errors.general, 1)
        buttons.addWidget(self.record_button)
        grid.addLayout(buttons, 5, 0, 1, 4)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.record_button.clicked.connect(self.record)

    def load(self, detail: CaseDetail, why: Reload) -> None:
        self.model.set_rows(casework.visits(self.ctx, self.case_id))
        allowed = detail.status in _VISITABLE
        self.record_button.setEnabled(allowed and self.may(Permission.MEDIATE))
        self.record_button.setToolTip("" if allowed else self.tr("达成协议后才能登记回访"))
        if why is Reload.RESET:
            self._clear()

    def _clear(self) -> None:
        self.visited_parties.clear()
        self.measures.clear()
        self.notes.clear()
        self.lawsuit.setChecked(False)
        self.errors.clear()

    def dirty(self) -> bool:
        return bool(self.measures.text().strip() or self.notes.toPlainText().strip())

    def value(self) -> VisitInput:
        return VisitInput(
            visited_on=date_text(self.visited_on), visitor=self.visitor.text(),
            performance=self.performance.currentData(), satisfaction=self.satisfaction.currentData(),
            method=self.method.currentText(), visited_parties=self.visited_parties.text(),
            lawsuit=self.lawsuit.isChecked(), measures=self.measures.text(), notes=self.notes.toPlainText(),
        )

    def record(self) -> bool:
        visit = self.value()
        ok, _ = self.workspace.write(self.tr("无法登记回访"),
                                     lambda: agreements.record_visit(self.ctx, self.case_id, visit), errors=self.errors)
        if ok:
            self._clear()
        return ok

    def save(self) -> bool:
        return self.record_button.isEnabled() and self.record()
