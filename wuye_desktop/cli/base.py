"""Shared pieces of the ``wuye`` command: the parser, global options, opening the register, signing in."""

from __future__ import annotations

import argparse
import os
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
    """--data-dir, --db-url, --user and --password-stdin, accepted before or after the subcommand."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="数据文件夹（默认：系统用户数据目录，或环境变量 WUYE_DATA_DIR）")
    parser.add_argument("--db-url", metavar="URL", default=default,
                        help="数据库地址，例如 postgresql+psycopg://用户@主机/库名（或环境变量 WUYE_DB_URL）")
    parser.add_argument("--user", metavar="NAME", default=default,
                        help="以这个账户登录后运行命令（或环境变量 WUYE_USER）；密码在提示下输入，不显示")
    parser.add_argument("--password-stdin", action="store_true", default=default,
                        help="从标准输入读取登录密码（一行），供脚本使用")


def add_force_option(parser: argparse.ArgumentParser) -> None:
    """--force: a file already at the -o path may be replaced (never the register or what the program keeps)."""
    parser.add_argument("--force", action="store_true", help="输出文件已存在时替换它（不会替换台账和程序保管的文件）")


class Commands:
    """Where a feature adds its subcommands: ``commands.add("backup", "…", handler)``."""

    def __init__(self, parser: argparse.ArgumentParser, dest: str = "command") -> None:
        self._sub = parser.add_subparsers(dest=dest, metavar="命令", parser_class=Parser)

    def add(self, name: str, help_text: str, handler: Handler, *, signs_in: bool = True) -> argparse.ArgumentParser:
        """A command; it runs as a signed-in account (``signed_in``) unless ``signs_in`` is False."""
        sub = self._sub.add_parser(name, help=help_text, description=help_text)
        add_global_options(sub, suppress=True)
        sub.set_defaults(handler=handler, signs_in=signs_in)
        return sub

    def group(self, name: str, help_text: str) -> Commands:
        """A command with its own subcommands, such as ``wuye print agreement``."""
        sub = self._sub.add_parser(name, help=help_text, description=help_text)
        add_global_options(sub, suppress=True)
        sub.set_defaults(handler=_needs_subcommand(sub), signs_in=False)
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


# -- signing in ----------------------------------------------------------------------------------------

SIGN_IN_NEEDED = ("这个命令需要登录：请用 --user 用户名 指定账户（或设置环境变量 WUYE_USER），"
                  "密码在提示下输入，脚本中可用 --password-stdin 从标准输入读取。")


def username(args: argparse.Namespace) -> str:
    return (getattr(args, "user", None) or os.environ.get("WUYE_USER", "")).strip()


def require_user(args: argparse.Namespace) -> None:
    """Before a command that signs in touches anything: is there an account to sign in as?"""
    from wuye_desktop.errors import DomainError

    if getattr(args, "signs_in", False) and not username(args):
        raise DomainError(SIGN_IN_NEEDED)


def read_secret(from_stdin: bool, prompt: str, option: str = "--password-stdin") -> str:
    """One line of standard input, or typed at the terminal without echo; never an argument."""
    from wuye_desktop.errors import DomainError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise DomainError(f"没有可以输入{prompt}的终端：请用 {option} 从标准输入提供（一行）。")
    import getpass

    return getpass.getpass(f"{prompt}：")


def signed_in(args: argparse.Namespace, db: Database) -> Context:
    """The account named by --user, signed in as the window signs in: same check, lockout and audit."""
    from wuye_desktop.errors import DomainError
    from wuye_desktop.services import accounts
    from wuye_desktop.services.context import Context

    name = username(args)
    if not name:
        raise DomainError(SIGN_IN_NEEDED)
    password = read_secret(bool(getattr(args, "password_stdin", False)), f"账户 {name} 的密码")
    signed = accounts.login(Context(db), name, password)
    if signed.must_change_password:
        raise DomainError(f"账户 {name} 的密码是管理员设置的临时密码：请先在程序窗口中登录并改成自己的密码，"
                          "再使用命令行。")
    return Context(db, signed.user)
