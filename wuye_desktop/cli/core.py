"""The register itself: init, demo, check, audit verify.

None of them needs an account: ``init`` creates the first administrator of a new
register (``--user``), or signs in on one that has accounts; ``demo`` fills a demo
register; ``check`` and ``audit verify`` read no personal data.
"""

from __future__ import annotations

import argparse
import sys

from wuye_desktop.cli.base import EXIT_ERROR, EXIT_OK, Commands, open_register, signed_in, username


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
        return EXIT_OK
    for line in report.problems[:50]:
        print(f"问题：{line}", file=sys.stderr)
    print(f"审计记录被改动：共 {report.entries} 条，发现 {len(report.problems)} 处问题。", file=sys.stderr)
    return EXIT_ERROR
