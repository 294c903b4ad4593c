"""打印预览: a case's document shown page by page, then printed or saved as PDF.

The case workspace calls ``open_document_preview(parent, shell, kind,
case_id)`` from its 打印 menu (``DOCUMENT_KINDS``). The PDF is made off the
GUI thread; the dialog draws its pages with PDFium and prints them as
images at the printer's resolution, so what is printed is exactly what was
previewed (and what a saved PDF holds).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QPageSize, QPainter, QPixmap, QResizeEvent, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from wuye_desktop.errors import DomainError
from wuye_desktop.services import outputs
from wuye_desktop.services.casework import documents
from wuye_desktop.services.casework.documents import PrintedDocument
from wuye_desktop.ui import msgbox, prefs, save_target
from wuye_desktop.ui.pdf_view import PdfPages
from wuye_desktop.ui.shell import Shell

DOCUMENT_KINDS: dict[str, str] = dict(documents.KINDS)

FOLDER_KEY = "documents"
_FIT_WIDTH, _FIT_PAGE = "fit_width", "fit_page"
_ZOOMS = (50, 75, 100, 125, 150, 200, 300)
_SCREEN_DPI = 96.0  # 100% shows the page at its real size on an ordinary monitor
_MAX_PRINT_DPI = 600  # a 1200 dpi page image would need half a gigabyte of memory


def open_document_preview(parent: QWidget | None, shell: Shell, kind: str, case_id: int) -> None:
    """Make the document in the background, then show it; problems are told in a message box."""
    title = DOCUMENT_KINDS.get(kind)
    if title is None:
        msgbox.error(parent, "无法打印", f"没有这种文书：{kind}")
        return
    progress = QProgressDialog(f"正在生成{title}…", "", 0, 0, parent)
    progress.setWindowTitle("打印")
    progress.setCancelButton(None)  # a half-made document is of no use: let it finish
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(300)
    ctx = shell.ctx

    def done(printed: PrintedDocument) -> None:
        progress.close()
        dialog = PreviewDialog(printed, shell, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def failed(message: str, _is_bug: bool) -> None:
        progress.close()
        msgbox.error(parent, f"无法生成{title}", message)

    shell.runner.start(lambda _report: documents.prepare(ctx, kind, case_id), done, failed)


class PreviewDialog(QDialog):
    def __init__(self, printed: PrintedDocument, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("documentPreview")
        self.printed, self.shell = printed, shell
        self.pages = PdfPages(printed.pdf)
        self.page = 0
        self.zoom: str | int = _FIT_WIDTH
        # Seams for tests (and for a future batch print): the real dialogs by default.
        self.ask_printer: Callable[[QPrinter], bool] = self._ask_printer
        self.choose_save_path: Callable[[str], str] = self._ask_save_path
        self.setWindowTitle(f"打印预览 — {printed.title}（{printed.number}）")
        self._build()
        if not prefs.restore_geometry(self, "documentPreview"):
            self.resize(900, 1000)
        self.show_page(0)

    # -- layout ------------------------------------------------------------------------

    def _build(self) -> None:
        self.previous_button = QPushButton("上一页")
        self.next_button = QPushButton("下一页")
        self.page_box = QSpinBox()
        self.page_box.setRange(1, len(self.pages))
        self.page_box.setPrefix("第 ")
        self.page_box.setSuffix(" 页")
        self.page_count = QLabel(f"共 {len(self.pages)} 页")
        self.zoom_out_button = QPushButton("缩小")
        self.zoom_in_button = QPushButton("放大")
        self.zoom_box = QComboBox()
        self.zoom_box.addItem("适合宽度", _FIT_WIDTH)
        self.zoom_box.addItem("整页", _FIT_PAGE)
        for percent in _ZOOMS:
            self.zoom_box.addItem(f"{percent}%", percent)
        self.print_button = QPushButton("打印…")
        self.save_button = QPushButton("另存为PDF…")
        self.close_button = QPushButton("关闭")
        self.print_button.setDefault(True)

        bar = QHBoxLayout()
        navigation: tuple[QWidget, ...] = (self.previous_button, self.page_box, self.page_count, self.next_button)
        zooming: tuple[QWidget, ...] = (self.zoom_out_button, self.zoom_box, self.zoom_in_button)
        actions: tuple[QWidget, ...] = (self.print_button, self.save_button, self.close_button)
        for group in (navigation, zooming):
            for widget in group:
                bar.addWidget(widget)
            bar.addSpacing(16)
        bar.addStretch(1)
        for widget in actions:
            bar.addWidget(widget)

        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller = QScrollArea()
        self.scroller.setWidget(self.image)
        self.scroller.setWidgetResizable(True)
        self.scroller.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroller.setStyleSheet("QScrollArea { background: #808080; } QLabel { background: #808080; }")
        self.status = QLabel(f"{self.printed.title}　编号：{self.printed.number}　共 {len(self.pages)} 页"
                             f"　字体：{self.printed.font_family}")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroller, 1)
        layout.addWidget(self.status)

        self.previous_button.clicked.connect(lambda: self.show_page(self.page - 1))
        self.next_button.clicked.connect(lambda: self.show_page(self.page + 1))
        self.page_box.valueChanged.connect(lambda value: self.show_page(value - 1))
        self.zoom_box.currentIndexChanged.connect(lambda _i: self.set_zoom(self.zoom_box.currentData()))
        self.zoom_in_button.clicked.connect(lambda: self.step_zoom(+1))
        self.zoom_out_button.clicked.connect(lambda: self.step_zoom(-1))
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.close)
        for keys, action in ((QKeySequence.StandardKey.Print, self.print_document),
                             (QKeySequence.StandardKey.Save, self.save_as),
                             (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(+1)),
                             (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1)),
                             (QKeySequence(Qt.Key.Key_PageDown), lambda: self.show_page(self.page + 1)),
                             (QKeySequence(Qt.Key.Key_PageUp), lambda: self.show_page(self.page - 1))):
            QShortcut(QKeySequence(keys), self, action)

    # -- showing -----------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        self.page = max(0, min(index, len(self.pages) - 1))
        self.page_box.blockSignals(True)
        self.page_box.setValue(self.page + 1)
        self.page_box.blockSignals(False)
        self.previous_button.setEnabled(self.page > 0)
        self.next_button.setEnabled(self.page < len(self.pages) - 1)
        self._draw()

    def set_zoom(self, zoom: str | int) -> None:
        self.zoom = zoom
        index = self.zoom_box.findData(zoom)
        if index >= 0 and index != self.zoom_box.currentIndex():
            self.zoom_box.blockSignals(True)
            self.zoom_box.setCurrentIndex(index)
            self.zoom_box.blockSignals(False)
        self._draw()

    def step_zoom(self, direction: int) -> None:
        current = self.current_percent()
        if direction > 0:
            bigger = [z for z in _ZOOMS if z > current + 1]
            self.set_zoom(bigger[0] if bigger else _ZOOMS[-1])
        else:
            smaller = [z for z in _ZOOMS if z < current - 1]
            self.set_zoom(smaller[-1] if smaller else _ZOOMS[0])

    def current_percent(self) -> float:
        return self._dpi() / _SCREEN_DPI * 100

    def _dpi(self) -> float:
        width, height = self.pages.size_points(self.page)
        room = self.scroller.viewport().size()
        across = float(room.width() - 24) / (width / 72)
        down = float(room.height() - 24) / (height / 72)
        if self.zoom == _FIT_WIDTH:
            return max(20.0, across)
        if self.zoom == _FIT_PAGE:
            return max(20.0, min(across, down))
        return _SCREEN_DPI * float(self.zoom) / 100

    def _draw(self) -> None:
        ratio = self.devicePixelRatioF()
        image = self.pages.render(self.page, self._dpi() * ratio)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.image.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom in (_FIT_WIDTH, _FIT_PAGE):
            self._draw()

    def closeEvent(self, event: object) -> None:
        prefs.save_geometry(self, "documentPreview")
        self.pages.close()
        super().closeEvent(event)  # type: ignore[arg-type]

    # -- printing and saving -------------------------------------------------------------

    def _ask_printer(self, printer: QPrinter) -> bool:
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"打印{self.printed.title}")
        dialog.setMinMax(1, len(self.pages))
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_document(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{self.printed.title}{self.printed.number}")
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setFullPage(True)  # the PDF has its own margins: place the page on the paper as it is
        printer.setFromTo(1, len(self.pages))
        if not self.ask_printer(printer):
            return
        wanted = self._pages_to_print(printer)
        painter = QPainter()
        if not painter.begin(printer):
            msgbox.error(self, "无法打印", "无法连接打印机。请检查打印机是否开机、联网，或换一台打印机再试。")
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            dpi = min(printer.resolution(), _MAX_PRINT_DPI)
            for n, index in enumerate(wanted):
                if n:
                    printer.newPage()
                self._print_page(painter, printer, index, dpi)
        finally:
            painter.end()
            QGuiApplication.restoreOverrideCursor()
        try:
            documents.record_printed(self.shell.ctx, self.printed, printer.printerName() or printer.outputFileName(),
                                     printer.copyCount())
        except DomainError as exc:
            msgbox.error(self, "打印记录未保存", exc.message)
            return
        self.status.setText(f"已发送到打印机：{printer.printerName() or printer.outputFileName()}，{len(wanted)} 页")

    def _pages_to_print(self, printer: QPrinter) -> list[int]:
        count = len(self.pages)
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first, last = printer.fromPage(), printer.toPage() or count
            return list(range(max(first, 1) - 1, min(last, count)))
        if printer.printRange() == QPrinter.PrintRange.CurrentPage:
            return [self.page]
        return list(range(count))

    def _print_page(self, painter: QPainter, printer: QPrinter, index: int, dpi: float) -> None:
        image = self.pages.render(index, dpi)
        paper = printer.paperRect(QPrinter.Unit.DevicePixel)
        width, height = self.pages.size_points(index)
        # Same size as the PDF page in inches; shrunk to fit if the paper is smaller (e.g. Letter).
        scale = min(printer.resolution() / 72, paper.width() / width, paper.height() / height)
        target = QRectF(paper.x() + (paper.width() - width * scale) / 2, paper.y(), width * scale, height * scale)
        painter.drawImage(target, image)

    def _ask_save_path(self, start: str) -> str:
        from PySide6.QtWidgets import QFileDialog

        chosen, _filter = QFileDialog.getSaveFileName(self, "另存为PDF", start, "PDF 文件 (*.pdf)",
                                                      options=save_target.SAVE_OPTIONS)
        return chosen

    def save_as(self) -> None:
        start = str(Path(prefs.last_folder(FOLDER_KEY)) / self.printed.file_name)
        chosen = self.choose_save_path(start)
        target = save_target.confirmed(self, self.shell.ctx, chosen, outputs.PDF) if chosen else None
        if target is None:
            return
        try:
            saved = documents.save(self.shell.ctx, self.printed, target.path, replace=target.exists)
        except DomainError as exc:
            msgbox.error(self, "无法保存", exc.message)
            return
        prefs.remember_folder(FOLDER_KEY, str(Path(outputs.named(chosen, outputs.PDF)).parent))
        self.status.setText(f"已保存：{saved}")
