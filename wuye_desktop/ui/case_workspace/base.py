"""What every tab of the case workspace shares: the workspace it belongs to and how it reloads."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import TYPE_CHECKING, Protocol, TypeVar

from PySide6.QtWidgets import QWidget

from wuye_desktop.services import permissions
from wuye_desktop.services.cases.dto import CaseDetail
from wuye_desktop.services.permissions import Permission

if TYPE_CHECKING:
    from wuye_desktop.services.casework.views import AgreementView
    from wuye_desktop.ui.forms import FieldErrors
    from wuye_desktop.ui.shell import Shell

T = TypeVar("T")


class Reload(Enum):
    """Why a tab is reloaded, which decides what happens to edits not yet saved."""

    OWN = "own"  # this workspace just saved something: keep edits, they build on what we saved
    EXTERNAL = "external"  # someone else saved: keep edits on their old version, so saving them conflicts
    RESET = "reset"  # the user chose to reload: drop edits


class Workspace(Protocol):
    """What a tab uses of the workspace it sits in (``window.CaseWorkspace`` is the one there is).

    The tabs are typed against this, not against the window that builds them,
    so that no tab needs to import the window.
    """

    @property
    def shell(self) -> Shell: ...

    @property
    def case_id(self) -> int: ...

    @property
    def detail(self) -> CaseDetail:
        """The case as last loaded."""
        ...

    @property
    def agreements(self) -> list[AgreementView]:
        """The case's agreements as last loaded."""
        ...

    def write(self, title: str, call: Callable[[], T], *, errors: FieldErrors | None = None,
              on_invalid: Callable[[dict[str, str]], None] | None = None) -> tuple[bool, T | None]:
        """One service call; on success every open view hears of it and the workspace reloads."""
        ...


class CaseTab(QWidget):
    def __init__(self, workspace: Workspace) -> None:
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
