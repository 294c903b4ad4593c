"""How long the monthly workbook and the 12345 import take; medians printed as a table.

    .venv/bin/python bench/bench_reports.py [--runs 5] [--data DIR]

1. A register whose busiest month has about 5,000 registrations (61,000 demo
   cases over two years; made once and kept in DIR): the statistics for
   that month, then the formatted workbook written (target: under 3 s).
2. A 10,000-row 12345 export (.xlsx, title rows, header variants, text
   dates, a few bad rows): read and validated (target: under 5 s); and,
   for scale, importing 1,000 rows.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics as stats
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

TODAY = date(2026, 11, 20)
DEMO_CASES = 61_000
ROWS = 10_000


def median_of(runs: int, job: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - started)
    return stats.median(times), result


def big_register(folder: Path):  # type: ignore[no-untyped-def]
    from wuye_desktop.services import demo
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.safety.opening import open_register

    fresh = not (folder / "wuye.db").exists()
    db = open_register(data_dir=str(folder))
    ctx = Context(db, today_override=TODAY)
    if fresh:
        print(f"生成 {DEMO_CASES} 件演示案件（只需一次）…", flush=True)
        demo.generate(ctx, DEMO_CASES, seed=11)
    return ctx


def hotline_sheet(path: Path, rows: int) -> Path:
    import openpyxl

    rng = random.Random(5)
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet("工单")
    ws.append(["黄石市12345热线工单导出"])
    ws.append(["导出时间：2026-11-01"])
    ws.append(["序号", "工单号", "诉求人", "联系方式", "来电时间", "诉求类型", "事发地点", "诉求内容", "办理时限"])
    forms = ("{:%Y年%m月%d日}", "{:%Y/%m/%d}", "{:%Y-%m-%d %H:%M}")
    for n in range(1, rows + 1):
        received = datetime(2026, 1, 1, 8) + timedelta(minutes=rng.randrange(300 * 24 * 60))
        when = received if n % 4 == 0 else rng.choice(forms).format(received)
        if n % 997 == 0:
            when = "2026-02-30"  # a bad date now and then
        ws.append([n, f"GD{received:%Y%m%d}{n:06d}", rng.choice(("张先生", "李女士", "王五", "")),
                   f"13{rng.randrange(10 ** 9):09d}", when, rng.choice(("投诉", "咨询", "求助", "建议", "举报")),
                   rng.choice(("幸福里3号楼", "锦绣花园", "阳光水岸12号楼2单元", "")),
                   "反映楼上卫生间漏水，楼下天花板发霉，物业长期不处理。" * rng.randint(1, 3), ""])
    book.save(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", default=str(Path(tempfile.gettempdir()) / "wuye-bench-reports"))
    args = parser.parse_args()

    from wuye_desktop.exports import workbook
    from wuye_desktop.services import hotline, statistics
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.safety.opening import open_register
    from wuye_desktop.services.statistics.report import workbook_of

    rows: list[tuple[str, str, float]] = []
    ctx = big_register(Path(args.data))
    october = statistics.month(2026, 10)
    out = Path(args.data) / "bench.xlsx"
    seconds, report = median_of(args.runs, lambda: statistics.monthly_report(ctx, october))
    assert isinstance(report, statistics.MonthlyReport)
    size = f"登记 {report.current.registered} 件，台账 {len(report.ledger)} 行"
    rows.append(("月报：统计（查询）", size, seconds))
    seconds, _ = median_of(args.runs, lambda: workbook.write_monthly(workbook_of(report), out))
    rows.append(("月报：写入格式化工作簿", size, seconds))
    seconds, _ = median_of(args.runs, lambda: statistics.export_monthly(ctx, october, out))
    rows.append(("月报：合计（export_monthly，目标 < 3 秒）", size, seconds))
    ctx.db.dispose()

    work = Path(tempfile.mkdtemp(prefix="wuye-bench-hotline-"))
    try:
        db = open_register(data_dir=str(work / "data"))
        small = Context(db, today_override=TODAY)
        from wuye_desktop.services import demo

        demo.generate(small, 50, seed=3)  # estates to match addresses against
        sheet = hotline_sheet(work / "工单.xlsx", ROWS)
        seconds, table = median_of(max(args.runs // 2, 1), lambda: hotline.read_table(sheet))
        rows.append(("12345：读取 .xlsx", f"{ROWS} 行", seconds))
        check_seconds, checked = median_of(max(args.runs // 2, 1), lambda: hotline.check(small, table))
        assert isinstance(checked, hotline.CheckReport)
        rows.append(("12345：校验", f"可导入 {len(checked.ready)}，有问题 {checked.rejected}", check_seconds))
        rows.append(("12345：读取 + 校验（目标 < 5 秒）", f"{ROWS} 行", seconds + check_seconds))
        part = hotline.read_table(hotline_sheet(work / "千行.xlsx", 1000))
        seconds, _ = median_of(1, lambda: hotline.import_orders(small, part))
        rows.append(("12345：导入并登记为案件（一个事务）", "1000 行", seconds))
        db.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    width = max(len(name) for name, _s, _t in rows) + 2
    print(f"\n{'项目':<{width}}{'规模':<28}中位数（秒）")
    for name, scale, seconds in rows:
        print(f"{name:<{width}}{scale:<28}{seconds:8.2f}")


if __name__ == "__main__":
    main()
