"""Many plain rows written straight into a sheet's XML after openpyxl has saved the workbook.

openpyxl spends ~20 µs on each cell; a month's ledger has hundreds of
thousands. Everything else in the file (styles, titles, merged cells,
print setup, the notes under the table) still comes from openpyxl; only
the ledger's body rows are spliced into the sheet's ``<sheetData>`` as
inline strings and numbers carrying the style ids openpyxl registered.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.worksheet import Worksheet

_ROW_START = re.compile(rb'<row r="(\d+)"')


class BulkRows:
    """Rows from ``first_row`` on, each cell styled by its column (text cells by the text style)."""

    def __init__(self, ws: Worksheet, first_row: int, value_styles: Sequence[str], text_styles: Sequence[str]) -> None:
        self.ws = ws
        self.first_row = first_row
        self.letters = [get_column_letter(i) for i in range(1, len(value_styles) + 1)]
        self.value_ids = [_style_id(ws, name) for name in value_styles]
        self.text_ids = [_style_id(ws, name) for name in text_styles]
        self.parts: list[str] = []
        self.count = 0

    def add(self, values: Sequence[object], height: float | None = None) -> None:
        row = self.first_row + self.count
        self.count += 1
        size = f' ht="{height:g}" customHeight="1"' if height else ""
        cells = [f'<row r="{row}"{size}>']
        for letter, value_id, text_id, value in zip(self.letters, self.value_ids, self.text_ids, values, strict=True):
            ref = f"{letter}{row}"
            if value is None or value == "":
                cells.append(f'<c r="{ref}" s="{value_id}"/>')
            elif isinstance(value, str):
                text = escape(ILLEGAL_CHARACTERS_RE.sub("", value))
                cells.append(f'<c r="{ref}" s="{text_id}" t="inlineStr">'
                             f'<is><t xml:space="preserve">{text}</t></is></c>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{ref}" s="{value_id}" t="b"><v>{int(value)}</v></c>')
            else:
                cells.append(f'<c r="{ref}" s="{value_id}"><v>{_number(value)}</v></c>')
        cells.append("</row>")
        self.parts.append("".join(cells))

    @property
    def next_row(self) -> int:
        return self.first_row + self.count


def _style_id(ws: Worksheet, name: str) -> int:
    probe = Cell(ws)  # never placed in the sheet: only registers the style and reads its index
    probe.style = name
    return int(probe.style_id)


def _number(value: object) -> str:
    if isinstance(value, datetime):
        return repr(float(to_excel(value)))
    if isinstance(value, date):
        return str(int(to_excel(value)))
    if isinstance(value, Decimal):
        return repr(float(value))
    if isinstance(value, int | float):
        return repr(value)
    raise TypeError(f"cannot write {type(value).__name__} to a cell")


def splice(path: Path, bulks: Sequence[BulkRows]) -> None:
    """Put each sheet's bulk rows into the saved file, before the rows openpyxl wrote after them."""
    wanted = {bulk.ws.path.lstrip("/"): bulk for bulk in bulks if bulk.count}
    if not wanted:
        return
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=".wuye-", suffix=".xlsx")
    os.close(descriptor)
    temp = Path(name)
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as target:
            for item in source.infolist():
                data = source.read(item.filename)
                if item.filename in wanted:
                    data = _insert(data, wanted[item.filename])
                target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
        shutil.move(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _insert(xml: bytes, bulk: BulkRows) -> bytes:
    body = "".join(bulk.parts).encode("utf-8")
    for found in _ROW_START.finditer(xml):
        number = int(found[1])
        if number >= bulk.first_row:
            if number < bulk.next_row:  # a cell was written where the bulk rows go: the file would be invalid
                raise ValueError(f"row {number} of {bulk.ws.title} was written both ways")
            return xml[:found.start()] + body + xml[found.start():]
    end = xml.rindex(b"</sheetData>")
    return xml[:end] + body + xml[end:]
