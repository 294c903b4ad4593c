"""Start-up, the register's first screen and scrolling, search, saving: medians at 1k/10k/100k cases.

    .venv/bin/python bench/bench_register.py            # all sizes
    WUYE_BENCH_SIZES=1000 .venv/bin/python bench/bench_register.py

Prints Markdown tables (the README quotes them). Each figure is the median of
several runs; start-up is measured in fresh processes running the real
``app.main``, next to a bare PySide6 window started the same way (the floor).
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import time

from common import RUNS, SIZES, demo_register, machine, median_ms, table

# Both children print wall-clock times (``time.time()``) and the parent subtracts the moment it
# launched them, so the interpreter's own start is counted the same way for both.
BARE_WINDOW = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.show(); app.processEvents()
print(time.time())
"""

# The real ``wuye-desktop`` start (``app.main``), with a robot at the keyboard: it notes when the
# sign-in window has been shown and painted, waits until the register is open, types a demo
# account's password and presses 登录, and notes when the main window shows the register.
PROGRAM = """
import json, sys, time
marks = {}
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from wuye_desktop.ui import startup

begin = startup.Startup.begin

def timed_begin(self):
    begin(self)
    QApplication.processEvents()
    marks["first window"] = time.time()

    def when_ready():
        if self.window.opening:
            QTimer.singleShot(1, when_ready)
            return
        marks["register ready"] = time.time()
        self.window.login.username.setText("wenshu")
        self.window.login.password.setText("demo2026")
        clicked = time.time()
        self.window.accept_button.click()
        QApplication.processEvents()
        marks["sign-in to main window"] = time.time() - clicked
        marks["cases shown"] = self.main_window.register_view.model.total
        self.main_window.close()

    QTimer.singleShot(0, when_ready)

startup.Startup.begin = timed_begin
from wuye_desktop.app import main
main(["--data-dir", sys.argv[1]])
print(json.dumps(marks))
"""


def launch(code: str, *args: str) -> tuple[float, str]:
    """Run ``code`` in a fresh interpreter; the moment it was launched, and what it printed last."""
    import os
    import tempfile

    env = {**os.environ, "XDG_CONFIG_HOME": tempfile.mkdtemp(prefix="wuye-bench-config-")}
    launched = time.time()
    done = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True, env=env)
    return launched, done.stdout.strip().splitlines()[-1]


def bare_ms() -> float:
    times = []
    for _ in range(RUNS):
        launched, printed = launch(BARE_WINDOW)
        times.append((float(printed) - launched) * 1000)
    return statistics.median(times)


def startup_figures(cases: int) -> dict[str, float]:
    """Medians of the start's milestones, in ms from launch (sign-in: from the click)."""
    import json

    folder = demo_register(cases)
    runs: list[dict[str, float]] = []
    for _ in range(RUNS):
        launched, printed = launch(PROGRAM, str(folder))
        marks = json.loads(printed)
        assert marks["cases shown"] >= cases, marks
        runs.append({"first window": (marks["first window"] - launched) * 1000,
                     "register ready": (marks["register ready"] - launched) * 1000,
                     "sign-in to main window": marks["sign-in to main window"] * 1000})
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def register_figures(cases: int) -> list[str]:
    from PySide6.QtWidgets import QApplication

    from wuye_desktop.services.cases import listing as register
    from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.safety.opening import open_register
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
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    grid = window.register_view.table
    start = time.perf_counter()
    grid.scrollToBottom()  # what Ctrl+End or dragging the scroll bar down does
    app.processEvents()
    scroll = (time.perf_counter() - start) * 1000
    assert window.register_view.model.loaded_rows < 1000, "only the pages looked at are fetched"
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
    from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.safety.opening import open_register

    def run() -> None:
        db = open_register(data_dir=tempfile.mkdtemp(prefix="wuye-bench-"))
        ctx = Context(db)
        for i in range(1000):
            case_service.register(ctx, CaseDraft(summary=f"第{i}件纠纷", parties=[PartyInput("李四")]))
        db.dispose()

    return median_ms(run, runs=3)


def main() -> None:
    print(f"Machine: {machine()}\n")
    bare = bare_ms()
    starts = [(n, startup_figures(n)) for n in SIZES]
    print(table("Start-up (fresh process, median, from launch)",
                ["cases", "sign-in window shown", "× bare window", "register checked and open",
                 "sign-in → main window"],
                [[f"{n:,}", f"{f['first window']:.0f} ms", f"{f['first window'] / bare:.2f}× ({bare:.0f} ms)",
                  f"{f['register ready']:.0f} ms", f"{f['sign-in to main window']:.0f} ms"] for n, f in starts]))
    rows = [register_figures(n) for n in SIZES]
    print(table("Case register (median; scroll to end = Ctrl+End, once, painted)",
                ["cases", "first screen", "scroll to end", "peak memory", "search 1 char",
                 "search 2 chars", "search 4 chars", "save one case"], rows))
    print(table("Registering through the services", ["task", "median"],
                [["register 1,000 cases one by one", f"{register_thousand_ms():,.0f} ms"]]))


if __name__ == "__main__":
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).parent))
    main()
