"""How long a search of the register takes for each role (prints medians).

    .venv/bin/python bench/bench_search_roles.py [--data-dir DIR] [--runs 7]

Times ``listing.first_page`` (the first screen and the count, what the
register page asks for) for the same searches as an administrator, a
mediator (their own cases reach personal data) and a 查看 user (only what
the screen shows: phones by their tails). Use the register that
``bench_register_view.py`` made (100,000 demo cases by default).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

QUERIES = ("王", "王芳", "锦绣花园", "5678", "物", "12", "1381", "13812345678", "漏水 5678", "3单元")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "wuye-bench-register"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    from wuye_desktop.models import Role
    from wuye_desktop.services import reference
    from wuye_desktop.services.cases import listing
    from wuye_desktop.services.context import Context, User
    from wuye_desktop.services.safety.opening import open_register

    db = open_register(data_dir=args.data_dir)
    admin = Context(db, User("基准", Role.ADMIN), today_override=date(2026, 11, 20))
    mediator_id = min(m.id for m in reference.mediators(admin))
    users = {"管理员": admin, "调解员": Context(db, User("基准", Role.MEDIATOR, mediator_id=mediator_id)),
             "查看": Context(db, User("基准", Role.VIEWER))}
    print(f"register: {listing.count(admin, listing.CaseFilter())} cases; median of {args.runs} runs, ms")
    print("| search | " + " | ".join(users) + " |")
    print("|---|" + "---|" * len(users))
    for query in QUERIES:
        cells = []
        for ctx in users.values():
            f = listing.CaseFilter(text=query)
            times, found = [], 0
            for _ in range(args.runs):
                started = time.perf_counter()
                _rows, found = listing.first_page(ctx, f, 200)
                times.append((time.perf_counter() - started) * 1000)
            cells.append(f"{statistics.median(times):.1f} ({found:,})")
        print(f"| {query} | " + " | ".join(cells) + " |")
    db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
