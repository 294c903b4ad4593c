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
from wuye_desktop.ui.accounts_page import AccountsPage
from wuye_desktop.ui.audit_page import AuditPage
from wuye_desktop.ui.backup_page import BackupPage
from wuye_desktop.ui.companies_page import CompaniesPage
from wuye_desktop.ui.exchange_page import ExchangePage
from wuye_desktop.ui.mediators_page import MediatorsPage
from wuye_desktop.ui.register_view import RegisterView
from wuye_desktop.ui.reminders_page import RemindersPage
from wuye_desktop.ui.settings_page import SettingsPage
from wuye_desktop.ui.shell import Shell
from wuye_desktop.ui.statistics_page import StatisticsPage


@dataclass(frozen=True)
class Page:
    key: str
    title: str
    make: Callable[[Shell], QWidget]
    permission: Permission = Permission.READ_CASES


PAGES: list[Page] = [
    Page("register", "案件台账", RegisterView),
    Page("reminders", "待办提醒", RemindersPage),
    Page("mediators", "调解员", MediatorsPage),
    Page("companies", "物业企业", CompaniesPage),
    Page("statistics", "统计", StatisticsPage, Permission.REPORT),
    Page("settings", "设置", SettingsPage, Permission.SETTINGS),
    Page("backup", "备份恢复", BackupPage, Permission.BACKUP),
    Page("accounts", "账户", AccountsPage, Permission.ACCOUNTS),
    Page("audit", "审计记录", AuditPage, Permission.AUDIT),
    Page("exchange", "数据交换", ExchangePage, Permission.EXPORT),
]
