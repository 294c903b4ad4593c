"""``wuye-desktop`` / ``python -m wuye_desktop``: start the window on a register."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

log = logging.getLogger(__name__)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wuye-desktop", description="物业纠纷调解台账")
    parser.add_argument("--data-dir", metavar="DIR", help="数据文件夹（默认：系统用户数据目录，或 WUYE_DATA_DIR）")
    parser.add_argument("--db-url", metavar="URL", help="数据库地址（多台电脑共用时连接 PostgreSQL 服务器）")
    parser.add_argument("--smoke-test", metavar="OUT", help="自检：建库、登记、打印协议书、生成月报、显示主窗口后退出")
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


def setup_logging() -> None:
    """Warnings to stderr; no full ID or phone number in any record, whoever logs it.

    A crash in Qt's own code dumps the Python stacks: to stderr from the start, and to the log
    folder's ``faults.log`` once the worker that opens the register has found the folder (finding
    it here would cost the first window the import of the path code).
    """
    from wuye_desktop.storage import fault_log, log_redaction

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    log_redaction.install()
    fault_log.enable()


def install_excepthook() -> None:
    """A bug in a slot is logged (masked) and told to the user, instead of vanishing on stderr."""
    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        from wuye_desktop.ui import msgbox

        log.critical("unhandled error", exc_info=(kind, value, tb))
        msgbox.error(None, "程序内部错误", "程序内部错误，刚才的操作可能未完成。详细信息已写入日志，请告知技术支持。")

    sys.excepthook = hook


def smoke_test(args: argparse.Namespace) -> int:
    """Prove a (frozen) build works: a day's work through the services, then the window, then exit 0."""
    from PySide6.QtWidgets import QApplication

    from wuye_desktop import smoke
    from wuye_desktop.services.context import Context
    from wuye_desktop.storage.paths import resolve_data_dir
    from wuye_desktop.ui.bus import ChangeBus
    from wuye_desktop.ui.main_window import MainWindow
    from wuye_desktop.ui.runner import Runner
    from wuye_desktop.ui.shell import Shell
    from wuye_desktop.ui.sign_in_window import SignInWindow
    from wuye_desktop.ui.startup import open_in_background

    data_dir = resolve_data_dir(args.data_dir).root
    result = smoke.run(data_dir, Path(args.smoke_test))
    app = QApplication.instance() or QApplication(sys.argv[:1])
    install_translations(app)
    # The start the way a user meets it: the sign-in window, and the register opened by the worker's code.
    sign_in = SignInWindow()
    sign_in.show()
    opened = open_in_background(str(data_dir), None, check=True)
    assert opened.db is not None and opened.problem is None, "the register did not open"
    db = opened.db
    sign_in.register_ready(Context(db), db.display_location, opened.needs_first_admin)
    app.processEvents()
    sign_in.close()
    window = MainWindow(Shell(Context(db), ChangeBus(app), Runner(app), db.display_location))
    window.show()
    window.show_page("statistics")  # QtCharts, loaded only here
    app.processEvents()
    shown = window.register_view.model.total
    window.close()
    db.dispose()
    print(f"自检通过：{result.case_number}，协议书 {result.agreement_number} -> {result.agreement_pdf}，"
          f"月报 -> {result.workbook}，登录窗口与主窗口（含统计图表）显示 {shown} 件")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging()
    if args.smoke_test:
        return smoke_test(args)
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("物业纠纷调解台账")
    app.setOrganizationName("WuyeDesktop")
    install_translations(app)
    install_excepthook()

    # The sign-in window shows at once; the register is checked and opened behind it, and
    # a damaged one is explained (with the way out) before anything writes to it.
    from wuye_desktop.ui.startup import Startup

    startup = Startup(app, args.data_dir, args.db_url)
    startup.begin()
    code = int(app.exec())
    startup.close()  # the engine goes before the QApplication does
    return code


if __name__ == "__main__":
    sys.exit(main())
