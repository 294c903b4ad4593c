"""The one place the program shows a message box, so tests can answer instead of a person."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

# Tests set this to record or answer messages without a modal dialog.
Responder = Callable[[str, str, str], bool]
responder: Responder | None = None


def error(parent: QWidget | None, title: str, text: str) -> None:
    if responder is not None:
        responder("error", title, text)
        return
    QMessageBox.critical(parent, title, text)


def info(parent: QWidget | None, title: str, text: str) -> None:
    if responder is not None:
        responder("info", title, text)
        return
    QMessageBox.information(parent, title, text)


def acknowledge(parent: QWidget | None, title: str, text: str, button: str) -> None:
    """Something the user must take in before going on (the text can be selected and copied); one button."""
    if responder is not None:
        responder("acknowledge", title, text)
        return
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.addButton(button, QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, *, default: bool = True) -> bool:
    """A yes/no question; ``default`` is the answer Enter gives (False where yes would lose something)."""
    if responder is not None:
        return responder("confirm", title, text)
    box = question(parent, title, text, default=default)
    box.exec()
    return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)


def question(parent: QWidget | None, title: str, text: str, *, default: bool) -> QMessageBox:
    """The box ``confirm`` shows, not yet shown, its buttons 是 and 否; Esc always means no.

    A question whose yes would lose something (``default`` False) is shown as a warning.
    """
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    icon = QMessageBox.Icon.Question if default else QMessageBox.Icon.Warning
    box = QMessageBox(icon, title, text, yes | no, parent)
    box.button(yes).setText("是")
    box.button(no).setText("否")
    box.setDefaultButton(yes if default else no)
    box.setEscapeButton(no)
    return box
