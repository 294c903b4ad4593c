"""What the program imports before its first window, and before the main window: the start stays quick.

Run in fresh interpreters (an import cannot be undone in this one). The
timings themselves live in ``bench/bench_register.py``; these tests guard
the reason they are good: the sign-in window is built from Qt alone, and the
heavy libraries wait until a document, a workbook or a migration needs them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from wuye_desktop.services.context import Context
from wuye_desktop.services.demo.accounts import ensure_demo_accounts
from wuye_desktop.services.safety.opening import open_register

HEAVY_FOR_DOCUMENTS = ("reportlab", "openpyxl", "alembic", "pypdfium2", "pypdf", "PySide6.QtCharts")

FIRST_WINDOW = """
import json, sys
from PySide6.QtWidgets import QApplication
from wuye_desktop.ui import startup

def painted(self):
    QApplication.processEvents()
    print(json.dumps({"title": self.window.windowTitle(), "visible": self.window.isVisible(),
                      "modules": sorted(sys.modules)}), flush=True)
    self.window.reject()

begin = startup.Startup.begin
startup.Startup.begin = lambda self: (begin(self), painted(self))
# The worker that imports the rest would race the look at sys.modules: this start does without it.
startup.Startup._open_first = lambda self: None
from wuye_desktop.app import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""

MAIN_WINDOW = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from wuye_desktop.ui import startup

def sign_in(self):
    if self.window.opening:
        QTimer.singleShot(5, lambda: sign_in(self))
        return
    self.window.login.username.setText("wenshu")
    self.window.login.password.setText("demo2026")
    self.window.accept_button.click()
    QApplication.processEvents()
    print(json.dumps({"cases": self.main_window.register_view.model.total, "modules": sorted(sys.modules)}),
          flush=True)
    self.main_window.close()

begin = startup.Startup.begin
startup.Startup.begin = lambda self: (begin(self), QTimer.singleShot(0, lambda: sign_in(self)))
from wuye_desktop.app import main
sys.exit(main(["--data-dir", sys.argv[1]]))
"""


def _run(code: str, data: Path, tmp_path: Path) -> dict[str, object]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", code, str(data)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_the_sign_in_window_shows_before_the_database_layer_is_imported(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = open_register(data_dir=str(data))
    db.dispose()
    seen = _run(FIRST_WINDOW, data, tmp_path)
    assert seen["title"] == "登录 - 物业纠纷调解台账" and seen["visible"] is True
    modules = set(seen["modules"])  # type: ignore[call-overload]
    early = sorted(m for m in modules if m.split(".")[0] in ("sqlalchemy", "argon2", "stdnum", *HEAVY_FOR_DOCUMENTS))
    assert early == [], f"imported before the first window: {early[:8]}"
    assert not any(m.startswith("wuye_desktop.services.") and m != "wuye_desktop.errors" for m in modules)


def test_documents_workbooks_and_migrations_wait_until_they_are_needed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    db = open_register(data_dir=str(data))
    ensure_demo_accounts(Context(db))
    db.dispose()
    seen = _run(MAIN_WINDOW, data, tmp_path)
    assert seen["cases"] == 0
    modules = set(seen["modules"])  # type: ignore[call-overload]
    heavy = sorted(m for m in modules if any(m == h or m.startswith(h + ".") for h in HEAVY_FOR_DOCUMENTS))
    assert heavy == [], f"the main window pulled in: {heavy[:8]}"
