"""One party on the registration form (or the workspace's party editor): person, company or 业委会."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.models.enums import PartyKind, PartyRole
from wuye_desktop.services import reference
from wuye_desktop.services.cases.dto import PartyInput, PartyView
from wuye_desktop.services.context import Context
from wuye_desktop.ui.forms import FieldErrors, chain_tab_order, enum_combo, fill_choices, select_data

PERSON_ONLY = ("gender", "ethnicity", "age", "occupation")
ORGANISATION_ONLY = ("representative", "representative_title")


class PartyCard(QFrame):
    """Every field keeps what was typed; errors appear under the field they concern."""

    remove_requested = Signal(object)
    changed = Signal()

    def __init__(self, ctx: Context, kind: PartyKind = PartyKind.PERSON, role: PartyRole = PartyRole.APPLICANT,
                 index: int = 0, removable: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.errors = FieldErrors()
        self.title = QLabel()
        self.kind = enum_combo(PartyKind, kind)
        self.role = enum_combo(PartyRole, role)
        self.remove_button = QPushButton(self.tr("删除此当事人"))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))

        self.name = QLineEdit()
        self.gender = QComboBox()
        self.gender.addItem(self.tr("（按身份证）"), "")
        self.gender.addItem(self.tr("男"), "男")
        self.gender.addItem(self.tr("女"), "女")
        self.ethnicity = QLineEdit(placeholderText=self.tr("例如 汉族"))
        self.id_number = QLineEdit()
        self.phone = QLineEdit(placeholderText=self.tr("手机或座机"))
        self.age = QLineEdit()
        self.occupation = QLineEdit()
        self.address = QLineEdit()
        self.estate = QComboBox()
        self.building = QComboBox()
        self.room = QLineEdit(placeholderText=self.tr("例如 2单元502室"))
        self.representative = QLineEdit()
        self.representative_title = QLineEdit()
        self.agent_name = QLineEdit()
        fill_choices(self.estate, reference.estates(ctx), self.tr("（未选）"))
        self.building.addItem(self.tr("（未选）"), None)

        self._labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        # Two per row; the person-only and organisation-only fields fill whole rows, so hiding them
        # for the other kind leaves no holes.
        fields = (
            ("name", self.tr("姓名"), self.name), ("id_number", self.tr("身份证号"), self.id_number),
            ("phone", self.tr("联系电话"), self.phone), ("agent_name", self.tr("委托代理人"), self.agent_name),
            ("gender", self.tr("性别"), self.gender), ("ethnicity", self.tr("民族"), self.ethnicity),
            ("age", self.tr("年龄"), self.age), ("occupation", self.tr("职业或职务"), self.occupation),
            ("representative", self.tr("法定代表人"), self.representative),
            ("representative_title", self.tr("职务"), self.representative_title),
            ("address", self.tr("单位或住址"), self.address), ("room", self.tr("单元/房号"), self.room),
            ("estate_id", self.tr("所在小区"), self.estate), ("building_id", self.tr("楼栋"), self.building),
        )
        self._boxes: dict[str, QWidget] = {}
        for position, (key, text, widget) in enumerate(fields):
            row, column = divmod(position, 2)
            label = QLabel(text)
            label.setBuddy(widget)
            self._labels[key] = label
            box = self.errors.add(key, widget)
            self._boxes[key] = box
            grid.addWidget(label, row, column * 2)
            grid.addWidget(box, row, column * 2 + 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(QLabel(self.tr("身份")))
        head.addWidget(self.role)
        head.addWidget(QLabel(self.tr("类别")))
        head.addWidget(self.kind)
        head.addStretch(1)
        head.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(grid)
        layout.addWidget(self.errors.general)
        # Only now are the fields children of this card: Qt orders Tab only between widgets of one window.
        # Removing the party comes last, not between the kind and the name where it sits.
        self.tab_chain: list[QWidget] = [self.role, self.kind, *(widget for _key, _text, widget in fields),
                                         self.remove_button]
        chain_tab_order(self.tab_chain)
        self.remove_button.setVisible(removable)  # once placed: shown before, it would open as a window of its own

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.estate.currentIndexChanged.connect(self._estate_changed)
        for edit in (self.name, self.id_number, self.phone, self.address):
            edit.textChanged.connect(self.changed)
        self.set_index(index)
        self._kind_changed()

    # -- shape ---------------------------------------------------------------------------

    def set_index(self, index: int) -> None:
        self.index = index
        self.title.setText(self.tr("当事人 {0}").format(index + 1))

    def _kind_changed(self) -> None:
        person = self.kind.currentData() is PartyKind.PERSON
        for key in PERSON_ONLY:
            self._labels[key].setVisible(person)
            self._boxes[key].setVisible(person)
        for key in ORGANISATION_ONLY:
            self._labels[key].setVisible(not person)
            self._boxes[key].setVisible(not person)
        self._labels["name"].setText(self.tr("姓名") if person else self.tr("名称"))
        self._labels["id_number"].setText(self.tr("身份证号") if person else self.tr("统一社会信用代码"))
        self._labels["address"].setText(self.tr("住址") if person else self.tr("单位地址"))
        self._labels["representative"].setText(
            self.tr("法定代表人") if self.kind.currentData() is PartyKind.COMPANY else self.tr("负责人"))
        self.id_number.setPlaceholderText(
            self.tr("18位，可不填") if person else self.tr("18位统一社会信用代码，可不填"))

    def _estate_changed(self) -> None:
        estate_id = self.estate.currentData()
        choices = reference.buildings(self._ctx, estate_id) if estate_id is not None else []
        fill_choices(self.building, choices, self.tr("（未选）"))

    # -- values ----------------------------------------------------------------------------

    def value(self) -> PartyInput:
        kind = self.kind.currentData()
        person = kind is PartyKind.PERSON
        return PartyInput(
            name=self.name.text(), role=self.role.currentData(), kind=kind,
            gender=self.gender.currentData() if person else "", ethnicity=self.ethnicity.text() if person else "",
            age=self.age.text() if person else "", occupation=self.occupation.text() if person else "",
            phone=self.phone.text(), id_number=self.id_number.text(), address=self.address.text(),
            representative="" if person else self.representative.text(),
            representative_title="" if person else self.representative_title.text(),
            estate_id=self.estate.currentData(), building_id=self.building.currentData(), room=self.room.text(),
            agent_name=self.agent_name.text(),
        )

    def load(self, party: PartyView, estate_id: int | None = None, building_id: int | None = None,
             room: str = "") -> None:
        select_data(self.kind, party.kind)
        select_data(self.role, party.role)
        self.name.setText(party.name)
        select_data(self.gender, party.gender)
        self.ethnicity.setText(party.ethnicity)
        self.id_number.setText(party.id_number)
        self.phone.setText(party.phone)
        self.age.setText(str(party.age) if party.age is not None else "")
        self.occupation.setText(party.occupation)
        self.address.setText(party.address)
        self.representative.setText(party.representative)
        self.representative_title.setText(party.representative_title)
        self.agent_name.setText(party.agent_name)
        select_data(self.estate, estate_id)
        select_data(self.building, building_id)
        self.room.setText(room)
        self.errors.clear()

    def has_input(self) -> bool:
        return any(edit.text().strip() for edit in (self.name, self.id_number, self.phone, self.address))

    def show_errors(self, errors: dict[str, str]) -> None:
        self.errors.show(errors)

    def focus_name(self) -> None:
        self.name.setFocus()
