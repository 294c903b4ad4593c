"""The ``wuye`` command: what administrators (and scripts) do without the window.

Every failure the user can act on is one Chinese line on stderr and a
non-zero exit; a bug writes a crash report and says where, never a bare
traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from wuye_desktop import __version__

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 70

Handler = Callable[[argparse.Namespace], int]


class _Parser(argparse.ArgumentParser):
    """argparse with its messages in Chinese where it matters: errors and help headings."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._positionals.title = "命令"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：参数有误（{message}）。用 {self.prog} -h 查看用法。\n")


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help="数据文件夹（默认：系统用户数据目录，或环境变量 WUYE_DATA_DIR）")
    parser.add_argument("--db-url", metavar="URL", default=default,
                        help="数据库地址，例如 postgresql+psycopg://用户@主机/库名（或环境变量 WUYE_DB_URL）")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wuye", description="物业纠纷调解台账：命令行工具")
    parser.add_argument("--version", action="version", version=f"wuye-desktop {__version__}",
                        help="显示版本号并退出")
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    def command(name: str, help_text: str, handler: Handler) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        _global_options(sub, suppress=True)
        sub.set_defaults(handler=handler)
        return sub

    command("init", "创建或升级台账数据库", _cmd_init)
    demo = command("demo", "生成演示数据（小区、物业企业、调解员和各状态的案件）", _cmd_demo)
    demo.add_argument("--cases", type=_positive, default=500, metavar="N", help="案件数量（默认 500）")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子，相同种子生成相同数据")
    command("check", "检查数据库是否完好（完整性、外键、版本）", _cmd_check)
    audit = command("audit", "审计记录", _cmd_audit_help)
    audit_commands = audit.add_subparsers(dest="audit_command", metavar="子命令", parser_class=_Parser)
    verify = audit_commands.add_parser("verify", help="校验审计记录链是否被改动或删除")
    _global_options(verify, suppress=True)
    verify.set_defaults(handler=_cmd_audit_verify)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 1 or value > 1_000_000:
        raise argparse.ArgumentTypeError("应在 1 到 1000000 之间")
    return value


# -- commands ------------------------------------------------------------------------


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from wuye_desktop.services.setup import open_register

    return open_register(data_dir=args.data_dir, db_url=args.db_url)


def _cmd_init(args: argparse.Namespace) -> int:
    from wuye_desktop.storage import migrate

    db = _open(args)
    try:
        print(f"台账已就绪：{db.display_location}（数据库版本 {migrate.current_revision(db)}）")
    finally:
        db.dispose()
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from wuye_desktop.services import demo
    from wuye_desktop.services.context import Context

    db = _open(args)
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\r生成中 {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        report = demo.generate(Context(db), args.cases, seed=args.seed, progress=progress)
    finally:
        db.dispose()
    if show:
        print(file=sys.stderr)
    print(f"已生成 {report.cases} 件演示案件（{report.first_number} 至 {report.last_number}），"
          f"用时 {report.seconds:.1f} 秒：{db.display_location}")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from wuye_desktop.storage.check import check_register

    result = check_register(data_dir=args.data_dir, db_url=args.db_url)
    for line in result.notes:
        print(line)
    for line in result.problems:
        print(f"问题：{line}", file=sys.stderr)
    if result.problems:
        print("数据库未通过检查。请用最近一次完好的备份恢复（wuye restore 备份文件），"
              "或联系技术支持；在此之前请不要继续录入。", file=sys.stderr)
        return EXIT_ERROR
    print("检查通过：数据库完好。")
    return EXIT_OK


def _cmd_audit_help(args: argparse.Namespace) -> int:
    print("用法：wuye audit verify", file=sys.stderr)
    return EXIT_USAGE


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from wuye_desktop.services import audit

    db = _open(args)
    try:
        report = audit.verify(db)
    finally:
        db.dispose()
    if report.ok:
        print(f"审计记录完好：共 {report.entries} 条，链条连续，未发现改动。")
        return EXIT_OK
    for line in report.problems[:50]:
        print(f"问题：{line}", file=sys.stderr)
    print(f"审计记录被改动：共 {report.entries} 条，发现 {len(report.problems)} 处问题。", file=sys.stderr)
    return EXIT_ERROR


# -- running -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_USAGE
    return run(handler, args)


def run(handler: Handler, args: argparse.Namespace) -> int:
    from wuye_desktop.services.errors import DomainError

    try:
        return handler(args)
    except DomainError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception:
        if os.environ.get("WUYE_DEBUG"):
            raise
        report = _write_crash_report(args)
        print(f"程序内部错误，操作未完成。详细信息已写入 {report}，请把这个文件发给技术支持。", file=sys.stderr)
        return EXIT_BUG


def _write_crash_report(args: argparse.Namespace) -> Path:
    from wuye_desktop.storage.redact import redact

    folder = Path(os.environ.get("TMPDIR", "/tmp" if os.name != "nt" else os.environ.get("TEMP", ".")))
    path = folder / f"wuye-crash-{datetime.now():%Y%m%d-%H%M%S}.txt"
    text = f"wuye-desktop {__version__}\n命令：{' '.join(sys.argv[1:])}\n\n{traceback.format_exc()}"
    path.write_text(redact(text), encoding="utf-8")
    return path


if __name__ == "__main__":
    sys.exit(main())
