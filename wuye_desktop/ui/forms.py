"""Small pieces every form shares: errors shown beside their fields, pickers, dates, save outcomes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import Enum
from itertools import pairwise
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import ConflictError, DomainError, ValidationError
from wuye_desktop.ui import msgbox

T = TypeVar("T")
ERROR_COLOUR = "#b3261e"


def tr(text: str) -> str:
    """Translate text outside a QObject (module constants, helpers)."""
    return QCoreApplication.translate("wuye", text)


class FieldErrors:
    """Error labels under fields, keyed like ``ValidationError.errors`` ("summary", "parties.0.phone")."""

    def __init__(self, general: QLabel | None = None) -> None:
        self._labels: dict[str, QLabel] = {}
        self._fields: dict[str, QWidget] = {}
        # Empty until needed, but never hidden: it holds its place so buttons beside it keep their size.
        # (Not shown here either: shown before it is placed, it would open as a window of its own.)
        self.general = general or error_label(hidden=False)

    def add(self, key: str, field: QWidget) -> QWidget:
        """The field with its error label beneath it, as one widget for a form layout."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(field)
        label = error_label()
        layout.addWidget(label)
        self._labels[key] = label
        self._fields[key] = field
        return box

    def add_pairs(self, grid: QGridLayout, pairs: Iterable[tuple[str, str | QLabel, QWidget]]) -> int:
        """Label and field side by side, two to a row of ``grid``; the first row left free below."""
        count = 0
        for count, (key, text, widget) in enumerate(pairs, 1):
            row, column = divmod(count - 1, 2)
            label = text if isinstance(text, QLabel) else QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, row, column * 2)
            grid.addWidget(self.add(key, widget), row, column * 2 + 1)
        return (count + 1) // 2

    def label(self, key: str) -> QLabel:
        return self._labels[key]

    def keys(self) -> list[str]:
        return list(self._labels)

    def clear(self) -> None:
        for label in self._labels.values():
            label.clear()
            label.hide()
        self.general.clear()

    def show(self, errors: dict[str, str], prefix: str = "") -> list[str]:
        """Show each message beside its field; the ones with no field go to the general label."""
        unplaced: list[str] = []
        first: QWidget | None = None
        for key, message in errors.items():
            local = key[len(prefix):] if prefix and key.startswith(prefix) else key
            label = self._labels.get(local)
            if label is None:
                unplaced.append(message)
                continue
            label.setText(message)
            label.show()
            first = first or self._fields[local]
        if unplaced:
            self.general.setText("\n".join(unplaced))
            if self.general.parent() is not None:  # a label on no form would open as a window of its own
                self.general.show()
        if first is not None:
            first.setFocus()
        return unplaced


def error_label(hidden: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOUR))
    label.setPalette(palette)
    label.setObjectName("fieldError")
    if hidden:
        label.hide()
    return label


class EnumCombo(QComboBox):
    """A picker of enum members; Qt stores a StrEnum as plain text, so ``currentData`` turns it back."""

    def __init__(self, enum_cls: type[Enum]) -> None:
        super().__init__()
        self._enum = enum_cls

    def currentData(self, role: int = Qt.ItemDataRole.UserRole) -> Any:
        raw = super().currentData(role)
        return None if raw is None else self._enum(raw)

    def itemData(self, index: int, role: int = Qt.ItemDataRole.UserRole) -> Any:
        raw = super().itemData(index, role)
        return None if raw is None else self._enum(raw)


def enum_combo(members: Iterable[Enum], current: Any = None, empty: str | None = None) -> QComboBox:
    chosen = list(members)
    combo = EnumCombo(type(chosen[0]))
    if empty is not None:
        combo.addItem(empty, None)
    for member in chosen:
        combo.addItem(getattr(member, "label", str(member)), member.value)
    if current is not None:
        select_data(combo, current)
    return combo


def choice_combo(choices: Iterable[Any], empty: str | None = None, current: int | None = None) -> QComboBox:
    combo = QComboBox()
    fill_choices(combo, choices, empty, current)
    return combo


def fill_choices(combo: QComboBox, choices: Iterable[Any], empty: str | None = None,
                 current: int | None = None) -> None:
    """Refill an (id, name) picker, keeping the chosen id when it is still offered."""
    keep = combo.currentData() if current is None else current
    combo.blockSignals(True)
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for choice in choices:
        combo.addItem(choice.name, choice.id)
    combo.blockSignals(False)
    if keep is not None:
        select_data(combo, keep)
    if combo.currentIndex() < 0 and combo.count():
        combo.setCurrentIndex(0)


def select_data(combo: QComboBox, value: Any) -> bool:
    index = combo.findData(value.value if isinstance(value, Enum) else value)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


CHINESE = QLocale(QLocale.Language.Chinese, QLocale.Country.China)


def chain_tab_order(widgets: Iterable[QWidget]) -> None:
    """Tab moves through the fields in the order the form shows them, not the order they were made.

    Call it once the widgets are laid out in one window: Qt refuses (with a warning) to order two
    widgets that are not yet in the same window.
    """
    for first, second in pairwise(widgets):
        QWidget.setTabOrder(first, second)


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit()
    edit.setLocale(CHINESE)  # the calendar's month and day names, whatever the PC's locale
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if value is not None:
        edit.setDate(QDate(value.year, value.month, value.day))
    return edit


def datetime_edit(value: datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit()
    edit.setLocale(CHINESE)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setDateTime(QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute)))
    return edit


def date_text(edit: QDateEdit) -> str:
    return str(edit.date().toString("yyyy-MM-dd"))


def to_datetime(edit: QDateTimeEdit) -> datetime:
    d, t = edit.date(), edit.time()
    return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def shown_date(value: date | None) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def shown_datetime(value: datetime | None) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else ""


def text_box(lines: int, parent: QWidget) -> QPlainTextEdit:
    """A multi-line field about ``lines`` lines high; Tab moves on instead of typing a tab."""
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setMinimumHeight(parent.fontMetrics().height() * lines)
    return box


def form_layout(parent: QWidget | None = None) -> QFormLayout:
    form = QFormLayout(parent)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setLabelAlignment(form.labelAlignment())
    return form


def attempt(parent: QWidget, title: str, call: Callable[[], T], *, errors: FieldErrors | None = None,
            on_conflict: Callable[[], None] | None = None, prefix: str = "",
            on_invalid: Callable[[dict[str, str]], None] | None = None) -> tuple[bool, T | None]:
    """Run one service call and show what went wrong the way a clerk can act on it.

    Field errors go beside their fields (input stays as typed); a conflict
    says someone else saved first and offers to reload; any other rule
    that was broken is shown as the service worded it.
    """
    if errors is not None:
        errors.clear()
    try:
        return True, call()
    except ValidationError as exc:
        if on_invalid is not None:
            on_invalid(exc.errors)
        elif errors is None:
            msgbox.error(parent, title, exc.message)
        else:
            left = errors.show(exc.errors, prefix)
            if left and errors.general.parent() is None:  # no place on this form to show them
                msgbox.error(parent, title, "\n".join(left))
    except ConflictError as exc:
        question = tr("{0}\n\n是否重新载入最新内容？这里尚未保存的修改将被放弃。").format(exc.message)
        if msgbox.confirm(parent, tr("其他人已先保存"), question) and on_conflict is not None:
            on_conflict()
    except DomainError as exc:
        msgbox.error(parent, title, exc.message)
    return False, None
