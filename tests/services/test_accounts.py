"""Accounts: first start without a default password, Argon2id hashing, sign-in, lockout, resets."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from account_helpers import PASSWORD, add_account, as_user, signed_in
from argon2 import PasswordHasher, extract_parameters
from argon2 import Type as ArgonType
from argon2.profiles import get_default_parameters
from service_helpers import add_mediator, audit_since, last_audit_id
from sqlalchemy import delete, select, update

from wuye_desktop.errors import DomainError, PermissionDeniedError, ValidationError
from wuye_desktop.models import AuditEvent, Role, Setting, UserAccount
from wuye_desktop.services import accounts, settings
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.accounts import passwords
from wuye_desktop.services.accounts.sign_in import SignInError
from wuye_desktop.services.context import Context

# OWASP Password Storage Cheat Sheet, Argon2id: any one of these (memory KiB, passes) with one lane.
OWASP_MINIMA = ((47104, 1), (19456, 2), (12288, 3), (9216, 4), (7168, 5))


def stored_hash(ctx: Context, username: str) -> str:
    with ctx.db.reading() as session:
        return session.scalar(select(UserAccount.password_hash).where(UserAccount.username == username)) or ""


def set_stored_hash(ctx: Context, username: str, value: str) -> None:
    with ctx.db.writing() as session:
        session.execute(update(UserAccount).where(UserAccount.username == username).values(password_hash=value))


def later(ctx: Context, days: int) -> Context:
    assert ctx.today_override is not None
    return Context(ctx.db, ctx.user, today_override=ctx.today_override + timedelta(days=days))


# -- first start ------------------------------------------------------------------------------------


def test_a_new_register_has_no_account_and_asks_for_the_administrator(ctx: Context) -> None:
    with ctx.db.reading() as session:
        assert session.scalars(select(UserAccount)).all() == [], "no default account, so no default password"
    assert accounts.needs_first_admin(ctx)
    before = last_audit_id(ctx)
    first = accounts.create_first_admin(ctx, " Admin ", "王晓燕", "Xingfuli-2026")
    assert (first.user.name, first.user.role, first.user.username) == ("王晓燕", Role.ADMIN, "admin")
    assert not first.must_change_password
    assert not accounts.needs_first_admin(ctx)
    assert audit_since(ctx, before) == [("王晓燕", "create_account", "account", "admin"),
                                        ("王晓燕", "new_recovery_code", "register", ""),
                                        ("王晓燕", "login", "account", "admin")]
    with pytest.raises(PermissionDeniedError):
        accounts.create_first_admin(ctx, "intruder", "某人", "Another-pass-9")
    assert accounts.login(ctx, "ADMIN", "Xingfuli-2026").user.role is Role.ADMIN, "user names ignore case"


def test_the_first_administrator_needs_a_good_password_and_names(ctx: Context) -> None:
    with pytest.raises(ValidationError) as caught:
        accounts.create_first_admin(ctx, "a b", "", "Xingfuli-2026")
    assert set(caught.value.errors) == {"username", "display_name"}
    with pytest.raises(ValidationError) as caught:
        accounts.create_first_admin(ctx, "admin", "王晓燕", "12345678")
    assert "password" in caught.value.errors
    assert accounts.needs_first_admin(ctx), "nothing was created"


# -- the recovery code -------------------------------------------------------------------------------


def stored_code_hash(ctx: Context) -> str:
    with ctx.db.reading() as session:
        return str(session.scalar(select(Setting.value).where(Setting.key == "accounts.recovery_code")) or "")


def test_the_first_administrator_gets_a_recovery_code_kept_only_as_a_hash(ctx: Context) -> None:
    first = accounts.create_first_admin(ctx, "admin", "王晓燕", "Xingfuli-2026")
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){4}", first.recovery_code)
    kept = stored_code_hash(ctx)
    assert kept.startswith("$argon2id$") and first.recovery_code.replace("-", "") not in kept
    assert accounts.login(ctx, "admin", "Xingfuli-2026").recovery_code == "", "shown once: never again"
    with ctx.db.reading() as session:
        trail = " ".join(f"{e.actor} {e.action} {e.detail}" for e in session.scalars(select(AuditEvent)))
    assert first.recovery_code not in trail and first.recovery_code.replace("-", "") not in trail


def test_the_recovery_code_sets_a_new_password_unlocks_and_is_replaced(ctx: Context) -> None:
    code = accounts.create_first_admin(ctx, "admin", "王晓燕", "Xingfuli-2026").recovery_code
    settings.put(ctx, settings.LOGIN_MAX_FAILURES, 3)
    with pytest.raises(SignInError) as wrong:
        accounts.recover(ctx, "admin", "AAAA-BBBB-CCCC-DDDD-EEEE", "Another-pass-9")
    assert wrong.value.message == "恢复码不正确。再输错 2 次，账户将被锁定 15 分钟。"
    with pytest.raises(ValidationError) as weak:
        accounts.recover(ctx, "admin", code, "12345678")
    assert "new_password" in weak.value.errors, "a weak new password costs no attempt"
    before = last_audit_id(ctx)
    fresh = accounts.recover(ctx, "admin", f" {code.lower()} ", "Another-pass-9")
    assert fresh != code and stored_code_hash(ctx).startswith("$argon2id$")
    assert audit_since(ctx, before) == [("王晓燕", "recover_account", "account", "admin"),
                                        ("王晓燕", "new_recovery_code", "register", "")]
    view = next(v for v in account_admin.list_accounts(ctx) if v.username == "admin")
    assert view.failed_attempts == 0 and view.locked_until is None and not view.must_change_password
    with pytest.raises(SignInError):
        accounts.login(ctx, "admin", "Xingfuli-2026")
    assert accounts.login(ctx, "admin", "Another-pass-9").user.name == "王晓燕"
    with pytest.raises(SignInError) as used:
        accounts.recover(ctx, "admin", code, "Third-pass-99")
    assert "恢复码不正确" in used.value.message, "the used code no longer works"


def test_wrong_codes_lock_the_account_like_wrong_passwords(ctx: Context) -> None:
    accounts.create_first_admin(ctx, "admin", "王晓燕", "Xingfuli-2026")
    settings.put(ctx, settings.LOGIN_MAX_FAILURES, 3)
    before = last_audit_id(ctx)
    for _ in range(2):
        with pytest.raises(SignInError):
            accounts.recover(ctx, "admin", "AAAA-BBBB-CCCC-DDDD-EEEE", "Another-pass-9")
    with pytest.raises(SignInError) as locked:
        accounts.login(ctx, "admin", "Wrong-pass-1")
    assert "已被锁定" in locked.value.message, "code and password failures are one count"
    with pytest.raises(SignInError) as still:
        accounts.login(ctx, "admin", "Xingfuli-2026")
    assert still.value.locked_until is not None
    actions = [a for _, a, _, _ in audit_since(ctx, before)]
    assert actions == ["recover_failed", "recover_failed", "login_failed", "lock_account", "login_failed"]


def test_only_an_administrator_recovers_and_only_with_the_registers_code(ctx: Context) -> None:
    code = accounts.create_first_admin(ctx, "admin", "王晓燕", "Xingfuli-2026").recovery_code
    add_account(ctx, "wenshu", Role.CLERK, name="何静")
    for who in ("wenshu", "nobody"):
        with pytest.raises(SignInError) as refused:
            accounts.recover(ctx, who, code, "Another-pass-9")
        assert "管理员" in refused.value.message
    assert accounts.login(ctx, "wenshu", PASSWORD).user.name == "何静", "unchanged"
    with ctx.db.writing() as session:
        session.execute(delete(Setting).where(Setting.key == "accounts.recovery_code"))
    with pytest.raises(SignInError) as none:
        accounts.recover(ctx, "admin", code, "Another-pass-9")
    assert "没有恢复码" in none.value.message
    with pytest.raises(PermissionDeniedError):
        account_admin.new_recovery_code(signed_in(ctx, "wenshu"))
    fresh = account_admin.new_recovery_code(signed_in(ctx, "admin", "Xingfuli-2026"))
    accounts.recover(ctx, "admin", fresh, "Another-pass-9")


# -- hashing ----------------------------------------------------------------------------------------


def test_passwords_are_stored_as_argon2id_at_owasp_strength_or_more(ctx: Context) -> None:
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    add_account(ctx, "lisi", Role.CLERK, name="李四")
    first, second = stored_hash(ctx, "zhangsan"), stored_hash(ctx, "lisi")
    assert first.startswith("$argon2id$v=19$") and PASSWORD not in first
    assert first != second, "each hash has its own salt"
    params = extract_parameters(first)
    assert params.type is ArgonType.ID
    assert any(params.memory_cost >= memory and params.time_cost >= passes for memory, passes in OWASP_MINIMA)
    assert (params.memory_cost, params.time_cost, params.parallelism) == (
        passwords.MEMORY_COST_KIB, passwords.TIME_COST, passwords.PARALLELISM)
    assert params.salt_len >= 16 and params.hash_len >= 32
    assert params.memory_cost >= get_default_parameters().memory_cost, "not below argon2-cffi's own default"


def test_a_weaker_hash_is_upgraded_at_the_next_sign_in(ctx: Context) -> None:
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    set_stored_hash(ctx, "zhangsan", weak)
    before = last_audit_id(ctx)
    accounts.login(ctx, "zhangsan", PASSWORD)
    upgraded = stored_hash(ctx, "zhangsan")
    assert upgraded != weak and extract_parameters(upgraded).memory_cost == passwords.MEMORY_COST_KIB
    assert audit_since(ctx, before) == [("张三", "login", "account", "zhangsan")]
    accounts.login(ctx, "zhangsan", PASSWORD)
    assert stored_hash(ctx, "zhangsan") == upgraded, "a current hash is left alone"


def test_a_damaged_hash_refuses_the_password_instead_of_crashing(ctx: Context) -> None:
    add_account(ctx, "zhangsan", Role.CLERK)
    set_stored_hash(ctx, "zhangsan", "5f4dcc3b5aa765d61d8327deb882cf99")  # an MD5 from some other program
    with pytest.raises(SignInError):
        accounts.login(ctx, "zhangsan", PASSWORD)


@pytest.mark.parametrize(("password", "says"), [
    ("", "请填写密码"),
    ("Ab1", "至少需要8位"),
    ("abcdefghij", "同时包含字母和数字"),
    ("1234567890123", "同时包含字母和数字"),
    ("Password123", "太常见"),
    ("zhangsan2026", "不能包含用户名"),
    (" Spaced-pass1", "空格"),
    ("a1a1a1a1a1", "一两个字符"),
])
def test_weak_passwords_are_refused_with_the_reason(password: str, says: str) -> None:
    with pytest.raises(ValidationError) as caught:
        passwords.check(password, "zhangsan")
    assert says in caught.value.errors["password"]


def test_a_password_typed_in_full_width_is_the_same_password(ctx: Context) -> None:
    add_account(ctx, "zhangsan", Role.CLERK)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in PASSWORD)  # an IME left in full-width mode
    assert accounts.login(ctx, "zhangsan", full_width).user.username == "zhangsan"


# -- signing in and lockout -------------------------------------------------------------------------


def test_every_attempt_is_audited_and_unknown_users_look_like_wrong_passwords(ctx: Context) -> None:
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    before = last_audit_id(ctx)
    with pytest.raises(SignInError) as unknown:
        accounts.login(ctx, "nobody", PASSWORD)
    with pytest.raises(SignInError) as wrong:
        accounts.login(ctx, "zhangsan", "Wrong-pass-1")
    assert "用户名或密码不正确" in unknown.value.message
    assert "密码不正确" in wrong.value.message and "再输错 4 次" in wrong.value.message
    accounts.login(ctx, "zhangsan", PASSWORD)
    assert audit_since(ctx, before) == [
        ("nobody", "login_failed", "account", "nobody"),
        ("张三", "login_failed", "account", "zhangsan"),
        ("张三", "login", "account", "zhangsan"),
    ]


def test_failures_in_a_row_lock_the_account_for_the_configured_time(ctx: Context) -> None:
    settings.put(ctx, settings.LOGIN_MAX_FAILURES, 3)
    settings.put(ctx, settings.LOGIN_LOCK_MINUTES, 30)
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    before = last_audit_id(ctx)
    for left in (2, 1):
        with pytest.raises(SignInError) as caught:
            accounts.login(ctx, "zhangsan", "Wrong-pass-1")
        assert f"再输错 {left} 次" in caught.value.message and "30 分钟" in caught.value.message
    with pytest.raises(SignInError) as locked:
        accounts.login(ctx, "zhangsan", "Wrong-pass-1")
    assert locked.value.locked_until is not None and "锁定" in locked.value.message
    with pytest.raises(SignInError) as still:
        accounts.login(ctx, "zhangsan", PASSWORD)
    assert "锁定" in still.value.message, "the right password does not open a locked account"
    actions = [a for _, a, _, _ in audit_since(ctx, before)]
    assert actions == ["login_failed", "login_failed", "login_failed", "lock_account", "login_failed"]
    view = next(v for v in account_admin.list_accounts(ctx) if v.username == "zhangsan")
    assert view.locked_until == locked.value.locked_until

    tomorrow = later(ctx, 1)
    assert accounts.login(tomorrow, "zhangsan", PASSWORD).user.name == "张三", "the lock ends by itself"
    with pytest.raises(SignInError) as fresh:
        accounts.login(tomorrow, "zhangsan", "Wrong-pass-1")
    assert "再输错 2 次" in fresh.value.message, "a success starts the count again"


def test_a_success_between_failures_resets_the_count(ctx: Context) -> None:
    settings.put(ctx, settings.LOGIN_MAX_FAILURES, 3)
    add_account(ctx, "zhangsan", Role.CLERK)
    for _ in range(2):
        with pytest.raises(SignInError):
            accounts.login(ctx, "zhangsan", "Wrong-pass-1")
    accounts.login(ctx, "zhangsan", PASSWORD)
    for _ in range(2):
        with pytest.raises(SignInError):
            accounts.login(ctx, "zhangsan", "Wrong-pass-1")
    assert accounts.login(ctx, "zhangsan", PASSWORD).user.username == "zhangsan"


def test_an_administrator_unlocks_and_resets(ctx: Context) -> None:
    settings.put(ctx, settings.LOGIN_MAX_FAILURES, 3)
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    for _ in range(3):
        with pytest.raises(SignInError):
            accounts.login(ctx, "zhangsan", "Wrong-pass-1")
    before = last_audit_id(ctx)
    account_admin.unlock(ctx, "zhangsan")
    assert accounts.login(ctx, "zhangsan", PASSWORD).must_change_password, "added by an administrator"
    account_admin.reset_password(ctx, "zhangsan", "Temporary-77")
    with pytest.raises(SignInError):
        accounts.login(ctx, "zhangsan", PASSWORD)
    again = accounts.login(ctx, "zhangsan", "Temporary-77")
    assert again.must_change_password
    user_ctx = as_user(ctx, again.user)
    accounts.change_password(user_ctx, "Temporary-77", "Mine-and-only-9")
    assert not accounts.login(ctx, "zhangsan", "Mine-and-only-9").must_change_password
    written = [(w[0], w[1]) for w in audit_since(ctx, before)]
    assert ("王晓燕", "unlock_account") in written and ("王晓燕", "reset_password") in written
    assert ("张三", "change_password") in written


def test_changing_ones_own_password_checks_the_old_one(ctx: Context) -> None:
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    user_ctx = signed_in(ctx, "zhangsan")
    with pytest.raises(ValidationError) as wrong:
        accounts.change_password(user_ctx, "Not-my-pass-1", "Mine-and-only-9")
    assert "原密码不正确" in wrong.value.errors["old_password"]
    with pytest.raises(ValidationError) as same:
        accounts.change_password(user_ctx, PASSWORD, PASSWORD)
    assert "new_password" in same.value.errors
    with pytest.raises(ValidationError) as weak:
        accounts.change_password(user_ctx, PASSWORD, "short1")
    assert "new_password" in weak.value.errors
    accounts.change_password(user_ctx, PASSWORD, "Mine-and-only-9")
    with pytest.raises(SignInError):
        accounts.login(ctx, "zhangsan", PASSWORD)
    with pytest.raises(PermissionDeniedError):
        accounts.change_password(ctx, PASSWORD, "Mine-and-only-9")  # nobody signed in: no own password


def test_unlocking_the_idle_screen_counts_like_a_sign_in(ctx: Context) -> None:
    settings.put(ctx, settings.LOGIN_MAX_FAILURES, 3)
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    user_ctx = signed_in(ctx, "zhangsan")
    before = last_audit_id(ctx)
    accounts.confirm_password(user_ctx, PASSWORD)
    for _ in range(3):
        with pytest.raises(SignInError):
            accounts.confirm_password(user_ctx, "Wrong-pass-1")
    with pytest.raises(SignInError) as locked:
        accounts.confirm_password(user_ctx, PASSWORD)
    assert locked.value.locked_until is not None
    actions = [a for _, a, _, _ in audit_since(ctx, before)]
    assert actions == ["unlock_screen"] + ["unlock_screen_failed"] * 3 + ["lock_account", "unlock_screen_failed"]


# -- administration ---------------------------------------------------------------------------------


def test_a_deactivated_account_cannot_sign_in(ctx: Context) -> None:
    add_account(ctx, "zhangsan", Role.CLERK)
    account_admin.set_active(ctx, "zhangsan", False)
    with pytest.raises(SignInError) as caught:
        accounts.login(ctx, "zhangsan", PASSWORD)
    assert "停用" in caught.value.message
    account_admin.set_active(ctx, "zhangsan", True)
    assert accounts.login(ctx, "zhangsan", PASSWORD).user.username == "zhangsan"


def test_the_register_always_keeps_an_active_administrator(ctx: Context) -> None:
    first = accounts.create_first_admin(ctx, "admin", "王晓燕", "Xingfuli-2026")
    admin_ctx = as_user(ctx, first.user)
    with pytest.raises(DomainError, match="不能停用自己"):
        account_admin.set_active(admin_ctx, "admin", False)
    with pytest.raises(DomainError, match="唯一可用的管理员"):
        account_admin.update(admin_ctx, "admin", "王晓燕", Role.CLERK)
    add_account(admin_ctx, "second", Role.ADMIN, name="刘主任")
    account_admin.update(admin_ctx, "admin", "王晓燕", Role.CLERK)
    assert {v.username: v.role for v in account_admin.list_accounts(admin_ctx)} == {
        "admin": Role.CLERK, "second": Role.ADMIN}


def test_account_forms_report_every_problem_by_field(ctx: Context) -> None:
    add_account(ctx, "zhangsan", Role.CLERK, name="张三")
    with pytest.raises(ValidationError) as caught:
        account_admin.add(ctx, "x", "", Role.CLERK, "short")
    assert set(caught.value.errors) == {"username", "display_name", "password"}
    with pytest.raises(ValidationError) as taken:
        account_admin.add(ctx, "zhangsan", "另一个", Role.CLERK, PASSWORD)
    assert "已被使用" in taken.value.errors["username"]
    with pytest.raises(ValidationError) as same_name:
        account_admin.add(ctx, "zhangsan2", "张三", Role.CLERK, PASSWORD)
    assert "display_name" in same_name.value.errors, "the audit trail names people by this name"
    with pytest.raises(ValidationError) as unlinked:
        account_admin.add(ctx, "lgl", "李桂兰", Role.MEDIATOR, PASSWORD)
    assert "mediator_id" in unlinked.value.errors
    mediator = add_mediator(ctx, "李桂兰")
    view = account_admin.add(ctx, "lgl", "李桂兰", Role.MEDIATOR, PASSWORD, mediator)
    assert (view.mediator_id, view.mediator_name, view.must_change_password) == (mediator, "李桂兰", True)
    assert accounts.login(ctx, "lgl", PASSWORD).user.mediator_id == mediator


def test_only_administrators_manage_accounts(ctx: Context) -> None:
    add_account(ctx, "wenshu", Role.CLERK, name="何静")
    clerk = signed_in(ctx, "wenshu")
    for call in (lambda: account_admin.list_accounts(clerk),
                 lambda: account_admin.add(clerk, "new", "新人", Role.ADMIN, PASSWORD),
                 lambda: account_admin.reset_password(clerk, "wenshu", "Another-pass-9"),
                 lambda: account_admin.unlock(clerk, "wenshu")):
        with pytest.raises(PermissionDeniedError):
            call()


def test_demo_accounts_sign_in_with_the_published_demo_password(ctx: Context) -> None:
    from wuye_desktop.services import demo
    from wuye_desktop.services.demo.accounts import DEMO_PASSWORD, ensure_demo_accounts

    demo.generate(ctx, 60, seed=3)
    assert ensure_demo_accounts(ctx) == ["admin", "tiaojie", "wenshu", "chakan"]
    assert ensure_demo_accounts(ctx) == [], "a second run adds nothing"
    roles = {name: accounts.login(ctx, name, DEMO_PASSWORD).user for name in ("admin", "tiaojie", "wenshu", "chakan")}
    assert [u.role for u in roles.values()] == [Role.ADMIN, Role.MEDIATOR, Role.CLERK, Role.VIEWER]
    assert roles["tiaojie"].mediator_id is not None
    assert all(stored_hash(ctx, name).startswith("$argon2id$") for name in roles)
