"""``wuye-desktop`` / ``python -m wuye_desktop``: start the window on a register."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wuye-desktop", description="物业纠纷调解台账")
    parser.add_argument("--data-dir", metavar="DIR", help="数据文件夹（默认：系统用户数据目录，或 WUYE_DATA_DIR）")
    parser.add_argument("--db-url", metavar="URL", help="数据库地址（多台电脑共用时连接 PostgreSQL 服务器）")
    args, _qt_args = parser.parse_known_args(argv)
    return args


def install_translations(app: object) -> None:
    """Qt's own buttons and dialogs in Chinese: a clerk must never meet an English 'Cancel'."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    translator = QTranslator(app)  # type: ignore[arg-type]
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path):
        app.installTranslator(translator)  # type: ignore[attr-defined]
    else:
        log.warning("Qt's Chinese translation was not found in %s", path)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("物业纠纷调解台账")
    app.setOrganizationName("WuyeDesktop")
    install_translations(app)

    from wuye_desktop.services.context import Context
    from wuye_desktop.services.errors import DomainError
    from wuye_desktop.services.setup import open_register
    from wuye_desktop.ui import msgbox
    from wuye_desktop.ui.bus import ChangeBus
    from wuye_desktop.ui.main_window import MainWindow
    from wuye_desktop.ui.runner import Runner
    from wuye_desktop.ui.shell import Shell

    try:
        db = open_register(data_dir=args.data_dir, db_url=args.db_url)
    except DomainError as exc:
        msgbox.error(None, "无法打开台账", exc.message)
        return 1
    shell = Shell(Context(db), ChangeBus(app), Runner(app), db.display_location)
    window = MainWindow(shell)
    window.show()
    return int(app.exec())


if __name__ == "__main__":
    sys.exit(main())
