"""Form pieces with their errors beside each field: a red line per field, a password box.

Qt only, nothing else: the sign-in window is built from these before the
database layer has even been imported. Even ``Qt`` itself waits: the first
use of that namespace builds its hundred enums (~15 ms), which the first
window can do without.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

ERROR_STYLE = "color: #b3261e;"


class ErrorLabel(QLabel):
    """A red line under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def say(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def heading(text: str) -> QLabel:
    label = QLabel(text)
    size = label.font().pointSizeF() * 1.5
    # A style sheet rather than Qt.AlignmentFlag: see the sign-in window's docstring.
    label.setStyleSheet(f"font-size: {size:.1f}pt; font-weight: bold; qproperty-alignment: AlignCenter;")
    return label


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit(placeholderText=placeholder)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(128)
    return field


class FieldForm(QFormLayout):
    """A form whose rows each carry an ``ErrorLabel``, filled from a ``ValidationError``."""

    def __init__(self, *, labels_right: bool = True) -> None:
        super().__init__()
        self.errors: dict[str, ErrorLabel] = {}
        if labels_right:
            from PySide6.QtCore import Qt

            self.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

    def add(self, key: str, label: str, widget: QWidget) -> None:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        self.errors[key] = ErrorLabel()
        column.addWidget(self.errors[key])
        self.addRow(label, box)

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.say("")

    def show_errors(self, errors: dict[str, str], general: ErrorLabel) -> None:
        """Each message beside its field; the ones without a field in ``general``."""
        self.clear_errors()
        rest = []
        for key, message in errors.items():
            if key in self.errors:
                self.errors[key].say(message)
            else:
                rest.append(message)
        general.say("；".join(rest))
