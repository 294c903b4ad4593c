"""设置: the committee, numbering formats, deadlines and reminder periods, sub-types and step names."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import ValidationError
from wuye_desktop.services import reference, settings
from wuye_desktop.services.cases import numbering
from wuye_desktop.services.changes import Changes, Topic
from wuye_desktop.services.reference.lists import ListKind
from wuye_desktop.ui import msgbox
from wuye_desktop.ui.forms import FieldErrors, attempt, form_layout, tr
from wuye_desktop.ui.list_editor import ListEditor
from wuye_desktop.ui.shell import Shell

FORMATS = (settings.CASE_NUMBER_FORMAT, settings.AGREEMENT_NUMBER_FORMAT)
NUMBERS = (
    (settings.MEDIATION_DAYS, "调解期限（受理后，天）", 366),
    (settings.JUDICIAL_DAYS, "司法确认申请期限（签署后，天）", 366),
    (settings.REMIND_DEADLINE_DAYS, "调解期限到期前提醒（天）", 366),
    (settings.REMIND_VISIT_DAYS, "协议签署后多少天回访", 366),
    (settings.REMIND_HOTLINE_DAYS, "12345工单到期前提醒（天）", 366),
    (settings.BUSY_MEDIATOR_CASES, "调解员在办案件达到多少件时提醒", 1000),
    # Dates of registration, acceptance, signing and visits: from 1 January of this year (checked by settings).
    (settings.EARLIEST_YEAR, "日期最早可填的年份", 9999),
)


class SettingsPage(QWidget):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.committee_errors = FieldErrors()
        self.name = QLineEdit()
        self.short_name = QLineEdit()
        self.seal_text = QLineEdit()
        self.address = QLineEdit()
        self.phone = QLineEdit()
        self.committee_button = QPushButton(self.tr("保存调委会信息"))
        committee_box = QGroupBox(self.tr("人民调解委员会"))
        form = form_layout(committee_box)
        for key, text, widget in (("name", self.tr("名称"), self.name)
                                  , ("short_name", self.tr("编号中的简称"), self.short_name),
                                  ("seal_text", self.tr("印章文字"), self.seal_text),
                                  ("address", self.tr("地址"), self.address), ("phone", self.tr("电话"), self.phone)):
            form.addRow(text, self.committee_errors.add(key, widget))
        form.addRow(self.committee_errors.general)
        form.addRow("", self.committee_button)

        self.errors = FieldErrors()
        self.formats = {key: QLineEdit() for key in FORMATS}
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.numbers: dict[str, QSpinBox] = {}
        rules_box = QGroupBox(self.tr("编号格式、期限与提醒"))
        rules = form_layout(rules_box)
        rules.addRow(self.tr("案件编号格式"), self.errors.add(settings.CASE_NUMBER_FORMAT,
                                                        self.formats[settings.CASE_NUMBER_FORMAT]))
        rules.addRow(self.tr("协议书编号格式"), self.errors.add(settings.AGREEMENT_NUMBER_FORMAT,
                                                         self.formats[settings.AGREEMENT_NUMBER_FORMAT]))
        hint = QLabel(self.tr("可用：{year} 年份，{short} 简称，{seq} 序号（{seq:03d} 补足三位）"))
        hint.setWordWrap(True)
        rules.addRow("", hint)
        rules.addRow(self.tr("预览"), self.preview)
        for key, label, maximum in NUMBERS:
            spin = QSpinBox()
            spin.setRange(settings.EARLIEST_YEAR_LOWEST if key == settings.EARLIEST_YEAR else 1, maximum)
            self.numbers[key] = spin
            rules.addRow(tr(label), self.errors.add(key, spin))
        self.rules_button = QPushButton(self.tr("保存编号与期限"))
        rules.addRow(self.errors.general)
        rules.addRow("", self.rules_button)

        self.subtypes = ListEditor(shell, ListKind.SUBTYPE, self.tr("物业纠纷小类"), self.tr("新小类名称"))
        self.steps = ListEditor(shell, ListKind.STEP, self.tr("议事协商五步工作法：步骤名称"), self.tr("新步骤名称"))

        left = QVBoxLayout()
        left.addWidget(committee_box)
        left.addWidget(rules_box)
        left.addStretch(1)
        body = QWidget()
        grid = QGridLayout(body)
        grid.addLayout(left, 0, 0)
        grid.addWidget(self.subtypes, 0, 1)
        grid.addWidget(self.steps, 0, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 2)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

        self.committee_button.clicked.connect(self.save_committee)
        self.rules_button.clicked.connect(self.save_rules)
        self.short_name.textChanged.connect(self._preview)
        for edit in self.formats.values():
            edit.textChanged.connect(self._preview)
        shell.bus.changed.connect(self._on_changes)
        self.load()

    def _on_changes(self, changes: Changes) -> None:
        if Topic.REGISTER in changes.topics:  # its own saves leave the form as the user typed it
            self.load()

    def load(self) -> None:
        ctx = self.shell.ctx
        info = reference.committee(ctx)
        self.name.setText(info.name)
        self.short_name.setText(info.short_name)
        self.seal_text.setText(info.seal_text)
        self.address.setText(info.address)
        self.phone.setText(info.phone)
        for key, edit in self.formats.items():
            edit.setText(str(settings.get(ctx, key)))
        for key, spin in self.numbers.items():
            spin.setValue(int(settings.get(ctx, key)))
        self.subtypes.refresh()
        self.steps.refresh()
        self._preview()

    def _preview(self) -> None:
        year = self.shell.ctx.today().year
        short = self.short_name.text().strip() or self.tr("某某")
        shown = []
        for key, label in ((settings.CASE_NUMBER_FORMAT, self.tr("案件")), (settings.AGREEMENT_NUMBER_FORMAT,
                                                                          self.tr("协议书"))):
            try:
                shown.append(f"{label}：{numbering.format_number(self.formats[key].text(), year, short, 12)}")
            except (KeyError, IndexError, ValueError):
                shown.append(self.tr("{0}：格式有误").format(label))
        self.preview.setText("　".join(shown))

    def save_committee(self) -> bool:
        values = {"name": self.name.text(), "short_name": self.short_name.text(), "seal_text": self.seal_text.text(),
                  "address": self.address.text(), "phone": self.phone.text()}
        ok, _ = attempt(self, self.tr("无法保存"), lambda: reference.update_committee(self.shell.ctx, **values),
                        errors=self.committee_errors)
        if ok:
            msgbox.info(self, self.tr("已保存"), self.tr("调委会信息已保存；新编号将使用新的简称。"))
        return ok

    def _changed_rules(self) -> dict[str, Any]:
        ctx = self.shell.ctx
        wanted: dict[str, Any] = {key: edit.text() for key, edit in self.formats.items()}
        wanted.update({key: spin.value() for key, spin in self.numbers.items()})
        return {key: value for key, value in wanted.items() if value != settings.get(ctx, key)}

    def save_rules(self) -> bool:
        changed = self._changed_rules()
        errors: dict[str, str] = {}
        for key, value in changed.items():  # check everything first: nothing is saved if one is wrong
            try:
                settings.validate(key, value)
            except ValidationError as exc:
                errors.update(exc.errors)
        if errors:
            self.errors.clear()
            self.errors.show(errors)
            return False

        def put_all() -> None:
            for key, value in changed.items():
                settings.put(self.shell.ctx, key, value)

        ok, _ = attempt(self, self.tr("无法保存"), put_all, errors=self.errors)
        if ok:
            msgbox.info(self, self.tr("已保存"), self.tr("编号格式与期限已保存，对之后的登记和受理生效。"))
        return ok
