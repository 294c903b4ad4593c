"""A formatted sheet a clerk can hand in: title, unit and period, one header row, print setup.

Plain values in: str, int, float, Decimal, date, None. Styles are named
once per workbook so thousands of ledger rows share them (fast to write,
small file). Fonts are the Windows defaults every Chinese office has
(宋体 body, 黑体 headings); LibreOffice and WPS substitute their own.
Import this module only inside functions: openpyxl is slow to import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins

from wuye_desktop.exports.xlsx_fast import BulkRows, splice

BODY_FONT = "宋体"
HEAD_FONT = "黑体"
FORMATS = {
    "text": "@",
    "center": "@",  # short words (评级, 单位) centred
    "count": "0",
    "rate": "0.0%",
    "amount": "#,##0.00",
    "money": "#,##0.00",
    "days": "0.0",
    "date": "yyyy-mm-dd",
}
_THIN = Side(style="thin", color="808080")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
GRADE_FILLS = {"green": "C6EFCE", "blue": "BDD7EE", "yellow": "FFEB9C", "red": "FFC7CE"}
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
Value = str | int | float | Decimal | date | datetime | None


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # in Excel's character units; a Chinese character is about two
    kind: str = "text"  # a key of FORMATS
    wrap: bool = False


class Book:
    """A workbook of formatted sheets; ``save`` also writes the sheets' bulk rows."""

    def __init__(self) -> None:
        self.workbook = new_workbook()
        self.sheets: list[Sheet] = []

    def sheet(self, name: str, title: tuple[str, str], subtitle: Sequence[str], columns: Sequence[Column]) -> Sheet:
        sheet = Sheet(self.workbook, name, title, subtitle, columns)
        self.sheets.append(sheet)
        return sheet

    def save(self, path: str | Path) -> None:
        target = Path(path)
        self.workbook.save(str(target))
        splice(target, [s.bulk for s in self.sheets if s.bulk is not None])


def new_workbook() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for kind, fmt in FORMATS.items():
        for weight in ("plain", "bold"):
            horizontal = {"text": "left", "center": "center", "date": "center"}.get(kind, "right")
            for wrap in (False, True):
                style = NamedStyle(
                    name=_style_name(kind, weight, wrap), number_format=fmt, border=_BOX,
                    font=Font(name=BODY_FONT, size=10, bold=weight == "bold"),
                    alignment=Alignment(horizontal=horizontal, vertical="center", wrap_text=wrap),
                )
                book.add_named_style(style)
    return book


def _style_name(kind: str, weight: str, wrap: bool) -> str:
    return f"wuye_{kind}_{weight}{'_wrap' if wrap else ''}"


def sheet_name(text: str, taken: Sequence[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = _SHEET_NAME_FORBIDDEN.sub("", text)[:31] or "Sheet"
    name, n = base, 2
    while name in taken:
        suffix = f"（{n}）"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    return name


class Sheet:
    """Rows are appended under a title, a subtitle and the header row; ``finish`` sets up printing."""

    TITLE_ROW, SUBTITLE_ROW, HEADER_ROW = 1, 2, 3

    def __init__(self, book: Workbook, name: str, title: tuple[str, str], subtitle: Sequence[str],
                 columns: Sequence[Column]) -> None:
        """``title``: (unit, what); ``subtitle``: short parts, packed into as few lines as the width allows."""
        self.ws = book.create_sheet(sheet_name(name, book.sheetnames))
        self.columns = list(columns)
        width = len(self.columns)
        ws = self.ws
        room = sum(c.width for c in self.columns)
        heading = "".join(title)
        title_text = heading if _display(heading) * 1.3 <= room else "\n".join(title)
        subtitle_text = "\n".join(_pack(subtitle, room * 1.2))
        for row, text, font in ((self.TITLE_ROW, title_text, Font(name=HEAD_FONT, size=16)),
                                (self.SUBTITLE_ROW, subtitle_text, Font(name=BODY_FONT, size=10))):
            cell = ws.cell(row=row, column=1, value=text)
            cell.font = font
            cell.alignment = Alignment(horizontal="center" if row == self.TITLE_ROW else "left",
                                       vertical="center", wrap_text=True)
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            lines = text.count("\n") + 1
            ws.row_dimensions[row].height = (24 if row == self.TITLE_ROW else 15) * lines + 4
        for index, column in enumerate(self.columns, 1):
            cell = ws.cell(row=self.HEADER_ROW, column=index, value=column.header)
            cell.font = Font(name=HEAD_FONT, size=10, bold=True)
            cell.fill = _HEAD_FILL
            cell.border = _BOX
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.row_dimensions[self.HEADER_ROW].height = 30
        self.next_row = self.HEADER_ROW + 1
        self.bulk: BulkRows | None = None

    def add(self, values: Sequence[Value], *, bold: bool = False, section: bool = False,
            fills: dict[int, str] | None = None) -> int:
        """Append one row; ``fills`` colours single cells (column index from 0 → RGB)."""
        row = self.next_row
        weight = "bold" if bold or section else "plain"
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True), 1):
            cell = self.ws.cell(row=row, column=index, value=_plain(value))
            kind = column.kind if value is None or not isinstance(value, str) or column.kind == "center" else "text"
            cell.style = _style_name(kind, weight, column.wrap)
            if section:
                cell.fill = _SECTION_FILL
            if fills and index - 1 in fills:
                cell.fill = PatternFill("solid", fgColor=fills[index - 1])
        height = self._height(values)
        if height:
            self.ws.row_dimensions[row].height = height
        self.next_row += 1
        return row

    def add_many(self, rows: Iterable[Sequence[Value]]) -> None:
        """Plain rows in the columns' own styles, written fast (see xlsx_fast); only notes may follow."""
        if self.bulk is None:
            self.bulk = BulkRows(
                self.ws, self.next_row,
                [_style_name(c.kind, "plain", c.wrap) for c in self.columns],
                [_style_name("center" if c.kind == "center" else "text", "plain", c.wrap) for c in self.columns])
        for values in rows:
            self.bulk.add(values, self._height(values))
        self.next_row = self.bulk.next_row

    def _height(self, values: Sequence[Value]) -> float | None:
        """Excel fits wrapped rows itself, LibreOffice does not: give every reader the same height."""
        lines = max((_lines(v, c.width) for c, v in zip(self.columns, values, strict=True) if c.wrap), default=1)
        return 13.5 * lines + 3 if lines > 1 else None

    def notes(self, lines: Sequence[str]) -> None:
        """Definitions under the table, one merged row each, tall enough for their text."""
        width = len(self.columns)
        chars = max(sum(c.width for c in self.columns) / 1.2, 20)  # 9-point Chinese characters per printed line
        self.next_row += 1
        for text in lines:
            row = self.next_row
            cell = self.ws.cell(row=row, column=1, value=f"注：{text}")
            cell.font = Font(name=BODY_FONT, size=9, color="404040")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            self.ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
            self.ws.row_dimensions[row].height = 14 * (int(len(text) / chars) + 1)
            self.next_row += 1

    def finish(self, freeze_columns: int = 0) -> None:
        """Frozen header, A4 landscape one page wide, header row repeated on every page."""
        ws = self.ws
        # A coordinate, not ws.cell(): that would create an empty cell where the bulk rows go.
        ws.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{self.HEADER_ROW + 1}"
        print_setup(ws, self.HEADER_ROW)
        if self.next_row > self.HEADER_ROW + 1:
            last = get_column_letter(len(self.columns))
            ws.print_area = f"A1:{last}{self.next_row - 1}"


def print_setup(ws: Any, header_row: int) -> None:
    """A4 landscape, one page wide, the header row repeated on every page, page numbers below."""
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.3, right=0.3, top=0.5, bottom=0.6, header=0.3, footer=0.3)
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9


def _display(text: str) -> int:
    """Width in half-width characters: a Chinese character takes two."""
    return sum(1 if ord(ch) < 0x2E80 else 2 for ch in text)


def _lines(value: Value, width: float) -> int:
    """Printed lines of a wrapped cell: about 1.15 half-width characters per unit of column width."""
    if not isinstance(value, str) or not value:
        return 1
    room = max(int(width * 1.15) - 1, 1)
    return sum(-(-_display(part) // room) or 1 for part in value.split("\n"))


def _pack(parts: Sequence[str], room: float) -> list[str]:
    lines: list[str] = []
    for part in parts:
        joined = f"{lines[-1]}　　{part}" if lines else part
        if lines and _display(joined) <= room:
            lines[-1] = joined
        else:
            lines.append(part)
    return lines


def _plain(value: Value) -> Any:
    # Decimal goes in as a float: openpyxl would write str(Decimal), which can be "0E-6".
    if isinstance(value, Decimal):
        return float(value)
    return value
