"""The one place the program shows a message box, so tests can answer instead of a person."""

from __future__ import annotations

from collections.abc import Callable

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


def confirm(parent: QWidget | None, title: str, text: str, *, default: bool = True) -> bool:
    """A yes/no question; ``default`` is the answer Enter gives (False where yes would lose something)."""
    if responder is not None:
        return responder("confirm", title, text)
    return question(parent, title, text, default=default).exec() == QMessageBox.StandardButton.Yes


def question(parent: QWidget | None, title: str, text: str, *, default: bool) -> QMessageBox:
    """The box ``confirm`` shows, not yet shown; Esc always means no."""
    yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
    box = QMessageBox(QMessageBox.Icon.Question, title, text, yes | no, parent)
    box.setDefaultButton(yes if default else no)
    box.setEscapeButton(no)
    return box
