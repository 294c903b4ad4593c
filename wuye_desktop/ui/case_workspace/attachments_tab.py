"""附件: scans and photos from disk, copied into the data folder in the background, opened by the system."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from wuye_desktop.models.enums import CaseStatus
from wuye_desktop.services.cases.dto import CaseDetail
from wuye_desktop.services.casework import attachments
from wuye_desktop.services.casework.attachments import AttachmentView
from wuye_desktop.services.permissions import Permission
from wuye_desktop.ui import msgbox, prefs
from wuye_desktop.ui.case_workspace.base import CaseTab, Reload, Workspace
from wuye_desktop.ui.forms import attempt, shown_datetime
from wuye_desktop.ui.rows_model import Column, RowsModel, fit_columns, selected_row, table_view

FOLDER_KIND = "attachments"
FILE_FILTER = "图片和文档 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.pdf *.doc *.docx *.xls *.xlsx);;所有文件 (*)"


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class AttachmentsTab(CaseTab):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__(workspace)
        self.busy = False
        self.open_url: Callable[[QUrl], Any] = QDesktopServices.openUrl
        self.model: RowsModel[AttachmentView] = RowsModel([
            Column(self.tr("文件名"), lambda a: a.file_name), Column(self.tr("类别"), lambda a: a.category),
            Column(self.tr("大小"), lambda a: human_size(a.size), align_right=True),
            Column(self.tr("添加人"), lambda a: a.added_by)
            , Column(self.tr("添加时间"), lambda a: shown_datetime(a.added_at)),
            Column(self.tr("说明"), lambda a: a.description),
        ], self)
        self.table = table_view(self.model)
        fit_columns(self.table, (16, 5, 5, 5, 10, 14))
        self.table.doubleClicked.connect(lambda index: self.open_attachment(index.row()))
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems([self.tr(c) for c in attachments.CATEGORIES])
        self.description = QLineEdit(placeholderText=self.tr("说明，可不填"))
        self.add_button = QPushButton(self.tr("添加文件…"))
        self.open_button = QPushButton(self.tr("打开"))
        self.remove_button = QPushButton(self.tr("移除"))
        self.progress = QProgressBar()
        self.progress.hide()
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("类别")))
        row.addWidget(self.category)
        row.addWidget(self.description, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.open_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(lambda: self.open_attachment(selected_row(self.table)))
        self.remove_button.clicked.connect(self.remove_selected)

    def load(self, detail: CaseDetail, why: Reload) -> None:
        self.model.set_rows(attachments.list_for(self.ctx, self.case_id))
        writable = self.may(Permission.MEDIATE) and detail.status is not CaseStatus.CLOSED
        self.add_button.setEnabled(writable and not self.busy)
        self.remove_button.setEnabled(writable)

    def choose_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("选择要添加的扫描件或照片"),
                                                prefs.last_folder(FOLDER_KIND), self.tr(FILE_FILTER))
        if paths:
            prefs.remember_folder(FOLDER_KIND, paths[0])
            self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> None:
        """Copy and hash off the GUI thread: scans can be large."""
        ctx, case_id = self.ctx, self.case_id
        category, description = self.category.currentText(), self.description.text()
        self.busy = True
        self.add_button.setEnabled(False)
        self.progress.setRange(0, len(paths) * 100)
        self.progress.setValue(0)
        self.progress.show()

        def job(progress: Callable[[int, int], None]) -> int:
            for index, path in enumerate(paths):
                def one(done: int, total: int, index: int = index) -> None:
                    progress(index * 100 + 100 * done // max(total, 1), len(paths) * 100)

                attachments.add(ctx, case_id, path, category, description, one)
            return len(paths)

        self.workspace.shell.runner.start(job, self._added, self._failed, self._progress)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _finish(self) -> None:
        self.busy = False
        self.progress.hide()
        self.add_button.setEnabled(True)
        self.description.clear()

    def _added(self, _count: object) -> None:
        self._finish()

    def _failed(self, message: str, _is_bug: bool) -> None:
        self._finish()
        msgbox.error(self, self.tr("无法添加附件"), message)

    def open_attachment(self, row: int) -> None:
        if row < 0:
            return
        item = self.model.row_at(row)
        folder = Path(tempfile.gettempdir()) / "wuye-attachments"
        ok, path = attempt(self, self.tr("无法打开附件"),
                           lambda: attachments.viewable_copy(self.ctx, item.id, folder))
        if ok and path is not None:
            self.open_url(QUrl.fromLocalFile(str(path)))

    def remove_selected(self) -> None:
        row = selected_row(self.table)
        if row < 0:
            return
        item = self.model.row_at(row)
        if msgbox.confirm(self, self.tr("移除附件"), self.tr("确定从本案移除“{0}”吗？").format(item.file_name)):
            self.workspace.write(self.tr("无法移除附件"), lambda: attachments.remove(self.ctx, item.id))
