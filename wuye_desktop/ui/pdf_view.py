"""PDF pages as images, for the print preview and the printer.

The PySide6 wheels used here lack QtPdf, so PDFium (pypdfium2) draws the
pages. PDFium is not thread-safe: use one ``PdfPages`` from one thread.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QImage

POINTS_PER_INCH = 72.0


class PdfPages:
    def __init__(self, data: bytes) -> None:
        import pypdfium2  # type: ignore[import-untyped]

        self._doc: Any = pypdfium2.PdfDocument(data)

    def __len__(self) -> int:
        return len(self._doc)

    def size_points(self, index: int) -> tuple[float, float]:
        width, height = self._doc[index].get_size()
        return float(width), float(height)

    def render(self, index: int, dpi: float) -> QImage:
        """Page ``index`` (from 0) at ``dpi`` dots per inch, white background."""
        page = self._doc[index]
        try:
            bitmap = page.render(scale=dpi / POINTS_PER_INCH, rev_byteorder=True, prefer_bgrx=True)
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888)
            return image.copy()  # the bitmap's memory goes when it does
        finally:
            page.close()

    def close(self) -> None:
        self._doc.close()
