"""当事人: the parties of the case, masked by default; corrected, added or removed one at a time."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout

from wuye_desktop.models.enums import CaseStatus, PartyKind, PartyRole
from wuye_desktop.services import cases, casework
from wuye_desktop.services.cases import editing as case_edit
from wuye_desktop.services.cases.dto import CaseDetail, PartyView
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload, Workspace
from wuye_desktop.ui.forms import attempt
from wuye_desktop.ui.intake.party_card import PartyCard
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, selected_row, table_view


class PartiesTab(CaseTab):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.editing: PartyView | None = None
        self.base_version = 0
        self.model: RowsModel[PartyView] = RowsModel(self._columns(), self)
        self.table = table_view(self.model)
        fit_columns(self.table, (5, 6, 8, 3, 3, 9, 12, 16))
        self.add_button = QPushButton(self.tr("新增当事人"))
        self.edit_button = QPushButton(self.tr("修改所选"))
        self.remove_button = QPushButton(self.tr("移除所选"))
        self.reveal_button = QPushButton(self.tr("显示完整号码"))
        self.reveal_button.setToolTip(self.tr("显示完整的电话和身份证号；此操作会记入审计记录"))
        self.reveal_button.setEnabled(self.may(Permission.REVEAL_PERSONAL))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reveal_button)

        self.card = PartyCard(self.ctx, removable=False)
        self.save_button = QPushButton(self.tr("保存当事人"))
        self.cancel_button = QPushButton(self.tr("取消"))
        self.editor = QGroupBox()
        editor_layout = QVBoxLayout(self.editor)
        editor_layout.addWidget(self.card)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        editor_layout.addLayout(row)
        self.editor.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.editor)

        self.add_button.clicked.connect(self.start_add)
        self.edit_button.clicked.connect(lambda: self.start_edit(selected_row(self.table)))
        self.table.doubleClicked.connect(lambda index: self.start_edit(index.row()))
        self.remove_button.clicked.connect(self.remove_selected)
        self.reveal_button.clicked.connect(self.reveal)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.stop_editing)

    def _columns(self) -> list[Column[PartyView]]:
        # cases.get masks phone, ID number and address; "显示完整号码" fetches them revealed (audited).
        return [
            Column(self.tr("身份"), lambda p: p.role.label), Column(self.tr("类别"), lambda p: p.kind.label),
            Column(self.tr("姓名/名称"), lambda p: p.name), Column(self.tr("性别"), lambda p: p.gender),
            Column(self.tr("年龄"), self._age),
            Column(self.tr("联系电话"), lambda p: p.phone), Column(self.tr("证件号码"), lambda p: p.id_number),
            Column(self.tr("单位或住址"), lambda p: p.address),
        ]

    def _age(self, party: PartyView) -> str:
        if party.age is not None:
            return str(party.age)
        born, today = party.birth_date, self.ctx.today()
        if born is None:
            return ""
        return str(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))

    def load(self, detail: CaseDetail, why: Reload) -> None:
        self.model.set_rows(detail.parties)  # masked: shown in full only on purpose, and again after each change
        editable = detail.status is not CaseStatus.CLOSED and self.may(Permission.REGISTER_CASES)
        for button in (self.add_button, self.edit_button, self.remove_button, self.save_button):
            button.setEnabled(editable)
        if self.editor.isVisible() and why is not Reload.RESET:
            if why is Reload.OWN:
                self.base_version = detail.version
            return
        self.stop_editing()

    def dirty(self) -> bool:
        return self.editor.isVisible() and self.card.has_input()

    def start_add(self) -> None:
        self.editing = None
        self.card.load(PartyView(0, PartyRole.RESPONDENT, PartyKind.PERSON, "", "", "", None, None, "", "", "", "",
                                 "", "", ""))
        self._open_editor(self.tr("新增当事人"))

    def start_edit(self, row: int) -> None:
        if row < 0 or not self.edit_button.isEnabled():
            return
        shown = self.model.row_at(row)
        # The form needs the real phone and ID number, or saving would write the masked ones back.
        ok, party = attempt(self, self.tr("无法修改当事人"),
                            lambda: cases.reveal(self.ctx, self.case_id, shown.party_id))
        if not ok or party is None:
            return
        place = casework.party_places(self.ctx, self.case_id).get(party.party_id)
        self.editing = party
        self.card.load(party, place.estate_id if place else None, place.building_id if place else None,
                       place.room if place else "")
        self._open_editor(self.tr("修改当事人：{0}").format(party.name))

    def _open_editor(self, title: str) -> None:
        self.base_version = self.workspace.detail.version
        self.editor.setTitle(title)
        self.editor.show()
        self.card.focus_name()

    def stop_editing(self) -> None:
        self.editing = None
        self.editor.hide()

    def save(self) -> bool:
        if not self.editor.isVisible():
            return False
        value, version, editing = self.card.value(), self.base_version, self.editing
        ids = [p.party_id for p in self.model.rows]
        index = len(ids) if editing is None else ids.index(editing.party_id)
        if editing is None:
            def call() -> int:
                return case_edit.add_party(self.ctx, self.case_id, value, version, index=index)
        else:
            also = self._also_in_other_cases(editing.party_id, value.name)

            def call() -> int:
                return case_edit.update_party(self.ctx, self.case_id, editing.party_id, value, version, index=index,
                                              also_cases=also)
        ok, _ = self.workspace.write(self.tr("无法保存当事人"), call,
                                     on_invalid=lambda errors: self.card.show_errors(
                                         {k.rsplit(".", 1)[-1]: m for k, m in errors.items()}))
        if ok:
            self.stop_editing()
        return ok

    def _also_in_other_cases(self, party_id: int, name: str) -> list[int]:
        """Offer the correction for the other cases this person appears in; none is changed unasked."""
        ok, others = attempt(self, self.tr("无法保存当事人"),
                             lambda: case_edit.same_person(self.ctx, self.case_id, party_id))
        if not ok or not others:
            return []
        open_ones = [o for o in others if o.status is not CaseStatus.CLOSED]
        closed = len(others) - len(open_ones)
        if not open_ones:
            return []
        numbers = "、".join(o.number for o in open_ones[:5]) + ("等" if len(open_ones) > 5 else "")
        text = self.tr("{0} 还是另外 {1} 件未结案件的当事人：{2}。\n\n是否把这次修改也用到这些案件？"
                       "选“否”则只改本案，其他案件保留原来登记的信息。").format(name, len(open_ones), numbers)
        if closed:
            text += self.tr("\n（另有 {0} 件已结案归档的案件不会改动。）").format(closed)
        if msgbox.confirm(self, self.tr("其他案件中的同一当事人"), text):
            return [o.case_id for o in open_ones]
        return []

    def remove_selected(self) -> None:
        row = selected_row(self.table)
        if row < 0:
            return
        party = self.model.row_at(row)
        if not msgbox.confirm(self, self.tr("移除当事人"), self.tr("确定把 {0} 从本案中移除吗？").format(party.name)):
            return
        version = self.workspace.detail.version
        self.workspace.write(self.tr("无法移除当事人"),
                             lambda: case_edit.remove_party(self.ctx, self.case_id, party.party_id, version))

    def reveal(self) -> None:
        ok, detail = attempt(self, self.tr("无法显示"), lambda: cases.get(self.ctx, self.case_id, reveal=True))
        if ok and detail is not None:
            self.model.set_rows(detail.parties)
