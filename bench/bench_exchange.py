"""The roll-up at room and county sizes: exporting a year, verifying and importing it, importing it again.

    .venv/bin/python bench/bench_exchange.py
    WUYE_BENCH_SIZES=1000 .venv/bin/python bench/bench_exchange.py

Each room is a demo register (made once, kept in WUYE_BENCH_DIR); the county
is a fresh SQLite register per run. Prints a Markdown table of medians.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
from datetime import date
from pathlib import Path

from common import RUNS, SIZES, demo_register, machine, median_ms, table

from wuye_desktop.services import exchange
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register


def one_size(size: int, year: str) -> list[str]:
    room_db = open_register(data_dir=str(demo_register(size)))
    room = Context(room_db)
    work = Path(tempfile.mkdtemp(prefix="wuye-bench-exchange-"))
    out = work / "room.wyx"
    try:
        export_ms = median_ms(lambda: exchange.export_period(room, year, out))
        cases = exchange.export_period(room, year, out).cases
        verify_ms = median_ms(lambda: exchange.verify(out))
        first, again = [], []
        for run in range(RUNS):
            county_db = open_register(data_dir=str(work / f"county{run}"))
            county = Context(county_db)
            first.append(median_ms(lambda c=county: exchange.import_files(c, [out], trust_new_rooms=True), runs=1))
            again.append(median_ms(lambda c=county: exchange.import_files(c, [out], trust_new_rooms=True), runs=1))
            county_db.dispose()
        return [f"{size:,}", f"{cases:,}", f"{out.stat().st_size / 1024:.0f} KB", f"{export_ms:.0f}",
                f"{verify_ms:.0f}", f"{statistics.median(first):.0f}", f"{statistics.median(again):.0f}"]
    finally:
        room_db.dispose()
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    year = str(date.today().year)
    rows = [one_size(size, year) for size in SIZES]
    print(table(f"Roll-up of one year ({machine()})",
                ["register", "cases in the year", "file", "export ms", "verify ms", "first import ms",
                 "same file again ms"], rows))

if __name__ == "__main__":
    main()
