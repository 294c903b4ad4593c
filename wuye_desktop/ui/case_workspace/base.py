"""What every tab of the case workspace shares: the workspace it belongs to and how it reloads."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from wuye_desktop.services import permissions
from wuye_desktop.services.cases.dto import CaseDetail
from wuye_desktop.services.permissions import Permission

if TYPE_CHECKING:
    from wuye_desktop.ui.case_workspace.window import CaseWorkspace


class Reload(Enum):
    """Why a tab is reloaded, which decides what happens to edits not yet saved."""

    OWN = "own"  # this workspace just saved something: keep edits, they build on what we saved
    EXTERNAL = "external"  # someone else saved: keep edits on their old version, so saving them conflicts
    RESET = "reset"  # the user chose to reload: drop edits


class CaseTab(QWidget):
    def __init__(self, workspace: CaseWorkspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.ctx = workspace.shell.ctx

    @property
    def case_id(self) -> int:
        return self.workspace.case_id

    def may(self, permission: Permission) -> bool:
        return permissions.allowed(self.ctx, permission)

    def load(self, detail: CaseDetail, why: Reload) -> None:
        """Show the case as it now is."""

    def dirty(self) -> bool:
        return False

    def save(self) -> bool:
        """Ctrl+S on this tab; False when there is nothing to save here."""
        return False
