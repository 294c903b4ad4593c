"""Shared pieces of the ``wuye`` command: the parser, global options, opening the register."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wuye_desktop.services.context import Context
    from wuye_desktop.storage.engine import Database

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 70

Handler = Callable[[argparse.Namespace], int]


class Parser(argparse.ArgumentParser):
    """argparse with its headings and errors in Chinese."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "命令"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：参数有误（{message}）。用 {self.prog} -h 查看用法。\n")


def add_global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """--data-dir and --db-url, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="数据文件夹（默认：系统用户数据目录，或环境变量 WUYE_DATA_DIR）")
    parser.add_argument("--db-url", metavar="URL", default=default,
                        help="数据库地址，例如 postgresql+psycopg://用户@主机/库名（或环境变量 WUYE_DB_URL）")


def add_force_option(parser: argparse.ArgumentParser) -> None:
    """--force: a file already at the -o path may be replaced (never the register or what the program keeps)."""
    parser.add_argument("--force", action="store_true", help="输出文件已存在时替换它（不会替换台账和程序保管的文件）")


class Commands:
    """Where a feature adds its subcommands: ``commands.add("backup", "…", handler)``."""

    def __init__(self, parser: argparse.ArgumentParser, dest: str = "command") -> None:
        self._sub = parser.add_subparsers(dest=dest, metavar="命令", parser_class=Parser)

    def add(self, name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        sub = self._sub.add_parser(name, help=help_text, description=help_text)
        add_global_options(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    def group(self, name: str, help_text: str) -> Commands:
        """A command with its own subcommands, such as ``wuye print agreement``."""
        sub = self._sub.add_parser(name, help=help_text, description=help_text)
        add_global_options(sub, suppress=True)
        sub.set_defaults(handler=_needs_subcommand(sub))
        return Commands(sub, dest=f"{name}_command")


def _needs_subcommand(parser: argparse.ArgumentParser) -> Handler:
    def handler(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return EXIT_USAGE

    return handler


def open_register(args: argparse.Namespace) -> Database:
    """The register named by --data-dir/--db-url, created or upgraded as needed."""
    from wuye_desktop.services.safety.opening import open_register as open_

    return open_(data_dir=args.data_dir, db_url=args.db_url)


def system_context(db: Database) -> Context:
    """Commands run as the computer's administrator (accounts may narrow this later)."""
    from wuye_desktop.services.context import Context

    return Context(db)
