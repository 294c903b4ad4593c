"""A crash in C code leaves the Python stacks in the log folder: for the window and for the command line."""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
from pathlib import Path

from wuye_desktop.storage import fault_log

CRASH = """
import faulthandler, sys
from pathlib import Path
from wuye_desktop.storage import fault_log

def print_agreement():
    faulthandler._sigsegv()  # what a crash inside Qt's or a PDF library's C code looks like

fault_log.enable(Path(sys.argv[1]))
print_agreement()
"""


def test_a_crash_in_c_code_leaves_the_python_stack_in_the_log_folder(tmp_path: Path) -> None:
    logs = tmp_path / "data" / "logs"
    crashed = subprocess.run([sys.executable, "-c", CRASH, str(logs)], capture_output=True, text=True, timeout=60,
                             env={**os.environ, "PYTHONFAULTHANDLER": ""}, check=False)
    assert crashed.returncode != 0
    report = (logs / "faults.log").read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in report
    assert "in print_agreement" in report, "the Python line the program was on"
    assert "Segmentation fault" not in crashed.stderr, "the dump went to the file, not a console nobody reads"


def test_an_unusable_log_folder_falls_back_to_stderr(tmp_path: Path, entry_faulthandler: None) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    assert fault_log.enable(blocked / "logs") is None and fault_log.where() is None


def test_the_command_line_enables_it_in_its_log_folder(tmp_path: Path, entry_faulthandler: None) -> None:
    from wuye_desktop.cli import main

    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "init"]) == 0
    assert faulthandler.is_enabled() and fault_log.where() == data / "logs" / "faults.log"
