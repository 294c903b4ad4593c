"""Render the main screens on a demo register, offscreen, into docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py [--cases 1500] [--out docs/screenshots] [--scale 1.5]

Everything runs on a throwaway register in a temporary folder with a fixed
"today", so the pictures are the same on every machine (given the same
fonts: install fonts-wqy-microhei on Linux). ``--scale`` renders as a
high-DPI screen would (e.g. 1.5 for 150%) into files named ``*@150.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wuye_desktop.services.context import Context


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1500)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    parser.add_argument("--scale", type=float, default=1.0)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QWidget

    app = QApplication(sys.argv[:1])
    workdir = Path(tempfile.mkdtemp(prefix="wuye-shots-"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(workdir / "qsettings"))
    from wuye_desktop.app import install_translations

    install_translations(app)

    from wuye_desktop.models import CaseStatus, Role
    from wuye_desktop.services import casework, demo
    from wuye_desktop.services.cases import listing as register
    from wuye_desktop.services.context import Context, User
    from wuye_desktop.services.safety.opening import open_register
    from wuye_desktop.ui import msgbox
    from wuye_desktop.ui.bus import ChangeBus
    from wuye_desktop.ui.main_window import MainWindow
    from wuye_desktop.ui.runner import Runner
    from wuye_desktop.ui.shell import Shell

    db = open_register(data_dir=str(workdir / "data"))
    ctx = Context(db, User("王晓燕", Role.ADMIN), today_override=date(2026, 11, 20))
    demo.generate(ctx, args.cases, seed=11)
    msgbox.responder = lambda _kind, _title, _text: False  # nothing is saved past a question
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.scale == 1.0 else f"@{round(args.scale * 100)}"

    def shot(widget: QWidget, name: str) -> None:
        app.processEvents()
        path = out / f"{name}{suffix}.png"
        widget.grab().save(str(path))
        print(path)

    from wuye_desktop.ui.sign_in_window import SignInWindow

    sign_in = SignInWindow("wenshu")
    sign_in.show()
    shot(sign_in, "sign-in-opening")
    sign_in.register_ready(Context(db), str(workdir / "data" / "wuye.db"), needs_first_admin=False)
    shot(sign_in, "sign-in")
    sign_in.close()
    first_start = SignInWindow()
    first_start.show()
    first_start.register_ready(Context(db), str(workdir / "data" / "wuye.db"), needs_first_admin=True)
    shot(first_start, "first-admin")
    first_start.close()

    window = MainWindow(Shell(ctx, ChangeBus(), Runner(), str(workdir / "data" / "wuye.db")))
    window.resize(1280, 800)
    window.show()
    shot(window, "register")
    for key in ("reminders", "mediators", "companies", "settings"):
        window.show_page(key)
        if key == "companies":
            page = window.pages[key]
            page.edit(page.model.row_at(0))  # type: ignore[attr-defined]
        shot(window, key)
    window.show_page("register")

    dialog = window.new_case()
    assert dialog is not None
    dialog.resize(900, 820)
    first = dialog.cards[0]
    first.name.setText("张三")
    first.id_number.setText("110105194912310021")
    first.phone.setText("1381234")
    dialog.cards[1].name.setText("李四")
    dialog.save()
    dialog.scroll_area.ensureWidgetVisible(first)
    shot(dialog, "intake-errors")
    dialog.close()

    rows = register.page(ctx, register.CaseFilter(statuses=[CaseStatus.AGREED]), 0, 200)
    chosen = next(r for r in rows if casework.visits(ctx, r.id) and casework.steps(ctx, r.id))
    _work_on(ctx, chosen.id, workdir)
    workspace = window.open_case(chosen.id)
    assert workspace is not None
    workspace.resize(1180, 780)
    names = ("overview", "parties", "process", "mediators", "agreement", "visits", "attachments", "history")
    for index, name in enumerate(names):
        workspace.tabs.setCurrentIndex(index)
        shot(workspace, f"workspace-{name}")
    msgbox.responder = lambda _kind, _title, _text: True
    workspace.close()
    window.close()
    return 0


def _work_on(ctx: Context, case_id: int, workdir: Path) -> None:
    """What a mediator adds to a demo case, so the records, attachments and history tabs show something."""
    from datetime import datetime

    from PySide6.QtGui import QColor, QImage

    from wuye_desktop.models import RecordKind
    from wuye_desktop.services import cases
    from wuye_desktop.services.casework import attachments, records
    from wuye_desktop.services.casework.records import RecordInput

    records.add_record(ctx, case_id, RecordInput(
        RecordKind.INVESTIGATION, datetime(2026, 11, 2, 9, 30), "核实墙体拆改情况", place="现场",
        participants="调解员、物业工程部", statements="被申请人称只拆除了非承重隔墙", findings="拆除部位含承重墙一段",
        outcome="要求立即停工，委托鉴定"))
    photo = QImage(640, 480, QImage.Format.Format_RGB32)
    photo.fill(QColor("#c8c8c8"))
    for name in ("现场照片1.png", "现场照片2.png"):
        path = workdir / name
        photo.save(str(path))
        attachments.add(ctx, case_id, path, category="现场照片")
    cases.get(ctx, case_id, reveal=True)


if __name__ == "__main__":
    sys.exit(main())
