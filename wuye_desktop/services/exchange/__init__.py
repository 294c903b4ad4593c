"""Exchange: the offline roll-up of rooms into a county's register.

The calls of ``roll_up`` are named here (``exchange.export_period``, ``exchange.import_files``, ``verify``).
Public modules: ``privacy`` (masking or removing personal data), ``rows`` (which tables travel, and the checks
of every value read back); the private ``_collect``, ``_package``, ``_signing`` and ``_merge`` make the file,
sign it and merge it.
"""

from wuye_desktop.services.exchange.roll_up import (
    IMPORT_ACTION,
    SUFFIX,
    TRUST_ACTION,
    ExportReport,
    FileResult,
    ImportReport,
    Period,
    RoomCheck,
    RoomKeyError,
    export_period,
    import_files,
    parse_period,
    pinned_rooms,
    rooms_to_confirm,
    signing_fingerprint,
    verify,
)

__all__ = [
    "IMPORT_ACTION",
    "SUFFIX",
    "TRUST_ACTION",
    "ExportReport",
    "FileResult",
    "ImportReport",
    "Period",
    "RoomCheck",
    "RoomKeyError",
    "export_period",
    "import_files",
    "parse_period",
    "pinned_rooms",
    "rooms_to_confirm",
    "signing_fingerprint",
    "verify",
]
