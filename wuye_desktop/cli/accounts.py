"""``wuye account``: add, list, reset a password, unlock, deactivate; recover with the recovery code.

Passwords are never taken as an argument (they would stay in the shell's
history and in the process list): they are read from standard input, or
asked for twice without echo when a person is at the keyboard. Every
command but ``recover`` runs as a signed-in administrator (``--user``);
``recover`` is for when no administrator can sign in any more.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from wuye_desktop.cli.base import EXIT_OK, Commands, open_register, read_secret, signed_in

if TYPE_CHECKING:
    from wuye_desktop.models.enums import Role
    from wuye_desktop.services.context import Context


def add_commands(commands: Commands) -> None:
    group = commands.group("account", "账户：添加、列出、重置密码、解锁、停用")
    add = group.add("add", "添加账户（密码从标准输入读取，或在提示下输入两次）", _cmd_add)
    add.add_argument("username", metavar="USER", help="用户名（登录时输入）")
    add.add_argument("--role", required=True, type=_role, metavar="R",
                     help="角色：admin 管理员、mediator 调解员、clerk 登记员/文书、viewer 查看")
    add.add_argument("--name", metavar="N", help="姓名，显示在状态栏和审计记录中（默认与用户名相同）")
    add.add_argument("--mediator", metavar="NAME",
                     help="调解员账户对应的调解员（名册中的姓名或编号），调解员角色必填")
    group.add("list", "列出全部账户", _cmd_list)
    for name, text, handler in (
        ("reset-password", "重置密码（从标准输入读取新密码；用户下次登录时须自己改密码）", _cmd_reset),
        ("unlock", "解锁因连续输错密码而被锁定的账户", _cmd_unlock),
        ("deactivate", "停用账户（不能再登录，历史记录保留）", _cmd_deactivate),
        ("activate", "重新启用已停用的账户", _cmd_activate),
    ):
        sub = group.add(name, text, handler)
        sub.add_argument("username", metavar="USER", help="用户名")
    group.add("new-recovery-code", "为台账生成新的恢复码（只显示这一次，旧的作废）", _cmd_new_code)
    recover = group.add("recover", "管理员忘记密码时：用恢复码重设密码并解锁（不需要登录）", _cmd_recover,
                        signs_in=False)
    recover.add_argument("username", metavar="USER", help="管理员的用户名")
    recover.add_argument("--code-stdin", action="store_true",
                         help="从标准输入读取恢复码（第一行）和新密码（第二行），供脚本使用")


def _role(text: str) -> Role:
    from wuye_desktop.models.enums import Role

    try:
        role = Role.from_label(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"没有“{text}”这个角色，可选：" + "、".join(f"{r.value}（{r.label}）" for r in Role)) from None
    assert isinstance(role, Role)
    return role


def read_password(prompt: str, *, from_stdin: bool = False) -> str:
    """From a pipe (or with --password-stdin): the next line. At a keyboard: asked twice, not echoed."""
    from wuye_desktop.errors import DomainError

    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    import getpass

    first = getpass.getpass(f"{prompt}：")
    if getpass.getpass("再输入一次：") != first:
        raise DomainError("两次输入的密码不一致，账户未改动。")
    return first


def show_recovery_code(code: str, username: str) -> None:
    print(f"恢复码：{code}")
    print("  只显示这一次：请抄在纸上，和台账的纸质档案一起锁好，不要存在这台电脑里。")
    print(f"  管理员忘记密码时，运行 wuye account recover {username} 并输入这个恢复码，即可重设密码；"
          "用过后会换成新的恢复码。")


def _mediator_id(ctx: Context, wanted: str | None) -> int | None:
    from wuye_desktop.errors import ValidationError
    from wuye_desktop.services import reference

    if not wanted:
        return None
    choices = reference.mediators(ctx, active_only=False)
    found = [c for c in choices if c.name == wanted.strip() or str(c.id) == wanted.strip()]
    if len(found) == 1:
        return int(found[0].id)
    if not found:
        raise ValidationError.single("mediator_id", f"调解员名册中没有“{wanted}”")
    ids = "、".join(str(c.id) for c in found)
    raise ValidationError.single("mediator_id", f"名册中有 {len(found)} 位“{wanted}”（编号 {ids}），请用编号指定")


def _cmd_add(args: argparse.Namespace) -> int:
    from wuye_desktop.services.accounts import admin as account_admin

    db = open_register(args)
    try:
        ctx = signed_in(args, db)
        mediator_id = _mediator_id(ctx, args.mediator)
        password = read_password(f"账户 {args.username} 的初始密码")
        view = account_admin.add(ctx, args.username, args.name or args.username, args.role, password, mediator_id)
    finally:
        db.dispose()
    linked = f"，对应调解员 {view.mediator_name}" if view.mediator_name else ""
    print(f"已添加账户 {view.username}（{view.display_name}，{view.role.label}{linked}）；首次登录时须修改密码。")
    return EXIT_OK


def _cmd_list(args: argparse.Namespace) -> int:
    from wuye_desktop.services.accounts import admin as account_admin

    db = open_register(args)
    try:
        views = account_admin.list_accounts(signed_in(args, db))
    finally:
        db.dispose()
    print("用户名\t姓名\t角色\t状态\t上次登录")
    for v in views:
        state = "已停用" if not v.active else (f"锁定至 {v.locked_until:%H:%M}" if v.locked_until else "正常")
        if v.active and v.must_change_password:
            state += "（须改密码）"
        last = f"{v.last_login_at:%Y-%m-%d %H:%M}" if v.last_login_at else "从未登录"
        print(f"{v.username}\t{v.display_name}\t{v.role.label}\t{state}\t{last}")
    return EXIT_OK


def _cmd_reset(args: argparse.Namespace) -> int:
    from wuye_desktop.errors import NotFoundError
    from wuye_desktop.services.accounts import admin as account_admin
    from wuye_desktop.services.accounts.sign_in import normalise_username

    db = open_register(args)
    try:
        ctx = signed_in(args, db)
        wanted = normalise_username(args.username)
        if wanted not in {v.username for v in account_admin.list_accounts(ctx)}:  # before asking for a password
            raise NotFoundError(f"没有用户名为“{wanted}”的账户")
        password = read_password(f"账户 {args.username} 的新密码")
        account_admin.reset_password(ctx, args.username, password)
    finally:
        db.dispose()
    print(f"账户 {args.username} 的密码已重置并已解锁；用户下次登录时须修改密码。")
    return EXIT_OK


def _simple(args: argparse.Namespace, action: str) -> None:
    from wuye_desktop.services.accounts import admin as account_admin

    db = open_register(args)
    try:
        ctx = signed_in(args, db)
        if action == "unlock":
            account_admin.unlock(ctx, args.username)
        else:
            account_admin.set_active(ctx, args.username, action == "activate")
    finally:
        db.dispose()


def _cmd_unlock(args: argparse.Namespace) -> int:
    _simple(args, "unlock")
    print(f"账户 {args.username} 已解锁。")
    return EXIT_OK


def _cmd_deactivate(args: argparse.Namespace) -> int:
    _simple(args, "deactivate")
    print(f"账户 {args.username} 已停用。")
    return EXIT_OK


def _cmd_activate(args: argparse.Namespace) -> int:
    _simple(args, "activate")
    print(f"账户 {args.username} 已重新启用。")
    return EXIT_OK


def _cmd_new_code(args: argparse.Namespace) -> int:
    from wuye_desktop.services.accounts import admin as account_admin

    db = open_register(args)
    try:
        ctx = signed_in(args, db)
        code = account_admin.new_recovery_code(ctx)
    finally:
        db.dispose()
    print("已为台账生成新的恢复码，旧的恢复码已作废。")
    show_recovery_code(code, ctx.user.username)
    return EXIT_OK


def _cmd_recover(args: argparse.Namespace) -> int:
    from wuye_desktop.services import accounts
    from wuye_desktop.services.context import Context

    db = open_register(args)
    try:
        code = read_secret(args.code_stdin, "恢复码", "--code-stdin")
        password = read_password(f"账户 {args.username} 的新密码", from_stdin=args.code_stdin)
        fresh = accounts.recover(Context(db), args.username, code, password)
    finally:
        db.dispose()
    name = accounts.normalise_username(args.username)
    print(f"账户 {name} 的密码已重设并已解锁，请用新密码登录。刚才用过的恢复码已作废。")
    show_recovery_code(fresh, name)
    return EXIT_OK
