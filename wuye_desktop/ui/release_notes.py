"""更新说明: what changed, shown once after the program was updated on this PC.

A room's PC is updated offline (a newer setup.exe installed over the old
one). At the first start of the newer program, once the main window shows,
a small dialog tells the clerk what changed: the notes of every version
newer than the last one this user started, newest first, from
``resources/release_notes/<version>.txt``. The version seen is kept in the
per-user preferences (``ui/prefs.py``), so the notes show once; a first
installation shows none, and an older program started after a newer one
neither shows notes nor forgets the newer version.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from wuye_desktop import __version__
from wuye_desktop.ui import prefs


def notes_folder() -> Path:
    """``resources/release_notes`` of the source tree, or of the frozen program (PyInstaller's folder)."""
    base = getattr(sys, "_MEIPASS", None)
    root = Path(base) if base else Path(__file__).resolve().parents[2]
    return root / "resources" / "release_notes"


def _key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def due(current: str = __version__, folder: Path | None = None) -> list[tuple[str, str]]:
    """(version, notes) of the versions after the last one started here, newest first; [] when nothing is new.

    Read before the start writes any preference: a PC whose preferences are
    empty has never run the program, and gets no notes.
    """
    seen = prefs.last_version()
    if not seen and not prefs.used_before():
        return []
    if seen and _key(seen) >= _key(current):
        return []

    def wanted(version: str) -> bool:
        if _key(version) > _key(current):
            return False
        # Run before, by a version too old to remember which: the notes of this version.
        return _key(version) > _key(seen) if seen else version == current

    found = [(path.stem, path.read_text(encoding="utf-8").strip())
             for path in (folder or notes_folder()).glob("*.txt") if wanted(path.stem)]
    return sorted(found, key=lambda item: _key(item[0]), reverse=True)


def seen(current: str = __version__) -> None:
    """This user has started ``current``: its notes are not shown again (an older version changes nothing)."""
    last = prefs.last_version()
    if not last or _key(current) > _key(last):
        prefs.remember_version(current)


class ReleaseNotesDialog(QDialog):
    """A small window over the main window: the notes, and 知道了."""

    def __init__(self, notes: list[tuple[str, str]], current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("更新说明"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("程序已更新到 {0} 版，台账数据已保留。这次更新的内容：").format(current)))
        self.text = QPlainTextEdit(readOnly=True)
        self.text.setPlainText("\n\n".join(text for _version, text in notes))
        layout.addWidget(self.text, 1)
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("知道了"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        char = self.fontMetrics().horizontalAdvance("中")
        self.resize(char * 44, self.fontMetrics().height() * 22)


def show_if_due(window: QWidget, notes: list[tuple[str, str]], current: str = __version__) -> ReleaseNotesDialog | None:
    """After the main window shows: the notes ``due()`` found (once), and the version remembered either way."""
    seen(current)
    if not notes:
        return None
    dialog = ReleaseNotesDialog(notes, current, window)
    dialog.open()
    return dialog
