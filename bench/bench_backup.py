"""Backups, restores and the start-up quick check: medians at 1k/10k/100k cases.

    .venv/bin/python bench/bench_backup.py
    WUYE_BENCH_SIZES=1000,10000 WUYE_BENCH_RUNS=3 .venv/bin/python bench/bench_backup.py

A backup is the whole job (snapshot, integrity and foreign-key checks,
sha256, manifest); a restore too (checks of the backup, safety copy of the
current register, the copy into it). Each runs on a scratch copy of the
cached demo register, so the cache is never changed.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from common import RUNS, SIZES, demo_register, machine, median_ms, table

from wuye_desktop.services import safety
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety import backups, restore
from wuye_desktop.storage.backup import online_backup
from wuye_desktop.storage.engine import Database


def figures(cases: int) -> list[str]:
    source = demo_register(cases)
    scratch = Path(tempfile.mkdtemp(prefix="wuye-bench-backup-"))
    try:
        data = scratch / "data"
        (data / "backups").mkdir(parents=True)
        online_backup(source / "wuye.db", data / "wuye.db")
        size_mb = (data / "wuye.db").stat().st_size / 1024 / 1024
        db = Database.open(data_dir=str(data))
        ctx = Context(db)
        try:
            made: list[str] = []
            backup_ms = median_ms(lambda: made.append(backups.back_up(ctx, scratch / "usb").path))
            restore_ms = median_ms(lambda: restore.restore(ctx, made[0]), runs=max(1, RUNS // 2))
        finally:
            db.dispose()
        check_ms = median_ms(lambda: safety.quick_check(data_dir=str(data)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return [f"{cases:,}", f"{size_mb:.0f} MB", f"{backup_ms:,.0f}", f"{restore_ms:,.0f}", f"{check_ms:,.0f}"]


def main() -> None:
    print(f"Machine: {machine()}\n")
    rows = [figures(n) for n in SIZES]
    print(table("Backup, restore, start-up check (median ms)",
                ["cases", "register", "backup (verified)", "restore", "start-up quick check"], rows))


if __name__ == "__main__":
    main()
