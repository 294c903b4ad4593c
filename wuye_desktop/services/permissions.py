"""Who may do what, checked in the services whatever calls them.

Greyed-out buttons are a courtesy; this is the rule. A forbidden call
raises ``PermissionDeniedError`` with a Chinese message naming the role
and the action.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from enum import StrEnum
from typing import Concatenate, ParamSpec, TypeVar

from wuye_desktop.models.enums import Role
from wuye_desktop.services.context import Context
from wuye_desktop.services.errors import PermissionDeniedError


class Permission(StrEnum):
    READ_CASES = "查看案件"
    REGISTER_CASES = "登记案件"
    HANDLE_CASES = "办理案件（受理、终止、转办、结案）"
    MEDIATE = "记录调解过程、协议和回访"
    ASSIGN_MEDIATORS = "指派调解员"
    PRINT = "打印文书"
    REPORT = "统计报表"
    IMPORT = "导入工单"
    EXPORT = "导出数据"
    REVEAL_PERSONAL = "查看完整个人信息"
    EDIT_REFERENCE = "维护小区、物业企业和调解员"
    SETTINGS = "修改设置"
    ACCOUNTS = "管理账户"
    BACKUP = "备份"
    RESTORE = "恢复备份"
    AUDIT = "查看审计记录"
    DEMO = "生成演示数据"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MEDIATOR: frozenset({
        P.READ_CASES, P.REGISTER_CASES, P.HANDLE_CASES, P.MEDIATE, P.PRINT, P.REPORT,
        P.REVEAL_PERSONAL, P.BACKUP,
    }),
    Role.CLERK: frozenset({
        P.READ_CASES, P.REGISTER_CASES, P.HANDLE_CASES, P.MEDIATE, P.ASSIGN_MEDIATORS, P.PRINT,
        P.REPORT, P.IMPORT, P.EXPORT, P.REVEAL_PERSONAL, P.EDIT_REFERENCE, P.BACKUP,
    }),
    Role.VIEWER: frozenset({P.READ_CASES, P.REPORT}),
}


def allowed(ctx: Context, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[ctx.user.role]


def require(ctx: Context, permission: Permission) -> None:
    if not allowed(ctx, permission):
        raise PermissionDeniedError(
            f"当前用户“{ctx.user.name}”（{ctx.user.role.label}）没有“{permission.value}”的权限，请联系管理员。"
        )


Params = ParamSpec("Params")
Result = TypeVar("Result")


def requires(permission: Permission) -> Callable[
    [Callable[Concatenate[Context, Params], Result]], Callable[Concatenate[Context, Params], Result]
]:
    """Decorate a service call whose first argument is the ``Context``."""

    def decorate(fn: Callable[Concatenate[Context, Params], Result]) -> Callable[Concatenate[Context, Params], Result]:
        @functools.wraps(fn)
        def checked(ctx: Context, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
            require(ctx, permission)
            return fn(ctx, *args, **kwargs)

        checked.permission = permission  # type: ignore[attr-defined]
        return checked

    return decorate
