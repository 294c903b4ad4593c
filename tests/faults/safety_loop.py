"""Backups or restores over and over, run as a separate process by the SIGKILL tests.

``python safety_loop.py backup DATA_DIR FOLDER``: back up into FOLDER (encrypted, with ``PASSPHRASE``) until killed.
``python safety_loop.py restore DATA_DIR A.db B.db``: restore A, then B, then A … until killed.
Each line printed is one operation that had returned (finished) before it was printed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from wuye_desktop.services.context import Context
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.storage.engine import Database

PASSPHRASE = "门口的桂花树2026"


def main() -> int:
    mode, data_dir, *targets = sys.argv[1:]
    db = Database.open(data_dir=data_dir)
    ctx = Context(db)
    n = 0
    try:
        while True:
            if mode == "backup":
                print(backups.back_up(ctx, targets[0], passphrase=PASSPHRASE).path, flush=True)
            else:
                chosen = Path(targets[n % 2])
                print(f"{chosen} {restore.restore(ctx, chosen).cases}", flush=True)
            n += 1
    finally:
        db.dispose()


if __name__ == "__main__":
    sys.exit(main())
