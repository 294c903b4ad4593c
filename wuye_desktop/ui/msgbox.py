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


def confirm(parent: QWidget | None, title: str, text: str, *, default_no: bool = False) -> bool:
    """Yes or no; ``default_no``: a warning whose safe answer (否) is what Enter gives."""
    if responder is not None:
        return responder("confirm", title, text)
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    if default_no:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, yes | no, parent)
        box.button(yes).setText("是")
        box.button(no).setText("否")
        box.setDefaultButton(no)
        box.setEscapeButton(no)
        box.exec()
        return box.clickedButton() is box.button(yes)
    return QMessageBox.question(parent, title, text) == yes
