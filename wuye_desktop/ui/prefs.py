"""Per-user window preferences (size, column widths, last folders) in QSettings, not in the register."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:  # only names for the hints: the sign-in window reads the store before these are needed
    from PySide6.QtWidgets import QHeaderView, QWidget

ORGANISATION = "WuyeDesktop"
APPLICATION = "wuye-desktop"


def store() -> QSettings:
    # INI format everywhere, so tests can point it at a temporary folder with QSettings.setPath.
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def _bytes(value: object) -> QByteArray | None:
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def restore_geometry(widget: QWidget, key: str) -> bool:
    saved = _bytes(store().value(f"{key}/geometry"))
    return bool(saved is not None and widget.restoreGeometry(saved))


def save_geometry(widget: QWidget, key: str) -> None:
    store().setValue(f"{key}/geometry", widget.saveGeometry())


def restore_header(header: QHeaderView, key: str) -> bool:
    saved = _bytes(store().value(f"{key}/header"))
    return bool(saved is not None and header.restoreState(saved))


def save_header(header: QHeaderView, key: str) -> None:
    store().setValue(f"{key}/header", header.saveState())


def last_folder(kind: str) -> str:
    value = store().value(f"folders/{kind}", "")
    folder = str(value) if value else ""
    return folder if folder and Path(folder).is_dir() else str(Path.home())


def remember_folder(kind: str, path: str) -> None:
    folder = Path(path)
    store().setValue(f"folders/{kind}", str(folder if folder.is_dir() else folder.parent))


VERSION_KEY = "program/last_version"


def used_before() -> bool:
    """Whether this user's preferences hold anything: the program has run here before."""
    return bool(store().allKeys())


def last_version() -> str:
    """The newest version of the program this user has started (its update notes seen), or ""."""
    return str(store().value(VERSION_KEY, "") or "")


def remember_version(version: str) -> None:
    store().setValue(VERSION_KEY, version)
