"""Page geometry, type sizes and the few building blocks every document is made of.

Geometry after GB/T 9704-2012 (the standard for government documents, which
is what "official" looks like to everyone handling these papers): A4, text
block 156 × 225 mm, top margin 37 mm, left margin 28 mm; body in 3号 (16 pt)
with 22 lines a page; titles in 2号 (22 pt), bold and centred. Forms
(tables) use 小四 (12 pt) so a whole 登记表 fits on one page.
"""

from __future__ import annotations

from datetime import date, datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from wuye_desktop.exports.pdf.wrap import CJKParagraph

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT_MARGIN = 28 * mm
TOP_MARGIN = 37 * mm
FRAME_WIDTH = 156 * mm
FRAME_HEIGHT = 225 * mm
BOTTOM_MARGIN = PAGE_HEIGHT - TOP_MARGIN - FRAME_HEIGHT
FOOTER_Y = BOTTOM_MARGIN - 14 * mm

SIZE_2 = 22.0  # 二号: titles
SIZE_3 = 16.0  # 三号: body of an agreement
SIZE_4 = 14.0  # 四号: body of a long agreement, page numbers
SIZE_S4 = 12.0  # 小四: forms
SIZE_5 = 10.5  # 五号: notes

# ReportLab folds runs of ordinary (and ideographic) spaces into one; no-break spaces are kept,
# each half an em wide in the CJK fonts: GAP is two characters' room.
NBSP = "\xa0"
GAP = NBSP * 4
FIELD_GAP = NBSP * 3  # between the fields of a form line; the line breaker keeps short fields whole


def cn_date(value: date | datetime | None, blank: str = f"{GAP}年{GAP}月{GAP}日") -> str:
    """2026年11月28日, as GB/T 9704 writes dates; a blank to fill in by hand when unknown."""
    if value is None:
        return blank
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime | None) -> str:
    if value is None:
        short = NBSP * 2
        return f"{GAP}年{short}月{short}日{short}时{short}分"
    return f"{cn_date(value)}{value.hour}时{value.minute:02d}分"


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals: 三, 十二, 二十; for 一式三份 and clause numbers 一、二、."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)


class Sheet:
    """Styles for one font and body size, and a record of every text set (for the glyph check)."""

    def __init__(self, font: str, body: float = SIZE_3) -> None:
        self.font = font
        self.body_size = body
        self.texts: list[str] = []
        leading = body * 1.8
        base = ParagraphStyle("base", fontName=font, fontSize=body, leading=leading, wordWrap="CJK",
                              alignment=TA_JUSTIFY)
        self.body = ParagraphStyle("body", base, firstLineIndent=2 * body)
        self.plain = ParagraphStyle("plain", base)
        # A section heading never ends a page: it goes over with the text it heads.
        self.heading = ParagraphStyle("heading", base, alignment=TA_LEFT, spaceBefore=body * 0.3, keepWithNext=1)
        self.fields = ParagraphStyle("fields", base, alignment=TA_LEFT)  # justified, the gaps would gape
        self.right = ParagraphStyle("right", base, alignment=TA_RIGHT)
        self.center = ParagraphStyle("center", base, alignment=TA_CENTER)
        cell = SIZE_S4
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=cell, leading=cell * 1.5, wordWrap="CJK",
                                   alignment=TA_LEFT)
        self.cell_label = ParagraphStyle("cell_label", self.cell, alignment=TA_CENTER)
        self.note = ParagraphStyle("note", fontName=font, fontSize=SIZE_5, leading=SIZE_5 * 1.5,
                                   wordWrap="CJK", textColor=colors.HexColor("#444444"))

    # -- text -----------------------------------------------------------------------

    def para(self, text: str, style: ParagraphStyle | None = None) -> CJKParagraph:
        """User text, escaped: a name with < or & prints as typed."""
        self.texts.append(text)
        return CJKParagraph(escape(text).replace("\n", "<br/>"), style or self.body)

    def markup(self, xml: str, plain: str, style: ParagraphStyle | None = None) -> CJKParagraph:
        """Text with <u>/<b> markup; ``plain`` is the same text without it, for the glyph check."""
        self.texts.append(plain)
        return CJKParagraph(xml, style or self.body)

    def paragraphs(self, text: str, style: ParagraphStyle | None = None) -> list[Flowable]:
        """One paragraph per line the user typed, each with its first-line indent."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        return [self.para(line, style) for line in lines] or [self.blank_lines(2)]

    def blank_lines(self, count: int) -> Flowable:
        return Spacer(1, self.body.leading * count)

    def field(self, label: str, value: str, width: int = 6) -> tuple[str, str]:
        """``label：value``, or an underlined blank to fill in by hand when there is no value."""
        if value:
            return f"{escape(label)}：{escape(value)}", f"{label}：{value}"
        return f"{escape(label)}：{'_' * (2 * width)}", f"{label}："

    def fields_line(self, items: list[tuple[str, str]], style: ParagraphStyle | None = None) -> CJKParagraph:
        xml = FIELD_GAP.join(x for x, _ in items)
        plain = FIELD_GAP.join(p for _, p in items)
        return self.markup(xml, plain, style or self.fields)

    # -- blocks ---------------------------------------------------------------------

    def title(self, text: str, size: float = SIZE_2) -> Flowable:
        self.texts.append(text)
        return BoldTitle(text, self.font, size)

    def number_line(self, label: str, number: str) -> CJKParagraph:
        return self.para(f"{label}{number}", ParagraphStyle("number", self.right, fontSize=SIZE_4,
                                                            leading=SIZE_4 * 1.8))

    def form(self, rows: list[list[object]], fractions: list[float],
             label_columns: tuple[int, ...] = (0,)) -> list[Flowable]:
        """A ruled form as wide as the text block; strings become wrapping cells.

        A row whose last cells are "" is a wide row: its second cell takes the rest of the line.
        Wide rows are laid out as tables of their own, stacked without a gap, because ReportLab
        cannot continue a spanned cell on the next page, and a long answer must be able to.
        """
        widths = [FRAME_WIDTH * f / sum(fractions) for f in fractions]
        groups: list[tuple[bool, list[list[object]]]] = []
        for row in rows:
            wide = len(row) > 2 and all(cell == "" for cell in row[2:])
            cells = [self._cell(value, col in label_columns) for col, value in enumerate(row[:2] if wide else row)]
            if groups and groups[-1][0] == wide:
                groups[-1][1].append(cells)
            else:
                groups.append((wide, [cells]))
        return [self._table(cells, [widths[0], sum(widths[1:])] if wide else widths) for wide, cells in groups]

    def _table(self, cells: list[list[object]], widths: list[float]) -> Table:
        # splitInRow: a long answer continues on the next page instead of failing the layout.
        table = Table(cells, colWidths=widths, splitInRow=1)
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), self.font, SIZE_S4),  # the table's own default is Helvetica, unembedded
            ("GRID", (0, 0), (-1, -1), 0.7, colors.black),
            # Rows of long answers may be split over pages, which ReportLab gets wrong for centred cells.
            ("VALIGN", (0, 0), (-1, -1), "TOP" if len(widths) == 2 else "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 3),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ]))
        return table

    def _cell(self, value: object, label: bool) -> object:
        if isinstance(value, str):
            return self.para(value, self.cell_label if label else self.cell)
        return value

    def cell_text(self, text: str, style: ParagraphStyle | None = None, lines: int = 2) -> list[Flowable]:
        """A long answer inside a form cell, one paragraph per typed line; empty: room to write by hand."""
        typed = [line.strip() for line in text.splitlines() if line.strip()]
        return [self.para(line, style or self.cell) for line in typed] or [Spacer(1, self.cell.leading * lines)]

    def signatures(self, *groups: list[str], height: float = 16 * mm) -> Flowable:
        """Signature lines two to a row, each group (parties; mediator and recorder) starting a new row.

        Each cell is the label and the room to sign under it, so the two never part.
        """
        size = min(self.body_size, SIZE_4)  # 申请人（签名盖章或按指印）： fits half the line
        label_style = ParagraphStyle("signature", self.plain, fontSize=size, leading=size * 1.6)
        rows: list[list[object]] = []
        for labels in groups:
            cells: list[object] = [[self.para(label, label_style), Spacer(1, height)] for label in labels]
            if len(cells) % 2:
                cells.append("")
            rows += [cells[i:i + 2] for i in range(0, len(cells), 2)]
        table = Table(rows, colWidths=[FRAME_WIDTH / 2] * 2)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), self.font, SIZE_S4),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        return table


class BoldTitle(Flowable):  # type: ignore[misc]  # ReportLab is untyped
    """A centred title, bold even in a font without a bold face (stroked as well as filled, as Word does)."""

    def __init__(self, text: str, font: str, size: float) -> None:
        super().__init__()
        self.text, self.font, self.size = text, font, size

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, self.size * 1.9

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(self.font, self.size)
        canvas.setLineWidth(self.size * 0.04)
        text = canvas.beginText()
        text.setTextRenderMode(2)  # fill and stroke
        width = canvas.stringWidth(self.text, self.font, self.size)
        text.setTextOrigin((self.width - width) / 2, self.size * 0.65)
        text.textOut(self.text)
        canvas.drawText(text)
        canvas.restoreState()


class SealBlock(Flowable):  # type: ignore[misc]
    """The committee's name, the date, and a dashed circle where the seal goes, over them as a seal sits."""

    def __init__(self, sheet: Sheet, seal_text: str, day: str) -> None:
        super().__init__()
        self.sheet = sheet
        self.lines = [seal_text, day]
        sheet.texts += [*self.lines, "（盖章）"]
        self.radius = 21 * mm  # a committee seal is 42 mm across

    def wrap(self, avail_width: float, _avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        return avail_width, 2 * self.radius + 4 * mm

    def draw(self) -> None:
        canvas, size, font = self.canv, self.sheet.body_size, self.sheet.font
        widest = max(canvas.stringWidth(line, font, size) for line in self.lines)
        right = self.width
        centre_x = right - widest / 2
        centre_y = self.radius + 2 * mm
        canvas.saveState()
        canvas.setStrokeColor(colors.HexColor("#999999"))
        canvas.setDash(3, 3)
        canvas.setLineWidth(0.7)
        canvas.circle(centre_x, centre_y, self.radius)
        canvas.setFillColor(colors.HexColor("#999999"))
        canvas.setFont(font, SIZE_5)
        canvas.drawCentredString(centre_x, centre_y + self.radius - 7 * mm, "（盖章）")
        canvas.setFillColor(colors.black)
        canvas.setFont(font, size)
        y = centre_y + size * 0.2
        for line in self.lines:
            canvas.drawRightString(right, y, line)
            y -= size * 1.8
        canvas.restoreState()


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))
