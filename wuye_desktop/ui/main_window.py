"""The main window: navigation on the left, the chosen page on the right, status below.

Pages that can show a case (the register, reminders, ...) have an
``open_case_requested(int)`` signal; the window opens one workspace per
case and brings it to the front when asked again.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QStackedWidget, QWidget

from wuye_desktop.errors import DomainError
from wuye_desktop.services import permissions
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui import msgbox, prefs, safety_dialogs
from wuye_desktop.ui.case_workspace import CaseWorkspace
from wuye_desktop.ui.intake import IntakeDialog
from wuye_desktop.ui.pages import PAGES, Page
from wuye_desktop.ui.register_view import RegisterView
from wuye_desktop.ui.shell import Shell

PREFS_KEY = "main"


class MainWindow(QMainWindow):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.workspaces: dict[int, CaseWorkspace] = {}
        self.intake: IntakeDialog | None = None
        self.setWindowTitle(self.tr("物业纠纷调解台账"))

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setSpacing(max(2, self.fontMetrics().height() // 4))  # larger targets for older users
        font = self.nav.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.nav.setFont(font)
        self.stack = QStackedWidget()
        # Built pages by key; the others wait behind a placeholder until first opened.
        self.pages: dict[str, QWidget] = {}
        self._shown_pages = [page for page in PAGES if permissions.allowed(shell.ctx, page.permission)]
        for row, page in enumerate(self._shown_pages):
            self.nav.addItem(QCoreApplication.translate("pages", page.title))
            self.stack.addWidget(self._build(page) if row == 0 else QWidget())
        widest = max((self.nav.fontMetrics().horizontalAdvance(p.title) for p in PAGES), default=0)
        self.nav.setFixedWidth(widest + self.nav.fontMetrics().horizontalAdvance("中中中"))
        self.nav.currentRowChanged.connect(self._open_row)
        self.nav.setCurrentRow(0)

        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self.new_action = QAction(self.tr("登记新案件"), self)
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.setEnabled(permissions.allowed(shell.ctx, Permission.REGISTER_CASES))
        self.new_action.triggered.connect(self.new_case)
        self.find_action = QAction(self.tr("查找案件"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        self.addAction(self.new_action)
        self.addAction(self.find_action)

        self.count_label = QLabel()
        self.user_label = QLabel(self.tr("当前用户：{0}（{1}）").format(shell.ctx.user.name, shell.ctx.user.role.label))
        self.location_label = QLabel(self.tr("数据库：{0}").format(shell.location))
        self.location_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = self.statusBar()
        bar.addWidget(self.count_label)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.location_label)
        register = self.register_view
        register.count_changed.connect(self._show_count)
        self._show_count(register.model.total)
        if not prefs.restore_geometry(self, PREFS_KEY):
            char = self.fontMetrics().horizontalAdvance("中")
            self.resize(char * 100, self.fontMetrics().height() * 46)

    def _build(self, page: Page) -> QWidget:
        widget = page.make(self.shell)
        self.pages[page.key] = widget
        opener = getattr(widget, "open_case_requested", None)
        if opener is not None:
            opener.connect(self.open_case)
        creator = getattr(widget, "new_case_requested", None)
        if creator is not None:
            creator.connect(self.new_case)
        return widget

    def _open_row(self, row: int) -> None:
        if 0 <= row < len(self._shown_pages):
            page = self._shown_pages[row]
            if page.key not in self.pages:
                placeholder = self.stack.widget(row)
                self.stack.insertWidget(row, self._build(page))
                if placeholder is not None:
                    self.stack.removeWidget(placeholder)
                    placeholder.deleteLater()
        self.stack.setCurrentIndex(row)

    @property
    def page_keys(self) -> list[str]:
        """The pages this user sees, in navigation order (built or not)."""
        return [page.key for page in self._shown_pages]

    def page(self, key: str) -> QWidget:
        """The page with that key, built now if it has not been opened yet."""
        if key not in self.pages:
            row = next(i for i, p in enumerate(self._shown_pages) if p.key == key)
            self._open_row(row)
            self._open_row(self.nav.currentRow())
        return self.pages[key]

    @property
    def register_view(self) -> RegisterView:
        view = self.pages["register"]
        assert isinstance(view, RegisterView)
        return view

    def _show_count(self, total: int) -> None:
        text = self.tr("找到 {0} 件") if self.register_view.filtered else self.tr("案件共 {0} 件")
        self.count_label.setText(text.format(total))

    def show_page(self, key: str) -> QWidget:
        widget = self.page(key)
        self.nav.setCurrentRow(self.stack.indexOf(widget))
        return widget

    def focus_search(self) -> None:
        self.show_page("register")
        self.register_view.focus_search()

    def new_case(self) -> IntakeDialog | None:
        if not self.new_action.isEnabled():
            return None
        if self.intake is not None:
            self.intake.raise_()
            self.intake.activateWindow()
            return self.intake
        dialog = IntakeDialog(self.shell)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.registered.connect(self.open_case)
        dialog.open_case_requested.connect(self.open_case)
        dialog.destroyed.connect(lambda _o=None: setattr(self, "intake", None))
        self.intake = dialog
        dialog.show()
        return dialog

    def open_case(self, case_id: int) -> CaseWorkspace | None:
        workspace = self.workspaces.get(case_id)
        if workspace is None:
            try:
                # No Qt parent: each workspace lives and is deleted on its own (WA_DeleteOnClose), so
                # the main window's destruction never races a workspace's pending deletion.
                workspace = CaseWorkspace(self.shell, case_id)
            except DomainError as exc:
                msgbox.error(self, self.tr("无法打开案件"), exc.message)
                return None
            workspace.closed.connect(lambda cid: self.workspaces.pop(cid, None))
            self.workspaces[case_id] = workspace
        workspace.show()
        workspace.raise_()
        workspace.activateWindow()
        return workspace

    def closeEvent(self, event: QCloseEvent) -> None:
        # A running backup is cancelled (or waited for) first, or the window stays open.
        if not safety_dialogs.may_close(self.pages):
            event.ignore()
            return
        # Every open form is asked first: one with unsaved input may keep the program open.
        for window in [*self.workspaces.values(), *([self.intake] if self.intake else [])]:
            if not window.close():
                event.ignore()
                return
        prefs.save_geometry(self, PREFS_KEY)
        self.register_view.save_state()
        # Background work finishes (or gives up) before the register is closed.
        self.shell.runner.wait_all()
        safety_dialogs.back_up_on_exit(self, self.shell)
        self.shell.ctx.db.dispose()
        super().closeEvent(event)
