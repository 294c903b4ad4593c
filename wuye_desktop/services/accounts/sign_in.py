"""Signing in and the accounts of the people who share the room's PC.

There is no default password anywhere: a new register asks for the
administrator's account first (``create_first_admin``), and only while no
account exists. Every sign-in attempt is audited; a run of failed passwords
(``settings.LOGIN_MAX_FAILURES``) locks the account for
``settings.LOGIN_LOCK_MINUTES``. Hashing is in ``passwords``.

The first administrator also gets the register's recovery code, shown once
and kept only as an Argon2id hash: with it an administrator who lost their
password sets a new one (``recover``), checked and counted like a password.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from wuye_desktop.errors import DomainError, NotFoundError, PermissionDeniedError, ValidationError
from wuye_desktop.models import Mediator, Role, Setting, UserAccount
from wuye_desktop.services import audit, settings
from wuye_desktop.services.accounts import passwords
from wuye_desktop.services.context import Context, User

_USERNAME = re.compile(r"[a-z0-9_.\-\u4e00-\u9fff]{2,20}")
# Not a user setting (settings.validate refuses it): the hash of the register's recovery code.
RECOVERY_KEY = "accounts.recovery_code"


class SignInError(DomainError):
    """Wrong user name or password, a locked or a deactivated account."""

    def __init__(self, message: str, locked_until: datetime | None = None, wrong_password: bool = False) -> None:
        super().__init__(message)
        self.locked_until = locked_until
        self.wrong_password = wrong_password


@dataclass(frozen=True)
class SignedIn:
    user: User
    must_change_password: bool  # set by an administrator's reset: ask for a new one now
    recovery_code: str = ""  # a new register's recovery code: to be shown to the administrator once, now


@dataclass(frozen=True)
class AccountView:
    id: int
    username: str
    display_name: str
    role: Role
    active: bool
    mediator_id: int | None
    mediator_name: str
    must_change_password: bool
    failed_attempts: int
    locked_until: datetime | None  # None unless locked now
    last_login_at: datetime | None


def normalise_username(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw).strip().lower()


def user_of(account: UserAccount) -> User:
    return User(account.display_name, account.role, account.username, account.mediator_id)


def find(session: Session, username: str) -> UserAccount | None:
    return session.scalar(select(UserAccount).where(UserAccount.username == normalise_username(username)))


def get_account(session: Session, username: str) -> UserAccount:
    account = find(session, username)
    if account is None:
        raise NotFoundError(f"没有用户名为“{normalise_username(username)}”的账户")
    return account


# -- first start -----------------------------------------------------------------------------------


def needs_first_admin(ctx: Context) -> bool:
    """True on a register that has no account yet: the program must ask for the administrator's."""
    with ctx.db.reading() as session:
        return not session.scalar(select(func.count()).select_from(UserAccount))


def create_first_admin(ctx: Context, username: str, display_name: str, password: str) -> SignedIn:
    """The administrator's account of a new register; refused once any account exists."""
    name, shown = check_identity(username, display_name)
    passwords.check(password, name)
    with ctx.db.writing() as session:
        _serialise(session)
        if session.scalar(select(func.count()).select_from(UserAccount)):
            raise PermissionDeniedError("台账已有账户，不能再创建首个管理员；请用管理员账户登录后添加。")
        account = UserAccount(username=name, display_name=shown, role=Role.ADMIN,
                              password_hash=passwords.hash_password(password), active=True,
                              must_change_password=False, failed_attempts=0, last_login_at=ctx.now())
        session.add(account)
        session.flush()
        audit.record(session, shown, "create_account", "account", name,
                     {"role": Role.ADMIN.label, "note": "首次启动创建管理员"}, at=ctx.now())
        code = issue_recovery_code(session, shown, ctx.now())
        audit.record(session, shown, "login", "account", name, {}, at=ctx.now())
        return SignedIn(user_of(account), False, code)


def _serialise(session: Session) -> None:
    """Two workstations starting a new shared register at once must not both create an administrator."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(7461)"))


def check_identity(username: str, display_name: str) -> tuple[str, str]:
    """The user name and display name as stored, or a ``ValidationError`` for each that is wrong."""
    errors: dict[str, str] = {}
    name = normalise_username(username)
    shown = unicodedata.normalize("NFKC", display_name).strip()
    if not name:
        errors["username"] = "请填写用户名"
    elif not _USERNAME.fullmatch(name):
        errors["username"] = "用户名为2到20位的字母、数字、汉字或 _ . -，不能有空格"
    if not shown:
        errors["display_name"] = "请填写姓名（显示在审计记录和状态栏中）"
    elif len(shown) > 20:
        errors["display_name"] = "姓名不能超过20个字"
    if errors:
        raise ValidationError(errors)
    return name, shown


# -- signing in ------------------------------------------------------------------------------------


def login(ctx: Context, username: str, password: str) -> SignedIn:
    """Check the password and return who signed in; every attempt is audited."""
    name = normalise_username(username)
    if not name:
        raise ValidationError.single("username", "请填写用户名")
    if not password:
        raise ValidationError.single("password", "请填写密码")
    with ctx.db.writing() as session:
        account = find(session, name)
        if account is None:
            passwords.spend_time_on_unknown_user(password)
            audit.record(session, name, "login_failed", "account", name[:40], {"reason": "用户名不存在"},
                         at=ctx.now())
            refusal: SignInError | None = SignInError("用户名或密码不正确，请重新输入。", wrong_password=True)
            signed_in = None
        else:
            refusal = _attempt(ctx, session, account, password, "login")
            signed_in = SignedIn(user_of(account), account.must_change_password)
    if refusal is not None or signed_in is None:
        raise refusal or SignInError("用户名或密码不正确，请重新输入。")
    return signed_in


def check_administrator(ctx: Context, username: str, password: str) -> User:
    """An administrator's password checked without writing anything (nothing is recorded).

    Only for the one moment nothing can be recorded: a PC without the register's audit key taking
    over with a new one (``wuye audit new-key``), which the audit trail then records under this name.
    """
    name = normalise_username(username)
    with ctx.db.reading() as session:
        account = find(session, name)
        if account is None or not passwords.verify(account.password_hash, password):
            if account is None:
                passwords.spend_time_on_unknown_user(password)
            raise SignInError("用户名或密码不正确，请重新输入。", wrong_password=True)
        if not account.active:
            raise SignInError("这个账户已停用，请联系管理员。")
        if account.locked_until is not None and account.locked_until > ctx.now():
            raise _locked(account.locked_until)
        if account.role != Role.ADMIN:
            raise PermissionDeniedError("只有管理员可以为这本台账启用新的审计密钥。")
        return user_of(account)


def confirm_password(ctx: Context, password: str) -> None:
    """Unlock the idle-locked window: the signed-in user's password again, counted like a sign-in."""
    with ctx.db.writing() as session:
        account = get_account(session, ctx.user.username)
        refusal = _attempt(ctx, session, account, password, "unlock_screen")
    if refusal is not None:
        raise refusal


def _attempt(ctx: Context, session: Session, account: UserAccount, password: str, action: str,
             *, audit_success: bool = True, against: str = "", secret: str = "密码") -> SignInError | None:
    """One password attempt on an account, audited; the refusal to raise after committing, if any.

    ``against`` is another hash to check instead of the password's (the recovery code's), ``secret``
    what it is called in the messages.
    """
    now = ctx.now()
    who, name = account.display_name, account.username
    if not account.active:
        audit.record(session, who, f"{action}_failed", "account", name, {"reason": "账户已停用"}, at=now)
        return SignInError("这个账户已停用，请联系管理员。")
    if account.locked_until is not None and account.locked_until > now:
        passwords.spend_time_on_unknown_user(password)
        audit.record(session, who, f"{action}_failed", "account", name, {"reason": "账户锁定中"}, at=now)
        return _locked(account.locked_until)
    if not passwords.verify(against or account.password_hash, password):
        return _failed(ctx, session, account, action, secret)
    detail: dict[str, object] = {}
    if not against and passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password)
        detail["note"] = "密码哈希已升级到当前参数"
    account.failed_attempts = 0
    account.locked_until = None
    if action == "login":
        account.last_login_at = now
    if audit_success:
        audit.record(session, who, action, "account", name, detail, at=now)
    return None


def _failed(ctx: Context, session: Session, account: UserAccount, action: str, secret: str = "密码") -> SignInError:
    now = ctx.now()
    limit = int(settings.read(session, settings.LOGIN_MAX_FAILURES))
    minutes = int(settings.read(session, settings.LOGIN_LOCK_MINUTES))
    account.failed_attempts = (account.failed_attempts or 0) + 1
    attempts = account.failed_attempts
    audit.record(session, account.display_name, f"{action}_failed", "account", account.username,
                 {"reason": f"{secret}错误", "attempts": attempts}, at=now)
    if attempts >= limit:
        # The count starts again when the lock ends, so each lock follows a fresh run of failures.
        account.failed_attempts = 0
        account.locked_until = now + timedelta(minutes=minutes)
        audit.record(session, account.display_name, "lock_account", "account", account.username,
                     {"attempts": attempts, "until": f"{account.locked_until:%Y-%m-%d %H:%M}"}, at=now)
        return _locked(account.locked_until, first=True, secret=secret)
    left = limit - attempts
    return SignInError(f"{secret}不正确。再输错 {left} 次，账户将被锁定 {minutes} 分钟。", wrong_password=True)


def _locked(until: datetime, *, first: bool = False, secret: str = "密码") -> SignInError:
    lead = f"{secret}连续输错次数过多，账户已被锁定" if first else "这个账户已被锁定"
    return SignInError(f"{lead}，请在 {until:%H:%M} 之后再试，或请管理员解锁。", locked_until=until)


def change_password(ctx: Context, old_password: str, new_password: str) -> None:
    """The signed-in user changes their own password (the old one is counted like a sign-in)."""
    if not ctx.user.username:
        raise PermissionDeniedError("请先登录，再修改自己的密码。")
    if passwords.normalise(old_password) == passwords.normalise(new_password):
        raise ValidationError.single("new_password", "新密码不能与原密码相同")
    passwords.check(new_password, ctx.user.username, field="new_password")
    with ctx.db.writing() as session:
        account = get_account(session, ctx.user.username)
        refusal = _attempt(ctx, session, account, old_password, "change_password", audit_success=False)
        if refusal is None:
            account.password_hash = passwords.hash_password(new_password)
            account.must_change_password = False
            audit.record(session, ctx.actor, "change_password", "account", account.username, {}, at=ctx.now())
    if refusal is not None and refusal.wrong_password:
        raise ValidationError.single("old_password", "原" + refusal.message)
    if refusal is not None:
        raise refusal


# -- the recovery code ---------------------------------------------------------------------------------


def issue_recovery_code(session: Session, actor: str, now: datetime) -> str:
    """A new recovery code for the register, in place of the one before; only its hash is kept."""
    code = passwords.new_recovery_code()
    hashed = passwords.hash_password(passwords.normalise_recovery_code(code))
    row = session.scalar(select(Setting).where(Setting.key == RECOVERY_KEY))
    if row is None:
        session.add(Setting(key=RECOVERY_KEY, value=hashed))
    else:
        row.value = hashed
    audit.record(session, actor, "new_recovery_code", "register", "",
                 {"note": "旧恢复码作废" if row is not None else "首个恢复码"}, at=now)
    return code


def recover(ctx: Context, username: str, code: str, new_password: str) -> str:
    """An administrator who lost their password sets a new one with the register's recovery code.

    The code is checked like a password: a wrong one counts toward the lock, and a locked or
    deactivated account is refused. On success the account is unlocked and the register gets a new
    code, returned to be shown once; the used one no longer works.
    """
    name = normalise_username(username)
    errors: dict[str, str] = {}
    if not name:
        errors["username"] = "请填写用户名"
    if not passwords.normalise_recovery_code(code):
        errors["code"] = "请填写恢复码"
    if errors:
        raise ValidationError(errors)
    passwords.check(new_password, name, field="new_password")
    fresh = ""
    with ctx.db.writing() as session:
        now = ctx.now()
        account = find(session, name)
        stored = session.scalar(select(Setting.value).where(Setting.key == RECOVERY_KEY))
        refusal: SignInError | None
        if account is None or account.role is not Role.ADMIN:
            passwords.spend_time_on_unknown_user(code)
            audit.record(session, name, "recover_failed", "account", name[:40], {"reason": "不是管理员账户"}, at=now)
            refusal = SignInError(f"没有用户名为“{name}”的管理员账户：恢复码只能用来重设管理员的密码。")
        elif not isinstance(stored, str) or not stored:
            audit.record(session, account.display_name, "recover_failed", "account", name,
                         {"reason": "台账没有恢复码"}, at=now)
            refusal = SignInError("这本台账没有恢复码（它在本版本之前创建，或是演示台账）：请另一位管理员重置密码；"
                                  "登录后可用 wuye account new-recovery-code 生成恢复码。")
        else:
            refusal = _attempt(ctx, session, account, passwords.normalise_recovery_code(code), "recover",
                               audit_success=False, against=stored, secret="恢复码")
            if refusal is None:
                account.password_hash = passwords.hash_password(new_password)
                account.must_change_password = False
                audit.record(session, account.display_name, "recover_account", "account", name,
                             {"note": "用恢复码重设密码并解锁"}, at=now)
                fresh = issue_recovery_code(session, account.display_name, now)
    if refusal is not None:
        raise refusal
    return fresh


def view_of(account: UserAccount, mediator_name: str, now: datetime) -> AccountView:
    locked = account.locked_until if account.locked_until is not None and account.locked_until > now else None
    return AccountView(account.id, account.username, account.display_name, account.role, account.active,
                       account.mediator_id, mediator_name, account.must_change_password,
                       account.failed_attempts or 0, locked, account.last_login_at)


def mediator_names(session: Session) -> dict[int, str]:
    return {mediator_id: name for mediator_id, name in session.execute(select(Mediator.id, Mediator.name))}
