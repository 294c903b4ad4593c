"""Hotline: 12345 work orders in (checked whole, then registered as cases) and replies out.

The calls of ``work_orders`` are named here (``hotline.check``, ``hotline.import_orders``).
Public modules: ``columns`` (header names and values; ``_reading`` turns .xlsx/.csv into rows),
``replies`` (the reply sheet for the platform).
"""

from wuye_desktop.services.hotline._reading import SourceTable, read_table
from wuye_desktop.services.hotline.work_orders import (
    ANONYMOUS,
    SUMMARY_LENGTH,
    CheckReport,
    ImportResult,
    PreparedOrder,
    Problem,
    Progress,
    check,
    column_letter,
    import_orders,
)

__all__ = [
    "ANONYMOUS",
    "SUMMARY_LENGTH",
    "CheckReport",
    "ImportResult",
    "PreparedOrder",
    "Problem",
    "Progress",
    "SourceTable",
    "check",
    "column_letter",
    "import_orders",
    "read_table",
]
