"""The main window: the case register, with counts, user and database in the status bar."""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from wuye_desktop.services.context import Context
from wuye_desktop.ui.register_view import RegisterView

TITLE = "物业纠纷调解台账"


class MainWindow(QMainWindow):
    def __init__(self, ctx: Context, location: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle(TITLE)
        self.resize(1180, 720)
        self.register_view = RegisterView(ctx, self)
        self.setCentralWidget(self.register_view)

        self.count_label = QLabel()
        self.user_label = QLabel(f"当前用户：{ctx.user.name}")
        self.location_label = QLabel(f"数据库：{location}")
        bar = self.statusBar()
        bar.addWidget(self.count_label)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.location_label)
        self.register_view.count_changed.connect(self._show_count)
        self.register_view.refresh()

    def _show_count(self, total: int) -> None:
        self.count_label.setText(f"找到 {total} 件" if self.register_view.filtered else f"案件共 {total} 件")

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ctx.db.dispose()
        super().closeEvent(event)
