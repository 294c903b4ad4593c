"""Smoke-test a frozen build: the command line and the window, on a temporary data folder.

    python installer/smoke_test.py dist/wuye-desktop

Runs the bundle's own executables (no Python from this checkout inside them),
then reads back the agreement PDF and the workbook they wrote. Exit 0 only
when everything worked.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path


def main(bundle: Path) -> int:
    exe = ".exe" if os.name == "nt" else ""
    cli, gui = bundle / f"wuye{exe}", bundle / f"wuye-desktop{exe}"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory(prefix="wuye-smoke-") as tmp:
        work = Path(tmp)

        def run(*args: str | Path) -> str:
            done = subprocess.run([str(a) for a in args], env=env, capture_output=True, text=True, timeout=300)
            if done.returncode != 0 or "Traceback" in done.stdout + done.stderr:
                raise SystemExit(f"smoke test failed: {' '.join(map(str, args))}\n{done.stdout}\n{done.stderr}")
            return done.stdout.strip()

        version = run(cli, "--version").split()[-1]
        print(f"wuye-desktop {version}")
        notes = bundle / "_internal" / "resources" / "release_notes" / f"{version}.txt"
        assert notes.is_file(), f"the bundle lacks this version's 更新说明 ({notes})"
        print(run(cli, "--data-dir", work / "demo", "demo", "--cases", "60", "--seed", "3").splitlines()[0])
        print(run(cli, "--data-dir", work / "demo", "check").splitlines()[-1])
        print(run(gui, "--data-dir", work / "gui", "--smoke-test", work / "out"))

        from openpyxl import load_workbook
        from pypdf import PdfReader

        text = "".join(page.extract_text() or "" for page in PdfReader(work / "out" / "agreement.pdf").pages)
        assert "人民调解协议书" in text and "一式三份" in text, "the frozen agreement PDF lacks its sections"
        sheets = load_workbook(work / "out" / "monthly.xlsx", read_only=True).sheetnames
        assert "汇总" in sheets and "台账" in sheets, sheets
    print("frozen program: command line, agreement PDF, monthly workbook and window all work")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "dist/wuye-desktop")))
