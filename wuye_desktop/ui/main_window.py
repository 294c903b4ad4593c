"""The main window: navigation on the left, the chosen page on the right, status below."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QStackedWidget, QWidget

from wuye_desktop.services import permissions
from wuye_desktop.ui.pages import PAGES
from wuye_desktop.ui.register_view import RegisterView
from wuye_desktop.ui.shell import Shell

TITLE = "物业纠纷调解台账"


class MainWindow(QMainWindow):
    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.setWindowTitle(TITLE)
        self.resize(1240, 760)

        self.nav = QListWidget()
        self.nav.setFixedWidth(120)
        self.nav.setObjectName("navigation")
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        for page in PAGES:
            if not permissions.allowed(shell.ctx, page.permission):
                continue
            widget = page.make(shell)
            self.pages[page.key] = widget
            self.nav.addItem(page.title)
            self.stack.addWidget(widget)
        self.nav.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.nav.setCurrentRow(0)

        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self.count_label = QLabel()
        self.user_label = QLabel(f"当前用户：{shell.ctx.user.name}")
        self.location_label = QLabel(f"数据库：{shell.location}")
        self.location_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = self.statusBar()
        bar.addWidget(self.count_label)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.location_label)
        register = self.register_view
        register.count_changed.connect(self._show_count)
        self._show_count(register.model.total)

    @property
    def register_view(self) -> RegisterView:
        view = self.pages["register"]
        assert isinstance(view, RegisterView)
        return view

    def _show_count(self, total: int) -> None:
        self.count_label.setText(f"找到 {total} 件" if self.register_view.filtered else f"案件共 {total} 件")

    def closeEvent(self, event: QCloseEvent) -> None:
        # Background work finishes (or gives up) before the register is closed.
        self.shell.runner.wait_all()
        self.shell.ctx.db.dispose()
        super().closeEvent(event)
