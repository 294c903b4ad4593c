"""The workflow steps offered in the workspace header, and the panel that asks for their details."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.services.cases import workflow
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui.forms import FieldErrors, date_edit, date_text, form_layout, tr

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDateEdit

DEPARTMENTS = ("综合执法", "住建/房管", "市场监管", "公安", "消防", "街道", "小区党支部", "社区党委")

Values = dict[str, str]


@dataclass(frozen=True)
class Action:
    step: str
    permission: Permission
    fields: tuple[str, ...]  # of "on", "deadline", "department", "reason"
    perform: Callable[[Context, int, int, Values], object]
    hint: str = ""
    confirm: str = ""  # asked instead of a panel when there is nothing to fill in

    @property
    def label(self) -> str:
        return workflow.STEPS[self.step].label


def _actions() -> list[Action]:
    h, m = Permission.HANDLE_CASES, Permission.MEDIATE
    return [
        Action("accept", h, ("on",), lambda c, i, v, x: workflow.accept(c, i, on=x["on"], expected_version=v)),
        Action("refuse", h, ("reason",), lambda c, i, v, x: workflow.refuse(c, i, x["reason"], expected_version=v),
               hint=tr("例如：被申请人明确表示拒绝调解")),
        Action("start", m, (), lambda c, i, v, x: workflow.start_mediation(c, i, expected_version=v),
               confirm=tr("确定开始调解吗？（记录第一个协商步骤时也会自动开始）")),
        Action("extend", h, ("deadline", "reason"),
               lambda c, i, v, x: workflow.extend_deadline(c, i, x["deadline"], x["reason"], expected_version=v),
               hint=tr("延长期限须经双方当事人同意，请写明")),
        Action("escalate", h, ("reason",),
               lambda c, i, v, x: workflow.escalate(c, i, x["reason"], expected_version=v),
               hint=tr("上报的原因和需要协调的事项")),
        Action("refer", h, ("department", "reason"),
               lambda c, i, v, x: workflow.refer(c, i, x["department"], x["reason"], expected_version=v)),
        Action("terminate", h, ("reason",),
               lambda c, i, v, x: workflow.terminate(c, i, x["reason"], expected_version=v),
               hint=tr("终止的原因；并已告知当事人可以通过诉讼、仲裁、行政等途径解决")),
        Action("close", h, (), lambda c, i, v, x: workflow.close(c, i, expected_version=v),
               confirm=tr("确定结案归档吗？归档后案件信息不能再修改。")),
        Action("reopen", h, ("reason",), lambda c, i, v, x: workflow.reopen(c, i, x["reason"], expected_version=v),
               hint=tr("例如：回访发现协议未履行")),
    ]


ACTIONS = _actions()


class ActionPanel(QGroupBox):
    """Asks for a step's date, department or reason inline, without a blocking dialog."""

    confirmed = Signal(object, dict)

    def __init__(self, today_getter: Callable[[], object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today_getter
        self.action: Action | None = None
        self.errors = FieldErrors()
        self.on: QDateEdit = date_edit()
        self.deadline: QDateEdit = date_edit()
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems([tr(d) for d in DEPARTMENTS])
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(self.fontMetrics().height() * 5)
        self.form = form_layout()
        self._rows: dict[str, tuple[QLabel, QWidget]] = {}
        for key, text, widget in (("on", tr("日期"), self.on), ("deadline", tr("新的期限"), self.deadline),
                                  ("department", tr("转办部门"), self.department),
                                  ("reason", tr("原因/说明"), self.reason)):
            label = QLabel(text)
            box = self.errors.add(key, widget)
            self.form.addRow(label, box)
            self._rows[key] = (label, box)
        self.ok_button = QPushButton(tr("确定"))
        self.cancel_button = QPushButton(tr("取消"))
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.errors.general)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self.ok_button.clicked.connect(self._confirm)
        self.cancel_button.clicked.connect(self.close_panel)
        self.hide()

    def open(self, action: Action, deadline_hint: object = None) -> None:
        self.action = action
        self.setTitle(tr("{0}：请填写").format(action.label))
        for key, (label, box) in self._rows.items():
            label.setVisible(key in action.fields)
            box.setVisible(key in action.fields)
        today = self._today()
        self.on.setDate(today)  # type: ignore[arg-type]
        self.deadline.setDate(deadline_hint or today)  # type: ignore[arg-type]
        self.reason.clear()
        self.reason.setPlaceholderText(action.hint)
        self.errors.clear()
        self.show()
        first = self._rows[action.fields[0]][1] if action.fields else self.ok_button
        first.setFocus()

    def values(self) -> Values:
        return {"on": date_text(self.on), "deadline": date_text(self.deadline),
                "department": self.department.currentText(), "reason": self.reason.toPlainText()}

    def _confirm(self) -> None:
        if self.action is not None:
            self.confirmed.emit(self.action, self.values())

    def close_panel(self) -> None:
        self.action = None
        self.hide()
