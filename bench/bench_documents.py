"""How fast the documents are made: one agreement after the font is loaded, and 100 in a row.

    .venv/bin/python bench/bench_documents.py

Prints medians (and the spread) in a table; nothing is asserted. The issue's
bar: one agreement well under 100 ms, 100 agreements in a few seconds.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "exports"))

from pdf_helpers import APPLICANT, COMPANY, NEIGHBOUR, agreement
from sqlalchemy import select

from wuye_desktop.exports import fonts
from wuye_desktop.exports.pdf import render
from wuye_desktop.models import Agreement, AgreementStatus
from wuye_desktop.services import demo
from wuye_desktop.services.casework import documents
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register


def timed(action, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def row(name: str, times: list[float]) -> str:
    return f"| {name:<44} | {statistics.median(times):9.1f} | {min(times):8.1f} | {max(times):8.1f} | {len(times):4d} |"


def main() -> None:
    started = time.perf_counter()
    face = fonts.choose(fonts.printable("人民调解协议书"), "").face
    fonts.register(face)
    first_ms = (time.perf_counter() - started) * 1000
    two = agreement()
    three = agreement(parties=(APPLICANT, COMPANY, NEIGHBOUR))
    long = agreement(clauses=tuple(f"第{n}项：被申请人于规定期限内完成维修并承担费用。" for n in range(20)))
    results = [
        row("font found and registered (once per process)", [first_ms]),
        row("agreement, 2 parties (render only)", timed(lambda: render(two), 50)),
        row("agreement, 3 parties (render only)", timed(lambda: render(three), 50)),
        row("agreement, 20 clauses (render only)", timed(lambda: render(long), 20)),
    ]
    with tempfile.TemporaryDirectory() as folder:
        db = open_register(data_dir=folder)
        ctx = Context(db)
        demo.generate(ctx, 400, seed=5)
        with db.reading() as session:
            ids = list(session.scalars(select(Agreement.case_id).where(Agreement.status == AgreementStatus.SIGNED)
                                       .order_by(Agreement.case_id).limit(100)))
        results.append(row("agreement from the register (read+render+audit)",
                           timed(lambda: documents.prepare(ctx, "agreement", ids[0]), 30)))
        per_case: list[float] = []
        batch_started = time.perf_counter()
        out = Path(folder) / "out"
        for case_id in ids:
            per_case += timed(lambda case_id=case_id: documents.write_pdf(
                ctx, "agreement", case_id, out / f"{case_id}.pdf"), 1)
        batch_s = time.perf_counter() - batch_started
        results.append(row(f"{len(ids)} agreements to files, each", per_case))
        results.append(row("case file (卷宗) from the register", timed(
            lambda: documents.prepare(ctx, "casefile", ids[0]), 10)))
        db.dispose()
    print(f"font: {face.family} ({face.path})")
    print("| what                                         | median ms |   min ms |   max ms | runs |")
    print("|----------------------------------------------|-----------|----------|----------|------|")
    print("\n".join(results))
    print(f"{len(ids)} agreements written in {batch_s:.2f} s")


if __name__ == "__main__":
    main()
