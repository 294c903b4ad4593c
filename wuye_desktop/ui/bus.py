"""Change announcements: a service call that changed data says so; open views refresh.

Views never poll and never hold stale lists: they connect to ``changed``
and reload what they show (Anki's ``operation_did_execute`` pattern).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

CASES = "cases"
REFERENCE = "reference"  # estates, companies, mediators
SETTINGS = "settings"
ALL = "all"  # a restore or a switch of register


class ChangeBus(QObject):
    changed = Signal(str, int)  # what changed, which record (0: many or unknown)

    def announce(self, what: str, record_id: int = 0) -> None:
        self.changed.emit(what, record_id)
