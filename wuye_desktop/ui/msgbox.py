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


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    if responder is not None:
        return responder("confirm", title, text)
    answer = QMessageBox.question(parent, title, text)
    return answer == QMessageBox.StandardButton.Yes
