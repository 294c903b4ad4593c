"""The register itself: init, demo, check, the audit trail (verify, its key).

``init``, ``demo``, ``check``, ``audit verify`` and ``audit import-key`` need no account:
``init`` creates the first administrator of a new register (``--user``), or signs in on one
that has accounts; ``demo`` fills a demo register; ``check`` and ``audit verify`` read no
personal data; an imported key is only ever used when it is the one the register's trail is
signed with. ``audit export-key`` runs as an administrator, and ``audit new-key`` checks the
administrator's password before this PC (which has no key yet, so can record nothing) takes over.
"""

from __future__ import annotations

import argparse
import sys

from wuye_desktop.cli.base import (
    EXIT_ERROR,
    EXIT_OK,
    Commands,
    add_force_option,
    open_register,
    read_secret,
    signed_in,
    username,
)


def add_commands(commands: Commands) -> None:
    init = commands.add("init", "创建或升级台账数据库；新台账加 --user 时创建首个管理员（并显示恢复码）", _cmd_init,
                        signs_in=False)
    init.add_argument("--name", metavar="N", help="首个管理员的姓名，显示在状态栏和审计记录中（默认与用户名相同）")
    demo = commands.add("demo", "生成演示数据（小区、物业企业、调解员和各状态的案件）", _cmd_demo, signs_in=False)
    demo.add_argument("--cases", type=_positive, default=500, metavar="N", help="案件数量（默认 500）")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="随机种子，相同种子生成相同数据")
    commands.add("check", "检查数据库是否完好（完整性、外键、版本）", _cmd_check, signs_in=False)
    audit = commands.group("audit", "审计记录")
    audit.add("verify", "校验审计记录链是否被改动或删除", _cmd_audit_verify, signs_in=False)
    export = audit.add("export-key", "把本机保存的审计密钥导出到文件，带到另一台电脑导入（文件务必妥善保管）",
                       _cmd_audit_export_key)
    export.add_argument("file", metavar="FILE", help="写入的密钥文件（以 .key 结尾），例如U盘上的 审计密钥.key")
    add_force_option(export)
    imported = audit.add("import-key", "导入另一台电脑导出的审计密钥文件，使本机能核对和写入审计记录",
                         _cmd_audit_import_key, signs_in=False)
    imported.add_argument("file", metavar="FILE", help="wuye audit export-key 写出的密钥文件")
    new_key = audit.add("new-key", "原来的审计密钥已丢失时，在本机启用新密钥（此前的记录只能核对链条是否连续）",
                        _cmd_audit_new_key, signs_in=False)
    new_key.add_argument("-y", "--yes", action="store_true", help="不再询问，直接启用")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}”不是整数") from None
    if value < 1 or value > 1_000_000:
        raise argparse.ArgumentTypeError("应在 1 到 1000000 之间")
    return value


def _cmd_init(args: argparse.Namespace) -> int:
    from wuye_desktop.cli.accounts import read_password, show_recovery_code
    from wuye_desktop.services import accounts
    from wuye_desktop.services.context import Context
    from wuye_desktop.storage import migrate

    name = username(args)
    created = None
    db = open_register(args)
    try:
        first = accounts.needs_first_admin(Context(db))
        if name and first:
            password = read_password(f"管理员 {name} 的密码", from_stdin=bool(args.password_stdin))
            created = accounts.create_first_admin(Context(db), name, args.name or name, password)
        elif name:
            signed_in(args, db)  # a register with accounts: init upgrades it and signs in, nothing more
        print(f"台账已就绪：{db.display_location}（数据库版本 {migrate.current_revision(db)}）")
    finally:
        db.dispose()
    if created is not None:
        print(f"已创建管理员账户 {created.user.username}（{created.user.name}）。")
        show_recovery_code(created.recovery_code, created.user.username)
    elif first:
        print("台账还没有账户：用 wuye init --user 用户名 创建首个管理员，或启动程序时按提示设置。")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from wuye_desktop.services import demo
    from wuye_desktop.services.context import Context
    from wuye_desktop.services.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts, require_demo_register

    db = open_register(args)
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\r生成中 {done}/{total}", end="", file=sys.stderr, flush=True)

    try:
        require_demo_register(Context(db))  # before anything is written
        report = demo.generate(Context(db), args.cases, seed=args.seed, progress=progress)
        demo_accounts = ensure_demo_accounts(Context(db))
    finally:
        db.dispose()
    if show:
        print(file=sys.stderr)
    print(f"已生成 {report.cases} 件演示案件（{report.first_number} 至 {report.last_number}），"
          f"用时 {report.seconds:.1f} 秒：{db.display_location}")
    if demo_accounts:
        print(f"演示账户 {'、'.join(demo_accounts)}，密码均为 {DEMO_PASSWORD}（仅用于演示台账）")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from wuye_desktop.services.safety.opening import open_database
    from wuye_desktop.storage.check import check_database

    db = open_database(data_dir=args.data_dir, db_url=args.db_url)
    try:
        result = check_database(db)
    finally:
        db.dispose()
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


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from wuye_desktop.services import audit

    db = open_register(args)
    try:
        report = audit.verify(db)
    finally:
        db.dispose()
    if report.ok:
        print(f"审计记录完好：共 {report.entries} 条，链条连续，未发现改动。")
        for line in report.notes:
            print(f"说明：{line}")
        return EXIT_OK
    for line in report.problems[:50]:
        print(f"问题：{line}", file=sys.stderr)
    for line in report.notes:
        print(f"说明：{line}", file=sys.stderr)
    if report.no_key:
        print(f"审计记录未通过校验：本机无法核对这本台账的 {report.entries} 条审计记录（没有它的审计密钥）。",
              file=sys.stderr)
    else:
        print(f"审计记录未通过校验：共 {report.entries} 条，发现 {len(report.problems)} 处问题"
              "（改动、删除、插入或截断）。请保留现有备份，并报告负责人。", file=sys.stderr)
    return EXIT_ERROR


def _cmd_audit_export_key(args: argparse.Namespace) -> int:
    from wuye_desktop.services.accounts import audit_trail

    db = open_register(args)
    try:
        written = audit_trail.export_key(signed_in(args, db), args.file, replace=args.force)
    finally:
        db.dispose()
    print(f"审计密钥已导出到：{written}")
    print("  在另一台电脑上运行 wuye audit import-key 这个文件 即可。文件就是这本台账的审计密钥："
          "得到它和台账文件的人能伪造审计记录，请与备份分开保管，用完从U盘删除。")
    return EXIT_OK


def _cmd_audit_import_key(args: argparse.Namespace) -> int:
    from wuye_desktop.services import audit

    register = audit.import_key_file(args.file)
    print(f"已导入审计密钥（台账标识 {register}）。本机现在可以核对和写入这本台账的审计记录；"
          "可运行 wuye audit verify 核对。")
    return EXIT_OK


def _cmd_audit_new_key(args: argparse.Namespace) -> int:
    from wuye_desktop.services.accounts import audit_trail

    if not args.yes and sys.stdin.isatty():
        answer = input("只有在原来的电脑和它的审计密钥都已丢失时才应启用新密钥：此前的审计记录在本机将只能核对链条"
                       "是否连续。确定启用吗？[y/N] ")
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("没有启用新密钥，台账没有改动。")
            return EXIT_ERROR
    from wuye_desktop.errors import DomainError
    from wuye_desktop.services import accounts
    from wuye_desktop.services.context import Context

    name = username(args)
    if not name:
        raise DomainError("启用新密钥需要管理员登录：请用 --user 用户名 指定管理员账户，密码在提示下输入。")
    db = open_register(args)
    try:
        password = read_secret(bool(getattr(args, "password_stdin", False)), f"账户 {name} 的密码")
        admin = accounts.check_administrator(Context(db), name, password)
        before = audit_trail.new_key(Context(db, admin))
    finally:
        db.dispose()
    print(f"已在本机启用新的审计密钥（这一操作已记入审计记录）。此前的 {before} 条记录在本机只能核对链条是否连续。")
    print("  其他电脑要写入这本台账，需要导入新密钥：在本机运行 wuye audit export-key 文件，"
          "再在那台电脑上运行 wuye audit import-key 文件。")
    return EXIT_OK
