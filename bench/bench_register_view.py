"""How long the 案件台账 page takes on a big register: open, search, sort, scroll (prints medians).

    .venv/bin/python bench/bench_register_view.py [--cases 100000] [--data-dir DIR] [--role viewer]

The demo register is made once in --data-dir (default: a folder under the
system temp dir) and reused by later runs. ``--role`` signs the page in as
another role: a 查看 user (viewer) searches only what the screen shows, a
mediator (mediator, the first one) the personal data of their own cases too.
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path


def median_ms(action: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--data-dir", default=str(Path(tempfile.gettempdir()) / "wuye-bench-register"))
    parser.add_argument("--role", default="admin", choices=("admin", "clerk", "mediator", "viewer"))
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from wuye_desktop.models import Role
    from wuye_desktop.services import demo, reference
    from wuye_desktop.services.cases import listing as register
    from wuye_desktop.services.context import Context, User
    from wuye_desktop.services.safety.opening import open_register
    from wuye_desktop.ui.bus import ChangeBus
    from wuye_desktop.ui.case_table import NUMBER, REGISTERED, RISK
    from wuye_desktop.ui.register_view import RegisterView
    from wuye_desktop.ui.runner import Runner
    from wuye_desktop.ui.shell import Shell

    db = open_register(data_dir=args.data_dir)
    ctx = Context(db, User("基准", Role.ADMIN), today_override=date(2026, 11, 20))
    have = register.count(ctx, register.CaseFilter())
    if have < args.cases:
        started = time.perf_counter()
        demo.generate(ctx, args.cases - have, seed=1)
        print(f"made {args.cases - have} demo cases in {time.perf_counter() - started:.0f} s")
    role = Role(args.role)
    mediator = min((m.id for m in reference.mediators(ctx)), default=None) if role is Role.MEDIATOR else None
    shell = Shell(Context(db, User("基准", role, mediator_id=mediator), today_override=ctx.today_override),
                  ChangeBus(), Runner(), args.data_dir)
    print(f"register: {register.count(ctx, register.CaseFilter())} cases; searching as {role.label}")

    views: list[RegisterView] = []
    print(f"open the page (count + first page): {median_ms(lambda: views.append(RegisterView(shell))):.0f} ms")
    view = views[-1]
    view.show()
    app.processEvents()
    print(f"rows held after opening: {view.model.loaded_rows} of {view.model.rowCount()}")
    # The last two: in every case, in half. A phone's first digits and a full phone find nothing for a viewer.
    for text in ("王", "王芳", "锦绣花园", "5678", "物", "12", "1381", "13812345678"):
        def search(text: str = text) -> None:
            view.search.setText(text)
            view.refresh()
        print(f"search {text!r}: {median_ms(search):.0f} ms ({view.model.total} found)")
    view.search.setText("")
    view.refresh()
    far_rows = itertools.count(1_000, 7_919)  # a page never fetched before, each time

    def fetch_page() -> None:
        row = next(far_rows) % max(view.model.rowCount(), 1)
        view.table.scrollTo(view.model.index(row, 0))
        app.processEvents()

    def paint() -> None:
        view.table.verticalScrollBar().setValue(view.table.verticalScrollBar().value() + 150)
        view.table.viewport().repaint()

    print(f"jump to a page never shown (fetch + paint): {median_ms(fetch_page, 10):.0f} ms "
          f"(rows held: {view.model.loaded_rows})")
    print(f"scroll and repaint the table: {median_ms(paint, 10):.0f} ms")
    header = view.table.horizontalHeader()
    orders = itertools.cycle([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
    for column, name in ((RISK, "risk"), (REGISTERED, "registration date"), (NUMBER, "number")):
        def sort(column: int = column) -> None:
            header.setSortIndicator(column, next(orders))
        print(f"sort by {name} (count + first page): {median_ms(sort, 4):.0f} ms")
    print(f"jump far into the last sort: {median_ms(fetch_page, 5):.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
