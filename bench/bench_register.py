"""Start-up, the register's first screen and scrolling, search, saving: medians at 1k/10k/100k cases.

    .venv/bin/python bench/bench_register.py            # all sizes
    WUYE_BENCH_SIZES=1000 .venv/bin/python bench/bench_register.py

Prints Markdown tables (the README quotes them). Each figure is the median of
several runs; start-up is measured in fresh processes, next to a bare
PySide6 window started the same way (the floor).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

from common import RUNS, SIZES, demo_register, machine, median_ms, table

BARE_WINDOW = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""

# What app.main does up to the first shown window, minus the human at the login dialog.
MAIN_WINDOW = """
import time, sys
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication
from wuye_desktop.app import install_translations
app = QApplication([])
install_translations(app)
from wuye_desktop.services.context import Context
from wuye_desktop.services.setup import open_register
from wuye_desktop.ui.bus import ChangeBus
from wuye_desktop.ui.main_window import MainWindow
from wuye_desktop.ui.runner import Runner
from wuye_desktop.ui.shell import Shell
db = open_register(data_dir=sys.argv[1])
w = MainWindow(Shell(Context(db), ChangeBus(app), Runner(app), db.display_location))
w.show(); app.processEvents()
print(time.perf_counter() - t0)
"""


def startup_ms(code: str, *args: str) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def register_figures(cases: int) -> list[str]:
    from PySide6.QtWidgets import QApplication

    from wuye_desktop.services import register
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.dto import CaseDraft, PartyInput
    from wuye_desktop.services.setup import open_register
    from wuye_desktop.ui.bus import ChangeBus
    from wuye_desktop.ui.main_window import MainWindow
    from wuye_desktop.ui.runner import Runner
    from wuye_desktop.ui.shell import Shell

    app = QApplication.instance() or QApplication([])
    folder = demo_register(cases)
    db = open_register(data_dir=str(folder))
    ctx = Context(db)

    def first_screen() -> None:
        window = MainWindow(Shell(ctx, ChangeBus(), Runner(), "bench"))
        window.show()
        app.processEvents()
        window.close()

    first = median_ms(first_screen)

    window = MainWindow(Shell(ctx, ChangeBus(), Runner(), "bench"))
    window.show()
    model = window.register_view.model
    start = time.perf_counter()
    while model.canFetchMore():
        model.fetchMore()
    app.processEvents()
    scroll = (time.perf_counter() - start) * 1000
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()

    def search(text: str) -> float:
        # What the register does on a search: the first page and the count in one query.
        return median_ms(lambda: register.first_page(ctx, register.CaseFilter(text=text), 200))

    one, two, three = search("王"), search("漏水"), search("锦绣花园")
    from wuye_desktop.services import cases as case_service

    draft = CaseDraft(summary="楼上漏水致楼下受损", parties=[PartyInput("张三", phone="13812345678")])
    save = median_ms(lambda: case_service.register(ctx, draft))
    db.dispose()
    return [f"{cases:,}", f"{first:.0f} ms", f"{scroll:,.0f} ms", f"{rss_mb:.0f} MB",
            f"{one:.1f} ms", f"{two:.1f} ms", f"{three:.1f} ms", f"{save:.1f} ms"]


def register_thousand_ms() -> float:
    import tempfile

    from wuye_desktop.services import cases as case_service
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.dto import CaseDraft, PartyInput
    from wuye_desktop.services.setup import open_register

    def run() -> None:
        db = open_register(data_dir=tempfile.mkdtemp(prefix="wuye-bench-"))
        ctx = Context(db)
        for i in range(1000):
            case_service.register(ctx, CaseDraft(summary=f"第{i}件纠纷", parties=[PartyInput("李四")]))
        db.dispose()

    return median_ms(run, runs=3)


def main() -> None:
    print(f"Machine: {machine()}\n")
    folder = demo_register(SIZES[0])
    bare = startup_ms(BARE_WINDOW)
    ours = startup_ms(MAIN_WINDOW, str(folder))
    print(table("Start-up to the first shown window (fresh process, median)",
                ["bare PySide6 window", f"main window on {SIZES[0]:,} cases", "ratio"],
                [[f"{bare:.0f} ms", f"{ours:.0f} ms", f"{ours / bare:.2f}×"]]))
    rows = [register_figures(n) for n in SIZES]
    print(table("Case register (median; scroll = fetch every page to the end, once)",
                ["cases", "first screen", "scroll to end", "peak memory", "search 1 char",
                 "search 2 chars", "search 4 chars", "save one case"], rows))
    print(table("Registering through the services", ["task", "median"],
                [["register 1,000 cases one by one", f"{register_thousand_ms():,.0f} ms"]]))


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    main()
