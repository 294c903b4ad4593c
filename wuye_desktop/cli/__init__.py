"""The ``wuye`` command: what administrators (and scripts) do without the window.

Every failure the user can act on is one Chinese line on stderr and a
non-zero exit; a bug writes a crash report and says where, never a bare
traceback. Each feature adds its subcommands in its own module, listed in
``COMMAND_MODULES``. A command that reads personal data or changes anything
runs as an account (``--user``, see ``base.signed_in``).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from wuye_desktop import __version__
from wuye_desktop.cli import accounts, core, documents, exchange, reports, safety
from wuye_desktop.cli.base import (
    EXIT_BUG,
    EXIT_ERROR,
    EXIT_USAGE,
    Commands,
    Handler,
    Parser,
    add_global_options,
    require_user,
)
from wuye_desktop.storage import fault_log, log_redaction
from wuye_desktop.storage.paths import resolve_data_dir

COMMAND_MODULES = (core, exchange, accounts, safety, documents, reports)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="wuye", description="物业纠纷调解台账：命令行工具")
    parser.add_argument("--version", action="version", version=f"wuye-desktop {__version__}",
                        help="显示版本号并退出")
    add_global_options(parser, suppress=False)
    commands = Commands(parser)
    for module in COMMAND_MODULES:
        module.add_commands(commands)
    return parser


# -- running -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    # Warnings go to the data folder's log (for support), not among the command's Chinese lines.
    logging.basicConfig(level=logging.WARNING, handlers=[logging.NullHandler()])
    log_redaction.install()
    parser = build_parser()
    unreadable = _not_text(sys.argv[1:] if argv is None else argv)
    if unreadable is not None:
        print(f"错误：命令行中的“{unreadable}”有无法识别的字符（不是 UTF-8 编码的文件名或文字），"
              "请改用只含汉字、字母、数字等常用字符的名称。", file=sys.stderr)
        return EXIT_USAGE
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    logs = _logs_folder(args)
    if logs is not None:
        log_redaction.log_to_data_folder(logs, "wuye-cli.log")
    fault_log.enable(logs)  # a crash in C code leaves its Python stacks there
    return run(handler, args)


def _logs_folder(args: argparse.Namespace) -> Path | None:
    """The data folder's logs; None when the folder named is unusable (the command then says why, in one line)."""
    from wuye_desktop.errors import DomainError

    try:
        return resolve_data_dir(args.data_dir).logs
    except DomainError:
        return None


def run(handler: Handler, args: argparse.Namespace) -> int:
    from wuye_desktop.errors import DomainError

    try:
        require_user(args)  # a command that signs in says so before it touches the register
        return handler(args)
    except DomainError as exc:
        print(f"错误：{exc.message}{_way_out(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception:
        if os.environ.get("WUYE_DEBUG"):
            raise
        report = _write_crash_report(args)
        where = f"详细信息已写入 {report}，请把这个文件发给技术支持" if report else "且无法写入错误报告，请告知技术支持"
        print(f"程序内部错误，操作未完成。{where}。", file=sys.stderr)
        return EXIT_BUG


def _not_text(args: Sequence[str]) -> str | None:
    """The first argument holding bytes that are not UTF-8 (Linux hands them over as lone surrogates), shown
    with those bytes escaped; None when every argument is text."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            try:
                return os.fsencode(arg).decode("utf-8", "backslashreplace")
            except UnicodeError:
                return arg.encode("utf-8", "backslashreplace").decode("ascii")
    return None


def _way_out(exc: Exception) -> str:
    from wuye_desktop.services.outputs import ExistingFileError

    return "如确定要替换它，请加 --force。" if isinstance(exc, ExistingFileError) else ""


def _write_crash_report(args: argparse.Namespace) -> Path | None:
    """The traceback, masked, in a file of its own; None if no folder would take it. Never raises: whatever
    the bug, even a name that is not text, the user still gets the one line saying where to look."""
    from wuye_desktop.storage.redact import redact

    try:
        text = redact(f"wuye-desktop {__version__}\n命令：{' '.join(sys.argv[1:])}\n\n{traceback.format_exc()}")
    except Exception:  # the report of the report: keep what can be had
        text = traceback.format_exc()
    for folder in (os.environ.get("TMPDIR"), os.environ.get("TEMP"), tempfile.gettempdir(), os.getcwd()):
        if not folder:
            continue
        try:
            handle, name = tempfile.mkstemp(prefix=f"wuye-crash-{datetime.now():%Y%m%d-%H%M%S}-", suffix=".txt",
                                            dir=folder)
            with os.fdopen(handle, "w", encoding="utf-8", errors="backslashreplace") as out:
                out.write(text)
            return Path(name)
        except Exception:  # a folder that is gone, full or read-only: try the next
            continue
    return None


if __name__ == "__main__":
    sys.exit(main())
