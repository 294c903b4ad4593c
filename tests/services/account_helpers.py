"""Accounts for the tests, created through the services, and contexts signed in as them."""

from __future__ import annotations

from wuye_desktop.models.enums import Role
from wuye_desktop.services import accounts
from wuye_desktop.services.accounts import admin as account_admin
from wuye_desktop.services.context import Context, User

PASSWORD = "Tiaojie-2026"


def add_account(ctx: Context, username: str, role: Role, *, name: str = "", mediator_id: int | None = None,
                password: str = PASSWORD) -> None:
    account_admin.add(ctx, username, name or username, role, password, mediator_id)


def signed_in(ctx: Context, username: str, password: str = PASSWORD) -> Context:
    """A context of the user, the way the program gets one: by signing in."""
    return as_user(ctx, accounts.login(ctx, username, password).user)


def as_user(ctx: Context, user: User) -> Context:
    return Context(ctx.db, user, today_override=ctx.today_override)


def as_role(ctx: Context, role: Role, mediator_id: int | None = None) -> Context:
    """A context for a role without an account (for checks that need no password)."""
    return as_user(ctx, User(f"测试{role.label}", role, f"test_{role.value}", mediator_id))
