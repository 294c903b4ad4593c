"""Helpers shared by the benchmark scripts: demo registers kept between runs, medians, tables."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("WUYE_BENCH_DIR", "/tmp/wuye-bench"))
SIZES = [int(s) for s in os.environ.get("WUYE_BENCH_SIZES", "1000,10000,100000").split(",")]
RUNS = int(os.environ.get("WUYE_BENCH_RUNS", "5"))


def demo_register(cases: int) -> Path:
    """A data folder with a demo register of ``cases`` cases, made once and reused."""
    folder = CACHE / f"demo-{cases}"
    marker = folder / "ready"
    if not marker.exists():
        subprocess.run([sys.executable, "-m", "wuye_desktop.cli", "--data-dir", str(folder), "demo",
                        "--cases", str(cases), "--seed", "1"], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        marker.touch()
    return folder


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (f"{platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"{os.cpu_count()} cores, {cpu}")


def table(title: str, header: list[str], rows: list[list[str]]) -> str:
    lines = [f"### {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
