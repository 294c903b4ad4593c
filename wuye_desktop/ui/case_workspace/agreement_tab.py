"""协议: draft the agreement clause by clause, sign it (the 30-day judicial clock starts), follow the court."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import AgreementKind, AgreementStatus, CaseStatus, JudicialStatus
from wuye_desktop.services.cases.dto import AgreementDraft, CaseDetail
from wuye_desktop.services.casework import agreements
from wuye_desktop.services.casework import drafts as agreement_drafts
from wuye_desktop.services.casework.views import AgreementView
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload, Workspace
from wuye_desktop.ui.forms import FieldErrors, date_edit, date_text, enum_combo, select_data, shown_date, text_box
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, table_view

_DRAFTABLE = (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


class AgreementTab(CaseTab):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.editing: AgreementView | None = None
        self._snapshot: AgreementDraft | None = None
        self.model: RowsModel[AgreementView] = RowsModel([
            Column(self.tr("编号"), lambda a: a.number or self.tr("（草稿，签署时编号）")),
            Column(self.tr("状态"), lambda a: a.status.label), Column(self.tr("形式"), lambda a: a.kind.label),
            Column(self.tr("签署日期"), lambda a: shown_date(a.signed_on)),
            Column(self.tr("司法确认"), lambda a: a.judicial_status.label if a.signed_on else ""),
            Column(self.tr("确认申请截止"), lambda a: shown_date(a.judicial_deadline)),
        ], self)
        self.table = table_view(self.model)
        fit_columns(self.table, (16, 4, 5, 6, 5, 7))
        self.table.clicked.connect(lambda index: self.show_agreement(self.model.row_at(index.row())))

        self.errors = FieldErrors()
        self.kind = enum_combo(AgreementKind, AgreementKind.WRITTEN)
        self.facts = text_box(3, self)
        self.facts.setPlaceholderText(self.tr("纠纷主要事实、争议事项及各方责任"))
        self.clauses = QListWidget()
        self.clauses.setMinimumHeight(self.fontMetrics().height() * 5)
        self.clauses.itemDoubleClicked.connect(self.clauses.editItem)
        self.performance = QLineEdit(placeholderText=self.tr("例如 被申请人于签字当日支付；调委会负责回访"))
        self.performance_deadline = QLineEdit(placeholderText=self.tr("例如 2026-12-31，可不填"))
        self.amount = QLineEdit(placeholderText=self.tr("元，可不填"))
        self.mediator_names = QLineEdit(placeholderText=self.tr("默认：本案调解员"))
        self.recorder = QLineEdit(self.ctx.actor)
        self.clause_buttons = [QPushButton(t) for t in (self.tr("添加条款"), self.tr("删除条款"), self.tr("上移"),
                                                         self.tr("下移"))]
        self.new_button = QPushButton(self.tr("新建协议草稿"))
        self.save_button = QPushButton(self.tr("保存草稿"))
        self.discard_button = QPushButton(self.tr("删除草稿"))
        self.signed_on = date_edit(self.ctx.today())
        self.sign_button = QPushButton(self.tr("签署生效"))
        self.sign_button.setToolTip(self.tr("各方签字、调委会盖章后点此：协议编号，30天司法确认期开始"))
        self.judicial = enum_combo([s for s in JudicialStatus if s is not JudicialStatus.NOT_APPLIED])
        self.judicial_on = date_edit(self.ctx.today())
        self.judicial_button = QPushButton(self.tr("记录司法确认"))

        layout = QVBoxLayout(self)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self._editor())
        splitter.setStretchFactor(1, 3)
        layout.addWidget(splitter)
        self.clause_buttons[0].clicked.connect(lambda: self.add_clause())
        self.clause_buttons[1].clicked.connect(self.remove_clause)
        self.clause_buttons[2].clicked.connect(lambda: self.move_clause(-1))
        self.clause_buttons[3].clicked.connect(lambda: self.move_clause(1))
        self.new_button.clicked.connect(self.new_draft)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.sign_button.clicked.connect(self.sign)
        self.judicial_button.clicked.connect(self.record_judicial)

    def _editor(self) -> QWidget:
        self.box = QGroupBox()
        grid = QGridLayout(self.box)
        grid.addWidget(QLabel(self.tr("协议形式")), 0, 0)
        grid.addWidget(self.kind, 0, 1)
        grid.addWidget(QLabel(self.tr("涉及金额")), 0, 2)
        grid.addWidget(self.errors.add("amount", self.amount), 0, 3)
        grid.addWidget(QLabel(self.tr("事实与争议")), 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.errors.add("facts", self.facts), 1, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("协议条款")), 2, 0, Qt.AlignmentFlag.AlignTop)
        clause_row = QHBoxLayout()
        clause_row.addWidget(self.errors.add("clauses", self.clauses), 1)
        clause_buttons = QVBoxLayout()
        for button in self.clause_buttons:
            clause_buttons.addWidget(button)
        clause_buttons.addStretch(1)
        clause_row.addLayout(clause_buttons)
        grid.addLayout(clause_row, 2, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("履行方式")), 3, 0)
        grid.addWidget(self.errors.add("performance", self.performance), 3, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("履行期限")), 4, 0)
        grid.addWidget(self.errors.add("performance_deadline", self.performance_deadline), 4, 1)
        grid.addWidget(QLabel(self.tr("调解员")), 4, 2)
        grid.addWidget(self.mediator_names, 4, 3)
        grid.addWidget(QLabel(self.tr("记录人")), 5, 0)
        grid.addWidget(self.recorder, 5, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(2, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.errors.general, 1)
        for widget in (self.new_button, self.discard_button, self.save_button, QLabel(self.tr("签署日期")),
                       self.errors.add("signed_on", self.signed_on), self.sign_button):
            actions.addWidget(widget)
        grid.addLayout(actions, 6, 0, 1, 4)
        judicial = QHBoxLayout()
        judicial.addStretch(1)
        for widget in (QLabel(self.tr("司法确认")), self.judicial, QLabel(self.tr("日期")),
                       self.errors.add("on", self.judicial_on), self.judicial_button):
            judicial.addWidget(widget)
        grid.addLayout(judicial, 7, 0, 1, 4)
        return self.box

    # -- showing --------------------------------------------------------------------------------

    def load(self, detail: CaseDetail, why: Reload) -> None:
        rows = self.workspace.agreements
        self.model.set_rows(rows)
        if self.dirty() and why is not Reload.RESET:
            if why is Reload.OWN and self.editing is not None:
                fresh = next((a for a in rows if a.id == self.editing.id), None)
                if fresh is not None:
                    self.editing = fresh
            self._enable()
            return
        current = next((a for a in rows if self.editing and a.id == self.editing.id), None)
        drafts = [a for a in rows if a.status is AgreementStatus.DRAFT]
        chosen = current or (drafts[-1] if drafts else (rows[-1] if rows else None))
        if chosen is None:
            self.new_draft()
        else:
            self.show_agreement(chosen)

    def show_agreement(self, agreement: AgreementView) -> None:
        self.editing = agreement
        self._fill(AgreementDraft(list(agreement.clauses), agreement.kind, agreement.facts, agreement.performance,
                                  shown_date(agreement.performance_deadline),
                                  f"{agreement.amount}" if agreement.amount is not None else "",
                                  agreement.mediator_names, agreement.recorder))
        title = agreement.number or self.tr("协议草稿")
        self.box.setTitle(self.tr("{0}（{1}）").format(title, agreement.status.label))
        select_data(self.judicial, agreement.judicial_status)

    def new_draft(self) -> None:
        self.editing = None
        self._fill(AgreementDraft([], facts=self.workspace.detail.facts))
        self.box.setTitle(self.tr("新的协议草稿"))

    def _fill(self, content: AgreementDraft) -> None:
        select_data(self.kind, content.kind)
        self.facts.setPlainText(content.facts)
        self.clauses.clear()
        for text in content.clauses:
            self._add_item(text)
        self.performance.setText(content.performance)
        self.performance_deadline.setText(content.performance_deadline)
        self.amount.setText(content.amount)
        self.mediator_names.setText(content.mediator_names)
        self.recorder.setText(content.recorder or self.ctx.actor)
        self._snapshot = self.content()
        self.errors.clear()
        self._enable()

    def _enable(self) -> None:
        status = self.workspace.detail.status
        may = self.may(Permission.MEDIATE)
        draft = self.editing is None or self.editing.status is AgreementStatus.DRAFT
        editable = may and draft and status in _DRAFTABLE
        for widget in (self.kind, self.facts, self.performance, self.performance_deadline, self.amount,
                       self.mediator_names, self.recorder, *self.clause_buttons, self.save_button):
            widget.setEnabled(editable)
        self.clauses.setEnabled(True)
        self.new_button.setEnabled(may and status in _DRAFTABLE)
        self.discard_button.setEnabled(editable and self.editing is not None)
        self.sign_button.setEnabled(editable)
        self.signed_on.setEnabled(editable)
        signed = self.editing is not None and self.editing.status is AgreementStatus.SIGNED
        for widget in (self.judicial, self.judicial_on, self.judicial_button):
            widget.setEnabled(may and signed)

    # -- clauses ----------------------------------------------------------------------------------

    def _add_item(self, text: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.clauses.addItem(item)
        return item

    def add_clause(self, text: str = "") -> QListWidgetItem:
        item = self._add_item(text)
        self.clauses.setCurrentItem(item)
        if not text:
            self.clauses.editItem(item)
        return item

    def remove_clause(self) -> None:
        row = self.clauses.currentRow()
        if row >= 0:
            self.clauses.takeItem(row)

    def move_clause(self, offset: int) -> None:
        row = self.clauses.currentRow()
        target = row + offset
        if row < 0 or not 0 <= target < self.clauses.count():
            return
        item = self.clauses.takeItem(row)
        self.clauses.insertItem(target, item)
        self.clauses.setCurrentRow(target)

    def clause_texts(self) -> list[str]:
        return [self.clauses.item(i).text() for i in range(self.clauses.count())]

    # -- saving -----------------------------------------------------------------------------------

    def content(self) -> AgreementDraft:
        return AgreementDraft(self.clause_texts(), self.kind.currentData(), self.facts.toPlainText(),
                              self.performance.text(), self.performance_deadline.text(), self.amount.text(),
                              self.mediator_names.text(), self.recorder.text())

    def dirty(self) -> bool:
        return self.save_button.isEnabled() and self.content() != self._snapshot

    def save(self) -> bool:
        if not self.save_button.isEnabled():
            return False
        content, editing, version = self.content(), self.editing, self.workspace.detail.version
        if editing is None:
            def call() -> int:
                return agreements.draft(self.ctx, self.case_id, content, expected_version=version)
        else:
            def call() -> int:
                agreement_drafts.update_draft(self.ctx, editing.id, content, editing.version)
                return editing.id
        ok, agreement_id = self.workspace.write(self.tr("无法保存协议"), call, errors=self.errors)
        if ok:
            saved = next(a for a in self.workspace.agreements if a.id == agreement_id)
            self.show_agreement(saved)
        return ok

    def discard(self) -> None:
        editing = self.editing
        if editing is None or not msgbox.confirm(self, self.tr("删除草稿"), self.tr("确定删除这份协议草稿吗？")):
            return
        ok, _ = self.workspace.write(self.tr("无法删除草稿"),
                                     lambda: agreement_drafts.discard_draft(self.ctx, editing.id, editing.version))
        if ok:
            self.editing = None
            self.load(self.workspace.detail, Reload.RESET)

    def sign(self) -> bool:
        if (self.dirty() or self.editing is None) and not self.save():
            return False
        editing = self.editing
        assert editing is not None
        day = date_text(self.signed_on)
        if not msgbox.confirm(self, self.tr("签署生效"), self.tr(
                "确认各方已签字（或按指印）、调委会已盖章？\n签署后协议生效并编号，不能再修改；"
                "30天的司法确认申请期从 {0} 起计算。").format(day)):
            return False
        ok, number = self.workspace.write(self.tr("无法签署"),
                                          lambda: agreements.sign(self.ctx, editing.id, day), errors=self.errors)
        if ok:
            fresh = next(a for a in self.workspace.agreements if a.id == editing.id)
            self.show_agreement(fresh)
            msgbox.info(self, self.tr("协议已生效"), self.tr("协议编号：{0}").format(number))
        return ok

    def record_judicial(self) -> None:
        editing = self.editing
        if editing is None:
            return
        status, day = self.judicial.currentData(), date_text(self.judicial_on)
        self.workspace.write(self.tr("无法记录司法确认"),
                             lambda: agreements.record_judicial(self.ctx, editing.id, status, day), errors=self.errors)
