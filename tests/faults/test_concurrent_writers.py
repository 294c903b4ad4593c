"""Two programs registering cases in the same SQLite register at once: every save lands, nobody is told
"database is locked", and the case numbers stay unique and gap-free.
"""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage.backup import integrity_problems

WRITER = Path(__file__).with_name("writer.py")
NUMBER = re.compile(r"（(\d{4})）某某调字第(\d+)号")
WRITES = 1000


@pytest.mark.slow
def test_two_processes_writing_a_thousand_cases_each_lose_nothing(data_dir: Path) -> None:
    open_register(data_dir=str(data_dir)).dispose()  # created once, as the first program to start would
    procs = [subprocess.Popen([sys.executable, str(WRITER), str(data_dir), str(WRITES), tag],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in ("甲", "乙")]
    results = [p.communicate(timeout=300) for p in procs]

    for proc, (_out, err) in zip(procs, results, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err and "占用" not in err and "Traceback" not in err
    acknowledged = [line for out, _err in results for line in out.splitlines()]
    assert len(acknowledged) == 2 * WRITES
    assert len(set(acknowledged)) == 2 * WRITES, "two programs were given the same case number"

    live = data_dir / "wuye.db"
    conn = sqlite3.connect(live)
    try:
        stored = {row[0] for row in conn.execute("SELECT number FROM mediation_case")}
        parties = {row[0] for row in conn.execute("SELECT name FROM party WHERE name LIKE '住户%'")}
    finally:
        conn.close()
    assert stored == set(acknowledged)
    assert parties == {f"住户{tag}{n}" for tag in ("甲", "乙") for n in range(WRITES)}
    seqs = sorted(int(m[2]) for m in map(NUMBER.fullmatch, stored) if m)
    assert seqs == list(range(1, 2 * WRITES + 1)), "numbers run without gaps"
    assert integrity_problems(live) == []
