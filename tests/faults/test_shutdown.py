"""Quitting while a backup to a USB stick runs: it is cancelled (the user agreed) or finishes (the user
waited), the exit backup is made, the engine is closed before Qt goes, and nothing crashes on the way out.

Each case is a whole program in its own process (``shutdown_app.py``), because what goes wrong at exit
(threads outliving the application, a register left open) only shows when the process really ends.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from wuye_desktop.services import demo
from wuye_desktop.services.context import Context
from wuye_desktop.services.safety.opening import open_register
from wuye_desktop.storage import sealed
from wuye_desktop.storage.backup import integrity_problems, sha256_of
from wuye_desktop.storage.check import check_register

APP = Path(__file__).with_name("shutdown_app.py")
COMPLAINTS = ("Traceback", "QThread", "Destroyed while", "Segmentation", "Fatal", "Error", "错误")


@pytest.fixture
def data_dir_with_cases(data_dir: Path) -> Path:
    db = open_register(data_dir=str(data_dir))
    try:
        demo.generate(Context(db), 1500, seed=2)
    finally:
        db.dispose()
    return data_dir


@pytest.mark.parametrize("answer", ["yes", "no"])
def test_quitting_during_a_backup_cancels_or_finishes_it_and_exits_cleanly(
    data_dir_with_cases: Path, tmp_path: Path, answer: str
) -> None:
    data_dir, usb = data_dir_with_cases, tmp_path / "usb"
    run = subprocess.run([sys.executable, str(APP), str(data_dir), str(usb), answer],
                         capture_output=True, text=True, timeout=120, check=False)

    assert run.returncode == 0, run.stderr
    for complaint in COMPLAINTS:
        assert complaint not in run.stderr, run.stderr
    assert "closing while busy: True" in run.stdout, "the close came while the backup was running"
    assert "asked: ['confirm:备份尚未完成']" in run.stdout
    assert "wal left: False" in run.stdout, "the register was closed (its engine disposed) before exit"

    left_on_stick = sorted(p for p in usb.rglob("*") if p.is_file()) if usb.exists() else []
    if answer == "yes":
        assert left_on_stick == [], "a cancelled backup leaves nothing, not even a .partial"
    else:
        [finished] = left_on_stick
        recorded = json.loads((data_dir / "backups" / "manifest.json").read_text("utf-8"))["backups"]
        assert {e["file"]: e["sha256"] for e in recorded}[str(finished)] == sha256_of(finished)
        opened = sealed.read(finished, "门口的桂花树2026", tmp_path / "读回.db", None)
        assert integrity_problems(opened.register) == []
    autos = list((data_dir / "backups").glob("自动备份-*.db"))
    assert len(autos) == 1 and integrity_problems(autos[0]) == [], "the exit backup was made"
    assert check_register(data_dir=str(data_dir)).ok
