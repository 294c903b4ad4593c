"""``wuye backup`` and ``wuye restore``: the register onto a USB stick and back.

Neither upgrades or "opens" the register the way the window does: a backup
copies what is there, and a restore must work exactly when the register is
too damaged to open. A backup outside the data folder is encrypted: its
passphrase comes from ``--passphrase-file`` (its first line) or is typed at
the terminal (twice for a backup); it is never printed or logged. A backup
that is not one of this register's own is restored only with ``--foreign``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from wuye_desktop.cli.base import EXIT_ERROR, EXIT_OK, Commands, signed_in
from wuye_desktop.errors import DomainError

if TYPE_CHECKING:
    from wuye_desktop.services.context import Context
    from wuye_desktop.storage.backup import Progress


def add_commands(commands: Commands) -> None:
    backup = commands.add("backup", "备份台账和附件（写入后校验完整性）；默认写到数据文件夹的 backups 中",
                          _cmd_backup)
    backup.add_argument("-o", "--output", metavar="DIR", help="备份到这个文件夹，例如U盘上的文件夹")
    backup.add_argument("--list", action="store_true", help="列出已有的备份，不做新的备份")
    backup.add_argument("--passphrase-file", metavar="FILE",
                        help="备份密码所在的文件（第一行）；备份到数据文件夹以外（例如U盘）时必须加密，"
                             "不给出时在终端中输入两次")
    restore = commands.add("restore", "用备份恢复台账：先校验备份，并把当前台账另存一份", _cmd_restore)
    restore.add_argument("file", metavar="FILE", help="备份文件（.db，或加密的 .wuyebak）")
    restore.add_argument("-y", "--yes", action="store_true", help="不再询问，直接恢复")
    restore.add_argument("--passphrase-file", metavar="FILE",
                         help="加密备份的密码所在的文件（第一行）；不给出时在终端中输入")
    restore.add_argument("--foreign", action="store_true",
                         help="确认恢复一份不在本机备份记录中、或属于另一本台账（另一调委会）的备份；"
                              "不加时这样的备份只给出警告，不恢复")


def _context(args: argparse.Namespace) -> Context:
    from wuye_desktop.services.safety.opening import open_database

    db = open_database(data_dir=args.data_dir, db_url=args.db_url)
    try:
        return signed_in(args, db)
    except BaseException:
        db.dispose()
        raise


def _progress(verb: str) -> Progress:
    """A percentage line on stderr when a person is watching; nothing in a script's log."""
    show = sys.stderr.isatty()
    last = [-1]

    def progress(done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        if show and percent != last[0]:
            last[0] = percent
            print(f"\r{verb} {percent:3d}%", end="", file=sys.stderr, flush=True)

    return progress


def _end_progress() -> None:
    if sys.stderr.isatty():
        print(file=sys.stderr)


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _passphrase(file: str | None, *, twice: bool, why: str) -> str:
    """The passphrase from ``--passphrase-file``, or typed at the terminal (``twice`` for a new one)."""
    if file:
        try:
            text = Path(file).expanduser().read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "不是 UTF-8 文本"
            raise DomainError(f"无法读取密码文件“{file}”：{reason}。") from None
        lines = text.splitlines()
        return lines[0] if lines else ""
    if not sys.stdin.isatty():
        raise DomainError(f"{why}：请用 --passphrase-file 指定密码文件，或在终端中运行以输入密码。")
    import getpass

    first = getpass.getpass("备份密码：")
    if twice and getpass.getpass("再输入一次备份密码：") != first:
        raise DomainError("两次输入的备份密码不一致，没有备份。")
    return first


def _cmd_backup(args: argparse.Namespace) -> int:
    from wuye_desktop.services.permissions import Permission, require
    from wuye_desktop.services.safety import backups

    ctx = _context(args)
    try:
        if args.list:
            return _list(ctx)
        require(ctx, Permission.BACKUP)  # a role that may not back up is told so before being asked
        passphrase = None
        if args.passphrase_file or backups.leaves_the_pc(ctx, args.output):
            passphrase = backups.check_passphrase(_passphrase(
                args.passphrase_file, twice=True, why="备份到数据文件夹以外（例如U盘）时必须加密，需要备份密码"))
        try:
            info = backups.back_up(ctx, args.output, progress=_progress("正在备份"), passphrase=passphrase)
        finally:
            _end_progress()
    finally:
        ctx.db.dispose()
    print(f"备份完成：{info.path}")
    print(f"  {_size(info.size)}，{info.cases} 件案件，{info.attachments} 个附件；"
          f"完整性和外键检查通过；SHA-256 {info.sha256}")
    if info.encrypted:
        print("  已加密（AES-256）：恢复时需要这个备份密码，密码没有保存在任何地方，请牢记。")
    return EXIT_OK


def _list(ctx: Context) -> int:
    from wuye_desktop.services.safety import backups

    found = backups.list_backups(ctx)
    if not found:
        print("还没有备份。运行 wuye backup 立即备份。")
        return EXIT_OK
    for b in found:
        checked = {True: "校验通过", False: "未通过校验", None: "未登记"}[b.verified]
        cases = "" if b.cases is None else f"{b.cases} 件案件"
        where = b.path if b.present else f"{b.path}（文件不在：U盘未插入或已删除）"
        sealed = "  已加密" if b.encrypted else ""
        print(f"{b.created:%Y-%m-%d %H:%M}  {b.kind}  {_size(b.size):>9}  {checked}{sealed}  {cases}  {where}")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from wuye_desktop.services.permissions import Permission, require
    from wuye_desktop.services.safety import restore
    from wuye_desktop.storage import migrate

    file = Path(args.file)
    ctx = _context(args)
    try:
        require(ctx, Permission.RESTORE)  # a role that may not restore is told so before being asked
        passphrase = None
        if args.passphrase_file or restore.is_encrypted(file):
            passphrase = _passphrase(args.passphrase_file, twice=False,
                                     why=f"备份“{file.name}”已加密，恢复时需要备份密码")
        if not args.yes and sys.stdin.isatty():
            answer = input(f"将用备份“{file}”替换当前台账（当前台账会先另存一份）。确定恢复吗？[y/N] ")
            if answer.strip().lower() not in ("y", "yes", "是"):
                print("没有恢复，台账没有改动。")
                return EXIT_ERROR
        try:
            result = restore.restore(ctx, file, progress=_progress("正在恢复"), passphrase=passphrase,
                                     foreign=args.foreign)
        finally:
            _end_progress()
    except restore.ForeignBackupError as exc:
        print(f"错误：{exc.warning}。没有恢复，台账没有任何改动；确认要用它恢复时，请加上 --foreign 再运行。",
              file=sys.stderr)
        return EXIT_ERROR
    finally:
        ctx.db.dispose()
    print(f"恢复完成：台账现在是备份“{result.backup}”的内容，共 {result.cases} 件案件。")
    if result.warning:
        print(f"  已按 --foreign 确认：{result.warning}（已记入审计记录）")
    if result.upgraded:
        print(f"  备份的数据库版本 {result.from_revision} 已升级到当前版本 {migrate.head_revision()}。")
    if result.safety_copy:
        whole = "" if result.safety_copy_whole else "（恢复前的台账已损坏，原样保存）"
        print(f"  恢复前的台账另存为：{result.safety_copy}{whole}")
    for note in result.audit_notes:
        print(f"  审计记录：{note}")
    if result.attachments_missing:
        print(f"注意：有 {result.attachments_missing} 个附件文件在备份中找不到，对应的扫描件无法打开。",
              file=sys.stderr)
    return EXIT_OK
