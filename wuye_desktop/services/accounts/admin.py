"""What an administrator does with accounts: add, change, reset a password, unlock, deactivate.

The register always keeps one active administrator: the last one cannot be
deactivated or given another role, and nobody can deactivate themselves.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wuye_desktop.errors import DomainError, ValidationError
from wuye_desktop.models import Mediator, Role, UserAccount
from wuye_desktop.services import audit
from wuye_desktop.services.accounts import passwords
from wuye_desktop.services.accounts.sign_in import (
    AccountView,
    check_identity,
    find,
    get_account,
    issue_recovery_code,
    mediator_names,
    view_of,
)
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import Permission, requires

MEDIATOR_NEEDED = "调解员账户需要关联调解员名册中的一位调解员，才能办理本人承办的案件"


@requires(Permission.ACCOUNTS)
def list_accounts(ctx: Context) -> list[AccountView]:
    with ctx.db.reading() as session:
        names = mediator_names(session)
        rows = session.scalars(select(UserAccount).order_by(UserAccount.active.desc(), UserAccount.id))
        return [view_of(a, names.get(a.mediator_id or 0, ""), ctx.now()) for a in rows]


@requires(Permission.ACCOUNTS)
def add(ctx: Context, username: str, display_name: str, role: Role, password: str,
        mediator_id: int | None = None) -> AccountView:
    """A new account; its user must choose their own password at the first sign-in."""
    name, shown = _checked(username, display_name, password, role, mediator_id)
    with ctx.db.writing() as session:
        if find(session, name) is not None:
            raise ValidationError.single("username", f"用户名“{name}”已被使用，请换一个")
        _check_unique_name(session, shown)
        mediator = _check_mediator(session, role, mediator_id)
        account = UserAccount(username=name, display_name=shown, role=role,
                              password_hash=passwords.hash_password(password),
                              mediator_id=mediator.id if mediator else None, active=True,
                              must_change_password=True, failed_attempts=0)
        session.add(account)
        session.flush()
        audit.record(session, ctx.actor, "create_account", "account", name,
                     {"name": shown, "role": role.label, "mediator": mediator.name if mediator else ""},
                     at=ctx.now())
        return view_of(account, mediator.name if mediator else "", ctx.now())


def _checked(username: str, display_name: str, password: str, role: Role,
             mediator_id: int | None) -> tuple[str, str]:
    """All the form's problems at once, each beside its field."""
    errors: dict[str, str] = {}
    if role is Role.MEDIATOR and mediator_id is None:
        errors["mediator_id"] = MEDIATOR_NEEDED
    name = shown = ""
    try:
        name, shown = check_identity(username, display_name)
    except ValidationError as exc:
        errors.update(exc.errors)
    try:
        passwords.check(password, name)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return name, shown


def _check_unique_name(session: Session, shown: str, except_id: int | None = None) -> None:
    # The audit trail names people by this name: two accounts must not share it.
    clash = session.scalar(select(UserAccount.username).where(UserAccount.display_name == shown,
                                                              UserAccount.id != (except_id or 0)))
    if clash is not None:
        raise ValidationError.single("display_name", f"账户“{clash}”已使用姓名“{shown}”，请加以区分（例如加上科室）")


def _check_mediator(session: Session, role: Role, mediator_id: int | None) -> Mediator | None:
    if role is not Role.MEDIATOR:
        return None
    if mediator_id is None:
        raise ValidationError.single("mediator_id", MEDIATOR_NEEDED)
    mediator = session.get(Mediator, mediator_id)
    if mediator is None:
        raise ValidationError.single("mediator_id", "所选调解员不存在，请重新选择")
    return mediator


@requires(Permission.ACCOUNTS)
def update(ctx: Context, username: str, display_name: str, role: Role, mediator_id: int | None = None) -> AccountView:
    """Change an account's name, role or linked mediator."""
    _, shown = check_identity(username, display_name)
    with ctx.db.writing() as session:
        account = get_account(session, username)
        _check_unique_name(session, shown, except_id=account.id)
        mediator = _check_mediator(session, role, mediator_id)
        if account.role is Role.ADMIN and role is not Role.ADMIN:
            _keep_an_admin(session, account, "改为其他角色")
        before = {"name": account.display_name, "role": account.role.label, "mediator": account.mediator_id}
        account.display_name, account.role = shown, role
        account.mediator_id = mediator.id if mediator else None
        after = {"name": shown, "role": role.label, "mediator": account.mediator_id}
        audit.record(session, ctx.actor, "update_account", "account", account.username,
                     {"fields": audit.changes(before, after)}, at=ctx.now())
        return view_of(account, mediator.name if mediator else "", ctx.now())


def _keep_an_admin(session: Session, account: UserAccount, what: str) -> None:
    admins = session.scalar(select(func.count()).select_from(UserAccount).where(
        UserAccount.role == Role.ADMIN, UserAccount.active.is_(True), UserAccount.id != account.id))
    if not admins:
        raise DomainError(f"“{account.display_name}”是唯一可用的管理员，不能{what}；请先添加另一位管理员。")


@requires(Permission.ACCOUNTS)
def reset_password(ctx: Context, username: str, new_password: str) -> None:
    """Give a user a new password (they choose their own at the next sign-in); also unlocks."""
    with ctx.db.writing() as session:
        account = get_account(session, username)
        passwords.check(new_password, account.username)
        account.password_hash = passwords.hash_password(new_password)
        account.must_change_password = True
        account.failed_attempts = 0
        account.locked_until = None
        audit.record(session, ctx.actor, "reset_password", "account", account.username, {}, at=ctx.now())


@requires(Permission.ACCOUNTS)
def new_recovery_code(ctx: Context) -> str:
    """A new recovery code for the register (the old one stops working); to be shown once."""
    with ctx.db.writing() as session:
        return issue_recovery_code(session, ctx.actor, ctx.now())


@requires(Permission.ACCOUNTS)
def unlock(ctx: Context, username: str) -> None:
    with ctx.db.writing() as session:
        account = get_account(session, username)
        was = account.locked_until
        account.failed_attempts = 0
        account.locked_until = None
        audit.record(session, ctx.actor, "unlock_account", "account", account.username,
                     {"until": f"{was:%Y-%m-%d %H:%M}" if was else "未锁定"}, at=ctx.now())


@requires(Permission.ACCOUNTS)
def set_active(ctx: Context, username: str, active: bool) -> None:
    """Deactivate (the account can no longer sign in; its history stays) or reactivate."""
    with ctx.db.writing() as session:
        account = get_account(session, username)
        if account.active == active:
            return
        if not active:
            if ctx.user.username and account.username == ctx.user.username:
                raise DomainError("不能停用自己正在使用的账户。")
            if account.role is Role.ADMIN:
                _keep_an_admin(session, account, "停用")
        account.active = active
        audit.record(session, ctx.actor, "activate_account" if active else "deactivate_account", "account",
                     account.username, {}, at=ctx.now())
