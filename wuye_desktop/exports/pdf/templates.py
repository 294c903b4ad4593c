"""The page: A4 with the text block of GB/T 9704, and 第X页 共Y页 under it.

The total is only known at the end, so the canvas keeps each finished page
and writes every footer when the document is saved (one layout pass, not
two).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from wuye_desktop.exports.pdf.styles import (
    BOTTOM_MARGIN,
    FOOTER_Y,
    FRAME_HEIGHT,
    FRAME_WIDTH,
    LEFT_MARGIN,
    PAGE_WIDTH,
    SIZE_S4,
)


@dataclass(frozen=True)
class Footer:
    """Which pages are numbered: from physical page ``first`` on; ``extra`` pages follow (appended PDFs)."""

    font: str
    first: int = 1
    extra: int = 0

    def text(self, page: int, pages: int) -> str:
        if page < self.first:
            return ""
        return f"第{page - self.first + 1}页 共{pages - self.first + 1 + self.extra}页"


def _canvas_class(footer: Footer) -> Callable[..., Canvas]:
    class NumberedCanvas(Canvas):  # type: ignore[misc]  # ReportLab is untyped
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            # Without this the page starts in Helvetica, which is then listed, unembedded, on every page.
            kwargs["initialFontName"] = footer.font
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                text = footer.text(number, total)
                if text:
                    self.setFont(footer.font, SIZE_S4)
                    self.drawCentredString(PAGE_WIDTH / 2, FOOTER_Y, text)
                super().showPage()
            super().save()

    return NumberedCanvas


class _Document(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, target: io.BytesIO, on_flowable: Callable[[Flowable, int], None] | None,
                 **kwargs: Any) -> None:
        super().__init__(target, **kwargs)
        frame = Frame(LEFT_MARGIN, BOTTOM_MARGIN, FRAME_WIDTH, FRAME_HEIGHT,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="text")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._on_flowable = on_flowable

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        if self._on_flowable is not None:
            self._on_flowable(flowable, self.page)


@dataclass(frozen=True)
class Built:
    pdf: bytes
    pages: int


def build(story: list[Flowable], *, title: str, author: str, footer: Footer,
          on_flowable: Callable[[Flowable, int], None] | None = None) -> Built:
    """Lay the story out on A4 pages; returns the PDF bytes and the page count."""
    from reportlab.lib.pagesizes import A4

    buffer = io.BytesIO()
    doc = _Document(buffer, on_flowable, pagesize=A4, title=title, author=author,
                    subject=title, creator="物业纠纷调解台账", leftMargin=LEFT_MARGIN,
                    rightMargin=PAGE_WIDTH - LEFT_MARGIN - FRAME_WIDTH, topMargin=0, bottomMargin=BOTTOM_MARGIN)
    doc.build(story, canvasmaker=_canvas_class(footer))
    return Built(buffer.getvalue(), doc.page)
