"""Long lists fetched a page at a time, wherever the user looks (the register, the audit trail).

The table has a row for every item from the start (the count is known), but
only the pages looked at are fetched: Ctrl+End on 100,000 cases costs one
page, not every page in between. At most ``kept`` pages are held; the one
looked at longest ago goes first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QCoreApplication, QModelIndex, QPersistentModelIndex, Qt

Row = TypeVar("Row")
Index = QModelIndex | QPersistentModelIndex

PAGE_SIZE = 200
KEPT_PAGES = 50  # 10,000 rows in memory at most


class PagedRows(Generic[Row]):
    def __init__(self, fetch_page: Callable[[int, int], list[Row]], page_size: int = PAGE_SIZE,
                 kept: int = KEPT_PAGES) -> None:
        self._fetch_page = fetch_page
        self.page_size, self._kept = page_size, kept
        self._pages: OrderedDict[int, list[Row]] = OrderedDict()
        self.total = 0

    def reset(self, first_page: list[Row], total: int) -> None:
        """Start again from a first page already fetched and the number of rows there are."""
        self._pages.clear()
        self._pages[0] = first_page
        self.total = total

    @property
    def loaded(self) -> int:
        """How many rows are held now (the rest are fetched when looked at)."""
        return sum(len(rows) for rows in self._pages.values())

    def get(self, row: int) -> Row | None:
        """The row, fetching its page if needed; None past the end (the list shrank meanwhile)."""
        if not 0 <= row < self.total:
            return None
        number = row // self.page_size
        rows = self._pages.get(number)
        if rows is None:
            rows = self._fetch_page(number * self.page_size, self.page_size)
            self._pages[number] = rows
            while len(self._pages) > self._kept:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * self.page_size
        return rows[offset] if offset < len(rows) else None

    def at(self, row: int) -> Row:
        found = self.get(row)
        if found is None:
            raise IndexError(row)
        return found


class PagedTableModel(QAbstractTableModel, Generic[Row]):
    """A table over ``PagedRows``: a row per item from the start, each page fetched when first shown.

    Subclasses name their ``columns`` and say what a cell shows in ``cell``.
    ``fetch_first`` (optional) gives the first page and the count in one query.
    """

    columns: tuple[str, ...] = ()
    context = "PagedTableModel"  # the translation context of the column titles

    def __init__(self, fetch_page: Callable[[int, int], list[Row]], count: Callable[[], int], parent: Any = None,
                 fetch_first: Callable[[int], tuple[list[Row], int]] | None = None) -> None:
        super().__init__(parent)
        self._fetch_page, self._count, self._fetch_first = fetch_page, count, fetch_first
        self._rows: PagedRows[Row] = PagedRows(fetch_page)

    def reload(self) -> None:
        """Start again from the first page (after a search, a filter change, a save).

        Fetched before the reset begins: a refused query (a case number not found) leaves
        the table as it was, not half-way through a reset that never ends.
        """
        if self._fetch_first is not None:  # one query for both: a search scans the text once
            first, total = self._fetch_first(PAGE_SIZE)
        else:
            total = self._count()
            first = self._fetch_page(0, PAGE_SIZE) if total else []
        self.beginResetModel()
        self._rows.reset(first, total)
        self.endResetModel()

    @property
    def total(self) -> int:
        return self._rows.total

    @property
    def loaded_rows(self) -> int:
        """How many rows the model holds now (the rest are fetched when looked at)."""
        return self._rows.loaded

    def row_at(self, row: int) -> Row:
        return self._rows.at(row)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._rows.total

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate(self.context, self.columns[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._rows.get(index.row()) if index.isValid() else None
        return None if row is None else self.cell(row, index.column(), role)

    def cell(self, row: Row, column: int, role: int) -> Any:
        raise NotImplementedError
