"""The PC switched off at the wall, many times over: SIGKILL at random moments while the program writes,
backs up or restores. Every save reported as done is there afterwards and the register passes its checks.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import time
from pathlib import Path

import pytest
from processes import Child
from safety_loop import PASSPHRASE

from wuye_desktop.services import demo
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety import backups
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import sealed
from wuye_desktop.storage.backup import integrity_problems, sha256_of
from wuye_desktop.storage.check import check_register

NUMBER = re.compile(r"（(\d{4})）某某调字第(\d+)号")
KILLS = 30


def _stored_numbers(live: Path) -> set[str]:
    conn = sqlite3.connect(live)  # a plain reader, like the next start of the program: recovers the WAL
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'mediation_case'").fetchone():
            return set()  # killed while the first start was creating the register: none of it was kept
        return {row[0] for row in conn.execute("SELECT number FROM mediation_case")}
    finally:
        conn.close()


@pytest.mark.slow
def test_every_acknowledged_case_survives_sigkill_at_random_moments(data_dir: Path) -> None:
    rng = random.Random(20261120)
    live = data_dir / "wuye.db"
    acknowledged: set[str] = set()
    hits = 0
    started = time.monotonic()
    for round_no in range(KILLS):
        writer = Child("writer.py", str(data_dir), "0", f"{round_no}-")
        if round_no % 3 == 0:
            # Anywhere from start-up (creating or opening the register) to mid-writing.
            time.sleep(rng.uniform(0.0, 1.2))
        else:
            writer.wait_for_lines(rng.randint(1, 25))
            time.sleep(rng.uniform(0.0, 0.05))
        hits += writer.kill()
        acknowledged |= set(writer.lines)

        if not live.exists():
            continue
        assert integrity_problems(live) == [], f"round {round_no}: the register is damaged"
        stored = _stored_numbers(live)
        missing = acknowledged - stored
        assert not missing, f"round {round_no}: saves reported as done are gone: {sorted(missing)[:5]}"
        seqs = sorted(int(m[2]) for m in map(NUMBER.fullmatch, stored) if m)
        assert seqs == list(range(1, len(seqs) + 1)), f"round {round_no}: half a registration was kept"
    assert hits >= KILLS - 2, "the kills must land while the program runs"
    assert len(acknowledged) > KILLS * 5
    assert check_register(data_dir=str(data_dir)).ok
    assert time.monotonic() - started < 300


@pytest.fixture
def demo_register(data_dir: Path) -> Path:
    db = open_register(data_dir=str(data_dir))
    try:
        demo.generate(Context(db), 1500, seed=5)
    finally:
        db.dispose()
    return data_dir / "wuye.db"


@pytest.mark.slow
def test_a_backup_killed_half_way_never_looks_like_a_finished_one(demo_register: Path, tmp_path: Path) -> None:
    data_dir, usb = demo_register.parent, tmp_path / "usb"
    rng = random.Random(7)
    for _round in range(8):
        looper = Child("safety_loop.py", "backup", str(data_dir), str(usb))
        looper.wait_for_lines(1)
        time.sleep(rng.uniform(0.0, 0.4))
        looper.kill()
    finished = sorted(usb.glob("*.wuyebak"))
    assert finished, "some backups finished between the kills"
    assert not list(usb.glob("*.db*")), "nothing readable was left on the stick, not even by a killed backup"
    recorded = {Path(e["file"]): e["sha256"]
                for e in json.loads((data_dir / "backups" / "manifest.json").read_text("utf-8"))["backups"]}
    for backup in finished:
        opened = sealed.read(backup, PASSPHRASE, tmp_path / f"{backup.stem}.db", None)
        assert integrity_problems(opened.register) == [], backup.name
        assert recorded[backup] == sha256_of(backup), "every finished backup is in the manifest with its checksum"
    assert check_register(data_dir=str(data_dir)).ok


@pytest.mark.slow
def test_a_restore_killed_half_way_leaves_one_whole_register(demo_register: Path, tmp_path: Path) -> None:
    data_dir = demo_register.parent
    db = open_register(data_dir=str(data_dir))
    try:
        ctx = Context(db)
        big = backups.back_up(ctx)  # in the data folder: this register's own, restored without a second question
        demo.generate(ctx, 200, seed=6)  # a second register content: 1,700 cases
        bigger = backups.back_up(ctx)
    finally:
        db.dispose()
    allowed = {big.cases, bigger.cases}
    rng = random.Random(11)
    for round_no in range(8):
        looper = Child("safety_loop.py", "restore", str(data_dir), big.path, bigger.path)
        looper.wait_for_lines(1)
        time.sleep(rng.uniform(0.0, 0.5))
        looper.kill()
        result = check_register(data_dir=str(data_dir))
        assert result.ok, f"round {round_no}: {result.problems}"
        conn = sqlite3.connect(demo_register)
        try:
            count = conn.execute("SELECT count(*) FROM mediation_case").fetchone()[0]
        finally:
            conn.close()
        assert count in allowed, f"round {round_no}: {count} cases is neither backup"
    assert sorted(p.name for p in data_dir.iterdir() if p.suffix == ".db") == ["wuye.db"]
