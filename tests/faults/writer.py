"""A clerk who never stops registering cases: run as a separate process by the fault tests.

``python writer.py DATA_DIR COUNT TAG``: registers COUNT cases (0: until
killed) through the real services and prints each case number on its own
line only after ``cases.register`` has returned, i.e. after the commit. A
number on stdout is a save the program reported as done.
"""

from __future__ import annotations

import sys

from wuye_desktop.services import cases
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register

SUMMARIES = ("楼上卫生间漏水致楼下天花板受损", "物业费收取标准争议", "楼道堆放杂物占用消防通道", "夜间装修噪声扰民")


def main() -> int:
    data_dir, count, tag = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    db = open_register(data_dir=data_dir)
    ctx = Context(db)
    n = 0
    try:
        while count == 0 or n < count:
            summary = SUMMARIES[n % len(SUMMARIES)]
            draft = CaseDraft(summary=summary, facts=summary * (1 + n % 7), parties=[
                PartyInput(f"住户{tag}{n}", phone="13812345678", address=f"幸福里{n % 30 + 1}号楼"),
                PartyInput(f"邻居{tag}{n}")])
            ref = cases.register(ctx, draft)
            print(ref.number, flush=True)
            n += 1
    finally:
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
