"""Who may do what, checked in the services whatever calls them.

Greyed-out buttons are a courtesy; this is the rule. A forbidden call
raises ``PermissionDeniedError`` with a Chinese message naming the role
and the action.

Two levels: the role decides which kinds of action a user may take
(``ROLE_PERMISSIONS``); for a mediator, actions on one case (``CASE_SCOPED``)
are further limited to the cases they are assigned to. ``requires`` finds
the case from the decorated function's arguments: ``case_id``, or the id of
a record that belongs to a case (``agreement_id``, ``assignment_id``, ...).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import StrEnum
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import Select, select

from wuye_desktop.errors import PermissionDeniedError
from wuye_desktop.models import Assignment, Base
from wuye_desktop.models.enums import Role
from wuye_desktop.services.context import Context


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
# 管理员: everything, and alone settings, accounts, restore and the audit trail.
# 调解员: the register, and the cases they are assigned to (see CASE_SCOPED).
# 登记员/文书: the room's office work: registering, handling, printing, reports, exports, backups.
# 查看: read-only, for leaders: the register (masked) and the figures.
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MEDIATOR: frozenset({
        P.READ_CASES, P.REGISTER_CASES, P.HANDLE_CASES, P.MEDIATE, P.PRINT, P.REPORT, P.REVEAL_PERSONAL,
    }),
    Role.CLERK: frozenset({
        P.READ_CASES, P.REGISTER_CASES, P.HANDLE_CASES, P.MEDIATE, P.ASSIGN_MEDIATORS, P.PRINT,
        P.REPORT, P.IMPORT, P.EXPORT, P.REVEAL_PERSONAL, P.EDIT_REFERENCE, P.BACKUP,
    }),
    Role.VIEWER: frozenset({P.READ_CASES, P.REPORT}),
}

# What a mediator may do only on a case they are assigned to (and not recused from).
CASE_SCOPED: frozenset[Permission] = frozenset({P.HANDLE_CASES, P.MEDIATE, P.PRINT, P.REVEAL_PERSONAL})


def allowed(ctx: Context, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[ctx.user.role]


def require(ctx: Context, permission: Permission) -> None:
    if not allowed(ctx, permission):
        raise PermissionDeniedError(
            f"当前用户“{ctx.user.name}”（{ctx.user.role.label}）没有“{permission.value}”的权限，请联系管理员。"
        )


def limited_to_own_cases(ctx: Context, permission: Permission) -> bool:
    return ctx.user.role is Role.MEDIATOR and permission in CASE_SCOPED


def may_act_on_case(ctx: Context, permission: Permission, case_id: int | None) -> bool:
    """Whether the user may take this action on this case (for enabling buttons)."""
    if not allowed(ctx, permission):
        return False
    return not limited_to_own_cases(ctx, permission) or (case_id is not None and _assigned(ctx, case_id))


def require_case(ctx: Context, permission: Permission, case_id: int | None) -> None:
    """``require``, plus the mediator's rule: only the cases they are assigned to."""
    require(ctx, permission)
    if limited_to_own_cases(ctx, permission) and (case_id is None or not _assigned(ctx, case_id)):
        raise PermissionDeniedError(
            f"调解员“{ctx.user.name}”只能对本人承办的案件进行“{permission.value}”；"
            "这件案件没有指派给您，请联系登记员或管理员。"
        )


def personal_scope(ctx: Context) -> bool | Select[int]:
    """Whose personal data the user may see: everyone's, no one's, or that of the cases this SELECT names.

    The last is a mediator's: the cases assigned to them (and not recused from).
    Search and the ledger use it, so neither tells a user more than a reveal would.
    """
    if not allowed(ctx, Permission.REVEAL_PERSONAL):
        return False
    if not limited_to_own_cases(ctx, Permission.REVEAL_PERSONAL):
        return True
    return select(Assignment.case_id).where(
        Assignment.mediator_id == (ctx.user.mediator_id if ctx.user.mediator_id is not None else -1),
        Assignment.recused_at.is_(None))


def sees_personal(ctx: Context) -> Callable[[int | None], bool]:
    """Whether the user may see the personal data of a case, by its id; asks the database once."""
    scope = personal_scope(ctx)
    if isinstance(scope, bool):
        return lambda _case_id: scope
    with ctx.db.reading() as session:
        own = set(session.scalars(scope))
    return lambda case_id: case_id in own


def _assigned(ctx: Context, case_id: int) -> bool:
    if ctx.user.mediator_id is None:
        return False
    with ctx.db.reading() as session:
        found = session.scalar(
            select(Assignment.id).where(
                Assignment.case_id == case_id,
                Assignment.mediator_id == ctx.user.mediator_id,
                Assignment.recused_at.is_(None),
            ).limit(1)
        )
    return found is not None


# -- finding the case a call is about ----------------------------------------------------------

CaseOf = Callable[[Context, Any], int | None]


def _case_models() -> dict[str, Any]:
    """Tables whose rows belong to one case, by table name."""
    found: dict[str, Any] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        if "case_id" in mapper.columns and "id" in mapper.columns and hasattr(cls, "__tablename__"):
            found[cls.__tablename__] = cls
    return found


def _record_case(model: Any) -> CaseOf:
    def case_of(ctx: Context, record_id: Any) -> int | None:
        if not isinstance(record_id, int):
            return None
        with ctx.db.reading() as session:
            value = session.scalar(select(model.case_id).where(model.id == record_id))
        return value if isinstance(value, int) else None

    return case_of


def _direct_case(_ctx: Context, value: Any) -> int | None:
    return value if isinstance(value, int) else None


def case_parameter(fn: Callable[..., Any]) -> tuple[str, CaseOf] | None:
    """The parameter that names the case a call is about, and how to get the case's id from it.

    ``case_id`` itself, else ``<record>_id`` where ``<record>`` is a table
    (or the last word of one: ``step_id`` → ``consultation_step``) with a
    ``case_id`` column.
    """
    names = list(inspect.signature(fn).parameters)
    if "case_id" in names:
        return "case_id", _direct_case
    models = _case_models()
    for name in names:
        if not name.endswith("_id") or name == "case_id":
            continue
        stem = name.removesuffix("_id")
        model = models.get(stem) or next(
            (m for table, m in sorted(models.items()) if table.endswith("_" + stem)), None)
        if model is not None:
            return name, _record_case(model)
    return None


def carried_case(arguments: list[Any]) -> int | None:
    """The case of an argument that carries its own ``case_id`` (a rendered document, say)."""
    for value in arguments:
        case_id = getattr(value, "case_id", None)
        if isinstance(case_id, int) and not isinstance(case_id, bool):
            return case_id
    return None


Params = ParamSpec("Params")
Result = TypeVar("Result")


def requires(permission: Permission) -> Callable[
    [Callable[Concatenate[Context, Params], Result]], Callable[Concatenate[Context, Params], Result]
]:
    """Decorate a service call whose first argument is the ``Context``.

    For a permission in ``CASE_SCOPED`` the case is found from the call's
    arguments (``case_parameter``, else an argument with a ``case_id``
    attribute); a mediator calling one that names no case is refused, since
    it cannot be shown to be theirs.
    """

    def decorate(fn: Callable[Concatenate[Context, Params], Result]) -> Callable[Concatenate[Context, Params], Result]:
        signature = inspect.signature(fn)
        target = case_parameter(fn) if permission in CASE_SCOPED else None

        @functools.wraps(fn)
        def checked(ctx: Context, /, *args: Params.args, **kwargs: Params.kwargs) -> Result:
            require(ctx, permission)
            if limited_to_own_cases(ctx, permission):
                # A call that does not fit the signature would fail anyway; fail the same way first.
                bound = signature.bind(ctx, *args, **kwargs)
                bound.apply_defaults()
                if target is not None:
                    name, case_of = target
                    case_id = case_of(ctx, bound.arguments.get(name))
                else:
                    case_id = carried_case(list(bound.arguments.values())[1:])
                require_case(ctx, permission, case_id)
            return fn(ctx, *args, **kwargs)

        checked.permission = permission  # type: ignore[attr-defined]
        checked.case_parameter = target[0] if target else None  # type: ignore[attr-defined]
        return checked

    return decorate
