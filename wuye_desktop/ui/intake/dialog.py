"""登记纠纷: the registration form, with a warning about related open cases before saving."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import CaseSource, OfficialType, PartyKind, PartyRole, RiskColour
from wuye_desktop.services import cases, reference
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases.dto import CaseDraft, CaseRef
from wuye_desktop.services.cases.listing import RelatedCase
from wuye_desktop.services.reference import lists, places
from wuye_desktop.ui import msgbox, prefs
from wuye_desktop.ui.forms import (
    FieldErrors,
    attempt,
    chain_tab_order,
    choice_combo,
    date_edit,
    date_text,
    enum_combo,
    fill_choices,
    shown_date,
    tr,
)
from wuye_desktop.ui.intake.party_card import PartyCard
from wuye_desktop.ui.rows_model import Column, RowsModel
from wuye_desktop.ui.shell import Shell

PREFS_KEY = "intake"


def related_columns() -> list[Column[RelatedCase]]:
    return [
        Column(tr("关联原因"), lambda r: r.reason),
        Column(tr("编号"), lambda r: r.row.number),
        Column(tr("登记日期"), lambda r: shown_date(r.row.registered_on)),
        Column(tr("小区"), lambda r: r.row.estate),
        Column(tr("当事人"), lambda r: r.row.parties),
        Column(tr("状态"), lambda r: r.row.status.label),
    ]


class IntakeDialog(QDialog):
    """Shown without blocking the register, so a clerk can look something up while typing."""

    registered = Signal(int)
    open_case_requested = Signal(int)

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self._ctx = shell.ctx
        self._saved = False
        self.setWindowTitle(self.tr("登记纠纷"))
        self.setModal(False)
        self.errors = FieldErrors()
        self.cards: list[PartyCard] = []

        self.registered_on = date_edit(self._ctx.today())
        self.source = enum_combo(CaseSource, CaseSource.APPLICATION)
        self.source_ref = QLineEdit()
        self.source_ref_label = QLabel()
        self.official_type = enum_combo(OfficialType, OfficialType.PROPERTY)
        self.subtype = choice_combo(reference.subtypes(self._ctx), self.tr("（请选择）"))
        self.estate = choice_combo(reference.estates(self._ctx), self.tr("（未选）"))
        self.building = QComboBox()
        self.building.addItem(self.tr("（未选）"), None)
        self.company = QComboBox()
        self.risk = enum_combo(RiskColour, RiskColour.YELLOW)
        self.amount = QLineEdit(placeholderText=self.tr("元，可不填"))
        self.people_count = QLineEdit(placeholderText=self.tr("默认按当事人人数"))
        self.summary = QLineEdit(placeholderText=self.tr("一句话说明纠纷，例如：楼上卫生间漏水致楼下天花板受损"))
        self.facts = QPlainTextEdit()
        self.facts.setPlaceholderText(self.tr("纠纷经过、各方诉求（可稍后补充）"))
        self.facts.setTabChangesFocus(True)
        self._fill_companies()

        self.parties_box = QVBoxLayout()
        self.related_model: RowsModel[RelatedCase] = RowsModel(related_columns(), self)
        self.related_table = QTableView()
        self.related_box = self._related_group()
        self.related_box.hide()

        self.save_button = QPushButton(self.tr("保存登记"))
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.check_button = QPushButton(self.tr("查找相关案件"))
        self.cancel_button = QPushButton(self.tr("取消"))
        self._build()

        self.add_party(PartyKind.PERSON, PartyRole.APPLICANT)
        self.add_party(PartyKind.PERSON, PartyRole.RESPONDENT)
        self.source.currentIndexChanged.connect(self._source_changed)
        self.estate.currentIndexChanged.connect(self._estate_changed)
        self.save_button.clicked.connect(self.save)
        self.check_button.clicked.connect(self.check_related)
        self.cancel_button.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self._source_changed()
        if not prefs.restore_geometry(self, PREFS_KEY):
            char = self.fontMetrics().horizontalAdvance("中")
            self.resize(char * 70, self.fontMetrics().height() * 44)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        case_box = QGroupBox(self.tr("纠纷信息"))
        grid = QGridLayout(case_box)
        fields: tuple[tuple[str, str | QLabel, QWidget], ...] = (
            ("registered_on", self.tr("登记日期"), self.registered_on), ("source", self.tr("来源"), self.source),
            ("source_ref", self.source_ref_label, self.source_ref),
            ("official_type", self.tr("纠纷类型"), self.official_type),
            ("subtype_id", self.tr("纠纷小类"), self.subtype), ("risk", self.tr("风险等级"), self.risk),
            ("estate_id", self.tr("小区"), self.estate), ("building_id", self.tr("楼栋"), self.building),
            ("property_company_id", self.tr("物业企业"), self.company), ("amount", self.tr("涉及金额"), self.amount),
            ("people_count", self.tr("涉及人数"), self.people_count),
        )
        row = self.errors.add_pairs(grid, fields)
        summary_label = QLabel(self.tr("简要案情"))
        summary_label.setBuddy(self.summary)
        grid.addWidget(summary_label, row, 0)
        grid.addWidget(self.errors.add("summary", self.summary), row, 1, 1, 3)
        grid.addWidget(QLabel(self.tr("纠纷事实")), row + 1, 0, Qt.AlignmentFlag.AlignTop)
        self.facts.setMinimumHeight(self.fontMetrics().height() * 4)
        self.facts.setMaximumHeight(self.fontMetrics().height() * 7)
        grid.addWidget(self.errors.add("facts", self.facts), row + 1, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        party_box = QGroupBox(self.tr("当事人"))
        party_layout = QVBoxLayout(party_box)
        party_layout.addLayout(self.parties_box)
        adders = QHBoxLayout()
        self._adders: list[QPushButton] = []
        for kind, text in ((PartyKind.PERSON, self.tr("添加自然人")), (PartyKind.COMPANY, self.tr("添加企业/单位")),
                           (PartyKind.OWNERS_COMMITTEE, self.tr("添加业主委员会"))):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, k=kind: self.add_party(k, PartyRole.RESPONDENT))
            adders.addWidget(button)
            self._adders.append(button)
        adders.addStretch(1)
        party_layout.addLayout(adders)

        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.addWidget(self.errors.general)
        body_layout.addWidget(case_box)
        body_layout.addWidget(party_box)
        body_layout.addWidget(self.related_box)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # no Tab stop of its own: a field Tab reaches scrolls into view
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.scroll_area = scroll

        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._case_fields = [*(widget for _key, _label, widget in fields), self.summary, self.facts]  # see _chain_tabs

    def _related_group(self) -> QGroupBox:
        box = QGroupBox(self.tr("相关的未结案件（同一当事人、同一楼栋或同一物业企业）"))
        table = self.related_table
        table.setModel(self.related_model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        table.setMinimumHeight(self.fontMetrics().height() * 8)
        table.doubleClicked.connect(lambda index: self._open_related(index.row()))
        open_button = self._open_related_button = QPushButton(self.tr("打开所选案件"))
        open_button.clicked.connect(lambda: self._open_related(table.currentIndex().row()))
        layout = QVBoxLayout(box)
        layout.addWidget(table)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(open_button)
        layout.addLayout(row)
        return box

    # -- behaviour ---------------------------------------------------------------------------

    def _source_changed(self) -> None:
        hotline = self.source.currentData() is CaseSource.HOTLINE
        self.source_ref_label.setText(self.tr("12345工单编号") if hotline else self.tr("来源编号"))
        self.source_ref.setPlaceholderText(self.tr("工单上的编号") if hotline else self.tr("转办文号等，可不填"))

    def _estate_changed(self) -> None:
        estate_id = self.estate.currentData()
        fill_choices(self.building, reference.buildings(self._ctx, estate_id) if estate_id else [], self.tr("（未选）"))
        for card in self.cards:  # parties usually live in the estate of the dispute
            if card.estate.currentData() is None and estate_id is not None:
                card.estate.setCurrentIndex(card.estate.findData(estate_id))

    def _fill_companies(self) -> None:
        active = lists.companies(self._ctx, include_inactive=False)
        fill_choices(self.company, active, self.tr("（按小区自动）"))

    def add_party(self, kind: PartyKind = PartyKind.PERSON, role: PartyRole = PartyRole.RESPONDENT) -> PartyCard:
        card = PartyCard(self._ctx, kind, role, index=len(self.cards))
        card.remove_requested.connect(self._remove_party)
        if self.estate.currentData() is not None:
            card.estate.setCurrentIndex(card.estate.findData(self.estate.currentData()))
        self.cards.append(card)
        self.parties_box.addWidget(card)
        self._update_removable()
        self._chain_tabs()
        return card

    def _chain_tabs(self) -> None:
        """Tab in reading order: the case, each party, then the buttons.

        Again after each party added: a card joins the window last, and Qt would put it after the buttons.
        """
        chain_tab_order([*self._case_fields, *(widget for card in self.cards for widget in card.tab_chain),
                         *self._adders, self.related_table, self._open_related_button,
                         self.check_button, self.cancel_button, self.save_button])

    def _remove_party(self, card: PartyCard) -> None:
        self.cards.remove(card)
        card.deleteLater()
        for index, other in enumerate(self.cards):
            other.set_index(index)
        self._update_removable()

    def _update_removable(self) -> None:
        for card in self.cards:
            card.remove_button.setVisible(len(self.cards) > 1)

    def draft(self) -> CaseDraft:
        return CaseDraft(
            summary=self.summary.text(), parties=[card.value() for card in self.cards],
            source=self.source.currentData(), source_ref=self.source_ref.text(),
            official_type=self.official_type.currentData(), subtype_id=self.subtype.currentData(),
            estate_id=self.estate.currentData(), building_id=self.building.currentData(),
            property_company_id=self.company.currentData(), facts=self.facts.toPlainText(),
            risk=self.risk.currentData(), registered_on=date_text(self.registered_on),
            amount=self.amount.text(), people_count=self.people_count.text(), registrar=self._ctx.actor,
        )

    def _related(self, draft: CaseDraft) -> list[RelatedCase]:
        ids = []
        for party in draft.parties:
            number = "".join(party.id_number.split()).upper()
            if number:
                ids.append(number)
        company = draft.property_company_id or places.estate_company(self._ctx, draft.estate_id)
        return register.related_open(self._ctx, id_numbers=ids, names=[p.name.strip() for p in draft.parties],
                                     building_id=draft.building_id, property_company_id=company)

    def check_related(self) -> list[RelatedCase]:
        found = self._related(self.draft())
        self.related_model.set_rows(found)
        self.related_box.setVisible(bool(found))
        if found:
            self.related_table.resizeColumnsToContents()  # a handful of rows at most
            self.scroll_area.ensureWidgetVisible(self.related_box)
        return found

    def _open_related(self, row: int) -> None:
        if 0 <= row < self.related_model.rowCount():
            self.open_case_requested.emit(self.related_model.row_at(row).row.id)

    def show_errors(self, errors: dict[str, str]) -> None:
        by_card: dict[int, dict[str, str]] = {}
        own: dict[str, str] = {}
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] == "parties" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(self.cards):
                by_card.setdefault(int(parts[1]), {})[parts[2]] = message
            else:
                own[key] = message
        self.errors.clear()
        for card in self.cards:
            card.errors.clear()
        for index, card_errors in by_card.items():
            self.cards[index].show_errors(card_errors)
        if own:
            self.errors.show(own)
        first = next(iter(by_card), None)
        if not own and first is not None:
            self.scroll_area.ensureWidgetVisible(self.cards[first])

    def save(self) -> CaseRef | None:
        draft = self.draft()
        related = self.check_related()
        if related and not msgbox.confirm(
                self, self.tr("发现相关的未结案件"),
                self.tr("发现 {0} 件相关的未结案件（列在表单下方，可双击打开查看）。\n\n仍要登记这件新纠纷吗？")
                .format(len(related))):
            return None
        ok, ref = attempt(self, self.tr("无法登记"), lambda: cases.register(self._ctx, draft),
                          on_invalid=self.show_errors)
        if not ok or ref is None:
            return None
        self._saved = True
        self.registered.emit(ref.id)
        msgbox.info(self, self.tr("登记成功"), self.tr("已登记，案件编号：{0}").format(ref.number))
        self.close()
        return ref

    def has_input(self) -> bool:
        return bool(self.summary.text().strip() or self.facts.toPlainText().strip()
                    or any(card.has_input() for card in self.cards))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._saved and self.has_input() and not msgbox.confirm(
                self, self.tr("放弃登记"), self.tr("已填写的内容尚未保存，确定要关闭吗？")):
            event.ignore()
            return
        prefs.save_geometry(self, PREFS_KEY)
        super().closeEvent(event)
