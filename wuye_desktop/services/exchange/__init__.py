"""Exchange: the offline roll-up of rooms into a county's register.

The calls of ``roll_up`` are named here (``exchange.export_period``, ``exchange.import_files``, ``verify``).
Public modules: ``privacy`` (masking or removing personal data), ``rows`` (which tables travel);
The private ``_collect``, ``_package`` and ``_merge`` make the file and merge it.
"""

from wuye_desktop.services.exchange.roll_up import (
    IMPORT_ACTION,
    SUFFIX,
    ExportReport,
    FileResult,
    ImportReport,
    Period,
    export_period,
    import_files,
    parse_period,
    verify,
)

__all__ = [
    "IMPORT_ACTION",
    "SUFFIX",
    "ExportReport",
    "FileResult",
    "ImportReport",
    "Period",
    "export_period",
    "import_files",
    "parse_period",
    "verify",
]
