"""The change bus: every committed write reaches every open view as one change set.

Views never poll and no screen announces anything: the bus watches the
register (``Database.watch``), turns what each committed unit of work wrote
into a ``services.changes.Changes`` and emits it on the GUI thread, whichever
thread wrote. Each view connects to ``changed`` and reloads what it shows if a
topic it shows is among the changes (Anki's ``operation_did_execute``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from wuye_desktop.storage.engine import Database, Written


class ChangeBus(QObject):
    changed = Signal(object)  # a services.changes.Changes
    _arrived = Signal(object)  # a storage.engine.Written, from whichever thread wrote

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A bound method of this object: from another thread the call is queued onto this one's.
        self._arrived.connect(self._publish)

    def listen_to(self, db: Database) -> None:
        """Hear every committed write on ``db``; stops when the bus goes."""
        stop = db.watch(self._arrived.emit)
        self.destroyed.connect(lambda _obj=None, stop=stop: stop())

    def _publish(self, written: Written) -> None:
        from wuye_desktop.services import changes

        self.changed.emit(changes.of(written))
