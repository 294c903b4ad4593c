"""Reading a 12345 export (.xlsx or .csv) into rows under its header, or saying why the file cannot be read.

The header is the row, among the first ones, that names the most known
columns: titles and notes above it are passed over. Merged cells give
their value to every cell they cover. A file that is empty, damaged,
encrypted with a password, an old .xls, or not a spreadsheet at all gets
a message saying so and what to do.
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from wuye_desktop.errors import DomainError
from wuye_desktop.services.hotline.columns import header_score

log = logging.getLogger(__name__)

HEADER_SEARCH_ROWS = 30
MAX_BYTES = 50 * 1024 * 1024
_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: old .xls, or an OOXML file encrypted with a password
_ENCRYPTED_MARK = "EncryptionInfo".encode("utf-16-le")


class UnreadableFileError(DomainError):
    """The file is not a work-order sheet this program can read."""


@dataclass(frozen=True)
class SourceTable:
    """A sheet's rows under its header; ``rows`` hold (row number in the file, cells)."""

    path: Path
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[object]]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.name


def read_table(path: str | Path) -> SourceTable:
    source = Path(path)
    if not source.is_file():
        raise UnreadableFileError(f"找不到文件“{source}”")
    size = source.stat().st_size
    if size == 0:
        raise UnreadableFileError(f"文件“{source.name}”是空的（0 字节），请重新从12345平台导出")
    if size > MAX_BYTES:
        raise UnreadableFileError(f"文件“{source.name}”超过 50 MB，不像是工单导出表，请确认选对了文件")
    with source.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(source)
    if head.startswith(_CFB):
        if _ENCRYPTED_MARK in source.read_bytes():
            raise UnreadableFileError(
                f"文件“{source.name}”设置了打开密码，无法读取。请在 Excel 或 WPS 中打开它，"
                "在“文件—信息—保护工作簿”（WPS：“文件—文档加密”）中取消密码并保存后再导入")
        raise UnreadableFileError(
            f"文件“{source.name}”是旧版 Excel（.xls）格式。请在 Excel 或 WPS 中打开，"
            "“另存为” Excel 工作簿（.xlsx）后再导入")
    if head.startswith(b"%PDF"):
        raise UnreadableFileError(f"文件“{source.name}”是 PDF，不能导入。请从12345平台导出 Excel（.xlsx）或 CSV 文件")
    if source.suffix.lower() in (".csv", ".txt"):
        return _read_csv(source)
    raise UnreadableFileError(
        f"无法识别文件“{source.name}”的格式。请选择12345平台导出的 Excel（.xlsx）或 CSV 文件")


def _read_xlsx(source: Path) -> SourceTable:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(source) as archive:
            names = set(archive.namelist())
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise _damaged(source) from None
    if "xl/workbook.xml" not in names:
        kind = "Word 文档" if "word/document.xml" in names else "压缩包或其他文件"
        raise UnreadableFileError(f"文件“{source.name}”不是 Excel 工作簿（看起来是{kind}），请选择工单导出表")
    if broken is not None:
        raise _damaged(source)
    try:
        book = openpyxl.load_workbook(source, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, EOFError):
        raise _damaged(source) from None
    except Exception as exc:  # openpyxl fails in many ways on a damaged part (bad XML, missing styles, ...)
        log.warning("cannot read %s: %r", source.name, exc)
        raise _damaged(source) from None
    try:
        candidates = [book.active, *(ws for ws in book.worksheets if ws is not book.active)]
        best: SourceTable | None = None
        best_score = -1
        for ws in candidates:
            if ws is None or ws.sheet_state != "visible":
                continue
            grid = _grid(ws)
            found = _find_header(grid)
            if found is not None and found[1] > best_score:
                best, best_score = _table(source, ws.title, grid, found[0]), found[1]
    finally:
        book.close()
    if best is None:
        raise _empty(source)
    return best


def _grid(ws) -> list[list[object]]:  # type: ignore[no-untyped-def]
    """The sheet's values, with each merged range's value copied into all its cells."""
    grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(grid))):
            row = grid[r]
            if len(row) < merged.max_col:
                row.extend([None] * (merged.max_col - len(row)))
            for c in range(merged.min_col - 1, merged.max_col):
                row[c] = value
    return grid


def _find_header(grid: list[list[object]]) -> tuple[int, int] | None:
    """(index of the header row, how many columns it names).

    A header names at least two known columns; failing that the first row
    with anything in it is taken, so the columns can be matched by hand.
    None: the sheet is empty.
    """
    best: tuple[int, int] | None = None
    first: int | None = None
    for index, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        if first is None and any(c not in (None, "") for c in cells):
            first = index
        score = header_score(cells)
        if score >= 2 and (best is None or score > best[1]):
            best = (index, score)
    return best or ((first, 0) if first is not None else None)


def _table(source: Path, sheet: str, grid: list[list[object]], header_index: int) -> SourceTable:
    header = grid[header_index]
    width = max(len(header), max((len(r) for r in grid[header_index + 1:]), default=0))
    headers = [str(h).strip() if h is not None else "" for h in header] + [""] * (width - len(header))
    rows = [(number, list(cells) + [None] * (width - len(cells)))
            for number, cells in enumerate(grid[header_index + 1:], start=header_index + 2)]
    return SourceTable(source, sheet, header_index + 1, headers, rows)


def _read_csv(source: Path) -> SourceTable:
    raw = source.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFileError(f"文件“{source.name}”不是文本表格（CSV），请选择12345平台导出的 Excel 或 CSV 文件")
    text = _decode(raw, source)
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    grid: list[list[object]] = [list(row) for row in csv.reader(io.StringIO(text), dialect)]
    found = _find_header(grid)
    if found is None:
        raise _empty(source)
    return _table(source, "", grid, found[0])


def _decode(raw: bytes, source: Path) -> str:
    """UTF-8 (with or without BOM), UTF-16, or GB18030, which Chinese Excel uses when saving CSV."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError(f"文件“{source.name}”的文字编码无法识别，请在 Excel 中另存为“CSV UTF-8”后再导入")


def _damaged(source: Path) -> UnreadableFileError:
    return UnreadableFileError(
        f"文件“{source.name}”已损坏，无法打开。请重新从12345平台导出，或在 Excel/WPS 中打开后另存一份再导入")


def _empty(source: Path) -> UnreadableFileError:
    return UnreadableFileError(f"文件“{source.name}”中没有任何内容，请重新从12345平台导出")
