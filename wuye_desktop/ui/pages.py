"""The pages of the main window's navigation, in order.

A feature adds its screen here: one ``Page`` with its title, a factory
taking the ``Shell``, and the permission needed to see it (pages a role
may not use are not shown at all). Pages other than the register are
built the first time they are opened.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui.register_view import RegisterView
from wuye_desktop.ui.shell import Shell


def _lazy(module: str, name: str) -> Callable[[Shell], QWidget]:
    """A factory that imports its screen only when the page is first opened (start-up stays quick)."""

    def make(shell: Shell) -> QWidget:
        widget_class = getattr(importlib.import_module(f"wuye_desktop.ui.{module}"), name)
        widget: QWidget = widget_class(shell)
        return widget

    return make


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    make: Callable[[Shell], QWidget]
    permission: Permission = Permission.READ_CASES


PAGES: list[Page] = [
    Page("register", "案件台账", RegisterView),
    Page("reminders", "待办提醒", _lazy("reminders_page", "RemindersPage")),
    Page("mediators", "调解员", _lazy("mediators_page", "MediatorsPage")),
    Page("companies", "物业企业", _lazy("companies_page", "CompaniesPage")),
    Page("statistics", "统计", _lazy("statistics_page", "StatisticsPage"), Permission.REPORT),
    Page("settings", "设置", _lazy("settings_page", "SettingsPage"), Permission.SETTINGS),
    Page("backup", "备份恢复", _lazy("backup_page", "BackupPage"), Permission.BACKUP),
    Page("accounts", "账户", _lazy("accounts_page", "AccountsPage"), Permission.ACCOUNTS),
    Page("audit", "审计记录", _lazy("audit_page", "AuditPage"), Permission.AUDIT),
    Page("exchange", "数据交换", _lazy("exchange_page", "ExchangePage"), Permission.EXPORT),
]
