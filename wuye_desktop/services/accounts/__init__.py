"""Accounts: who may sign in, their passwords, what an administrator does with them, the audit trail read back.

The calls of ``sign_in`` are named here (``accounts.login``, ``change_password``, ``create_first_admin``,
``recover`` with the register's recovery code).
Public modules: ``admin`` (add, change, reset, unlock, deactivate), ``passwords`` (rules and hashing),
``audit_trail`` (the administrator's view of ``services.audit``).
"""

from wuye_desktop.services.accounts.sign_in import (
    AccountView,
    SignedIn,
    SignInError,
    change_password,
    check_administrator,
    check_identity,
    confirm_password,
    create_first_admin,
    find,
    get_account,
    login,
    mediator_names,
    needs_first_admin,
    normalise_username,
    recover,
    user_of,
    view_of,
)

__all__ = [
    "AccountView",
    "SignInError",
    "SignedIn",
    "change_password",
    "check_administrator",
    "check_identity",
    "confirm_password",
    "create_first_admin",
    "find",
    "get_account",
    "login",
    "mediator_names",
    "needs_first_admin",
    "normalise_username",
    "recover",
    "user_of",
    "view_of",
]
