"""The pages of the main window's navigation, in order.

A feature adds its screen here: one ``Page`` with its title, a factory
taking the ``Shell``, and the permission needed to see it (pages a role
may not use are not shown at all).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui.register_view import RegisterView
from wuye_desktop.ui.shell import Shell


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    make: Callable[[Shell], QWidget]
    permission: Permission = Permission.READ_CASES


PAGES: list[Page] = [
    Page("register", "案件台账", RegisterView),
]
