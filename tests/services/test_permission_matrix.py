"""Each role against each service action, checked in the services whatever calls them.

The actions are found by scanning ``wuye_desktop.services`` for functions
that ``@requires`` marked with their ``permission``, so a service added
tomorrow is in the matrix without anyone editing this file.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from account_helpers import as_role
from service_helpers import add_mediator, assign_lead, case_in
from sqlalchemy import select

import wuye_desktop.services
from wuye_desktop.errors import PermissionDeniedError
from wuye_desktop.models import Base, CaseStatus, Role
from wuye_desktop.services import permissions
from wuye_desktop.services.context import Context
from wuye_desktop.services.permissions import CASE_SCOPED, ROLE_PERMISSIONS, Permission
from wuye_desktop.storage.engine import Database

P = Permission
# The issue's roles: 管理员 (settings, accounts, restore), 调解员 (their cases and the register),
# 登记员/文书 (register, print, reports), 查看 (read-only, for leaders).
EXPECTED: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MEDIATOR: frozenset({P.READ_CASES, P.REGISTER_CASES, P.HANDLE_CASES, P.MEDIATE, P.PRINT, P.REPORT,
                              P.REVEAL_PERSONAL}),
    Role.CLERK: frozenset({P.READ_CASES, P.REGISTER_CASES, P.HANDLE_CASES, P.MEDIATE, P.ASSIGN_MEDIATORS,
                           P.PRINT, P.REPORT, P.IMPORT, P.EXPORT, P.REVEAL_PERSONAL, P.EDIT_REFERENCE,
                           P.BACKUP}),
    Role.VIEWER: frozenset({P.READ_CASES, P.REPORT}),
}
ADMIN_ONLY = {P.SETTINGS, P.ACCOUNTS, P.RESTORE, P.AUDIT, P.DEMO}
NOT_AN_ARGUMENT = object()
TOO_MANY = [NOT_AN_ARGUMENT] * 40


def service_actions() -> dict[str, Callable[..., Any]]:
    found: dict[str, Callable[..., Any]] = {}
    for info in pkgutil.walk_packages(wuye_desktop.services.__path__, "wuye_desktop.services."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if inspect.isfunction(obj) and isinstance(getattr(obj, "permission", None), Permission):
                found[f"{obj.__module__.removeprefix('wuye_desktop.services.')}.{obj.__qualname__}"] = obj
    return dict(sorted(found.items()))


ACTIONS = service_actions()


def test_the_roles_are_the_issues() -> None:
    assert ROLE_PERMISSIONS == EXPECTED
    for role in (Role.MEDIATOR, Role.CLERK, Role.VIEWER):
        assert not EXPECTED[role] & ADMIN_ONLY, f"{role.label} must not have administrators' rights"
    assert EXPECTED[Role.VIEWER] <= EXPECTED[Role.CLERK], "查看 is read-only"


def test_the_scan_finds_the_services() -> None:
    for name in ("cases.registration.register", "cases.registration.get", "cases.registration.reveal",
                 "cases.workflow.accept", "settings.put",
                 "accounts.admin.add", "accounts.audit_trail.export", "demo.generate.generate"):
        assert name in ACTIONS
    assert {a.permission for a in ACTIONS.values()} >= {P.READ_CASES, P.REGISTER_CASES, P.HANDLE_CASES, P.MEDIATE,
                                                        P.ACCOUNTS, P.AUDIT, P.SETTINGS}


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_each_role_against_each_service_action(db: Database, role: Role) -> None:
    """Allowed: the call gets past the check (and fails on the deliberately wrong arguments). Refused: it doesn't."""
    ctx = as_role(Context(db), role)
    wrong: list[str] = []
    for name, action in ACTIONS.items():
        allowed = action.permission in EXPECTED[role]  # type: ignore[attr-defined]
        try:
            action(ctx, *TOO_MANY)
        except PermissionDeniedError as exc:
            if allowed:
                wrong.append(f"{name}: {role.label} was refused: {exc.message}")
            elif role.label not in exc.message:
                wrong.append(f"{name}: the refusal does not name the role: {exc.message}")
        except TypeError as exc:
            if not allowed:
                wrong.append(f"{name}: {role.label} got past the check ({exc})")
        else:
            wrong.append(f"{name}: ran with {len(TOO_MANY)} wrong arguments")
    assert wrong == []


# -- the object-level rule: a mediator changes only the cases assigned to them -----------------------------


def required_arguments(action: Callable[..., Any]) -> list[str]:
    parameters = list(inspect.signature(action).parameters.values())[1:]
    return [p.name for p in parameters if p.default is inspect.Parameter.empty]


def row_of_case(ctx: Context, action: Callable[..., Any], case_id: int) -> int | None:
    """An id the action's case parameter accepts that belongs to ``case_id`` (any table with a case)."""
    found = permissions.case_parameter(inspect.unwrap(action))
    assert found is not None
    name, case_of = found
    if name == "case_id":
        return case_id
    with ctx.db.reading() as session:
        for mapper in Base.registry.mappers:
            if "case_id" in mapper.columns and "id" in mapper.columns:
                model = mapper.class_
                for row_id in session.scalars(select(model.id).where(model.case_id == case_id)):
                    if case_of(ctx, row_id) == case_id:
                        return int(row_id)
    return None


def arguments_about(ctx: Context, action: Callable[..., Any], case_id: int | None) -> dict[str, Any]:
    """Arguments naming ``case_id`` (None: a record of no case) and nonsense for the rest."""
    parameter = action.case_parameter  # type: ignore[attr-defined]
    required = required_arguments(action)
    arguments: dict[str, Any] = {n: NOT_AN_ARGUMENT for n in required if n != parameter}
    if parameter is None:  # the case travels inside an argument (a rendered document)
        arguments[required[0]] = SimpleNamespace(case_id=case_id)
    else:
        row = row_of_case(ctx, action, case_id) if case_id is not None else None
        arguments[parameter] = row if row is not None else 10**9
    return arguments


def outcome(action: Callable[..., Any], ctx: Context, arguments: dict[str, Any]) -> str:
    try:
        action(ctx, **arguments)
    except PermissionDeniedError as exc:
        return "refused: " + exc.message
    except Exception:  # the deliberately wrong other arguments: the check was passed
        return "passed"
    return "passed"


def test_a_mediator_acts_only_on_the_cases_assigned_to_them(ctx: Context) -> None:
    mine, other = add_mediator(ctx, "李桂兰"), add_mediator(ctx, "张建国")
    own, foreign, recused = (case_in(ctx, CaseStatus.MEDIATING).case_id for _ in range(3))
    assign_lead(ctx, own, mine)
    assign_lead(ctx, foreign, other)
    from wuye_desktop.services.casework import mediation

    mediation.recuse(ctx, assign_lead(ctx, recused, mine), "与当事人系亲属")
    mediator = as_role(ctx, Role.MEDIATOR, mediator_id=mine)
    unlinked = as_role(ctx, Role.MEDIATOR)  # a mediator's account not linked to the roster
    scoped = {n: a for n, a in ACTIONS.items() if a.permission in CASE_SCOPED}  # type: ignore[attr-defined]
    assert {"cases.workflow.accept", "casework.agreements.sign", "cases.registration.reveal"} <= scoped.keys()
    wrong: list[str] = []
    passed_own: set[str] = set()
    for name, action in scoped.items():
        checks = [(mediator, foreign, "refused"), (mediator, recused, "refused"), (unlinked, own, "refused"),
                  (mediator, None, "refused")]
        # Records this test has not made (an attachment, say) cannot be shown to be the mediator's.
        if action.case_parameter in (None, "case_id") or row_of_case(ctx, action, own) is not None:  # type: ignore[attr-defined]
            checks.append((mediator, own, "passed"))
            passed_own.add(name)
        for who, case_id, expected in checks:
            got = outcome(action, who, arguments_about(ctx, action, case_id))
            if not got.startswith(expected) or (expected == "refused" and "没有指派给您" not in got):
                wrong.append(f"{name} on case {case_id} by mediator {who.user.mediator_id}: {got}")
    assert wrong == []
    assert {"cases.workflow.accept", "cases.workflow.terminate", "casework.mediation.record_step",
            "casework.agreements.sign", "casework.agreements.record_judicial",
            "cases.registration.reveal"} <= passed_own


def test_other_roles_are_not_limited_to_assigned_cases(ctx: Context) -> None:
    case = case_in(ctx, CaseStatus.ACCEPTED).case_id
    clerk = as_role(ctx, Role.CLERK)
    assert permissions.may_act_on_case(clerk, P.HANDLE_CASES, case)
    assert not permissions.may_act_on_case(as_role(ctx, Role.MEDIATOR, mediator_id=add_mediator(ctx, "李桂兰")),
                                           P.HANDLE_CASES, case)
    viewer = as_role(ctx, Role.VIEWER)
    assert permissions.may_act_on_case(viewer, P.READ_CASES, case)
    assert not permissions.may_act_on_case(viewer, P.HANDLE_CASES, case)
    from wuye_desktop.services.cases import workflow

    workflow.start_mediation(clerk, case)  # a clerk works on any case
