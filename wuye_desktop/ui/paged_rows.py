"""Rows of a long list fetched a page at a time, wherever the user looks (the register, the audit trail).

The table has a row for every item from the start (the count is known), but
only the pages looked at are fetched: Ctrl+End on 100,000 cases costs one
page, not every page in between. At most ``kept`` pages are held; the one
looked at longest ago goes first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

Row = TypeVar("Row")

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
