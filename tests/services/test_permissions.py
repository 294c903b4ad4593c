"""Permissions are checked in the services, whatever calls them."""

from __future__ import annotations

import pytest

from wuye_desktop.errors import PermissionDeniedError
from wuye_desktop.models.enums import Role
from wuye_desktop.services import cases, settings
from wuye_desktop.services.cases import listing as register
from wuye_desktop.services.cases.dto import CaseDraft, PartyInput
from wuye_desktop.services.context import Context, User


def test_a_viewer_reads_the_register_but_cannot_register_a_case(ctx: Context) -> None:
    viewer = Context(ctx.db, User("李主任", Role.VIEWER), today_override=ctx.today_override)
    assert register.count(viewer, register.CaseFilter()) == 0
    with pytest.raises(PermissionDeniedError) as caught:
        cases.register(viewer, CaseDraft(summary="楼道堆物", parties=[PartyInput("张三")]))
    assert "李主任" in caught.value.message and "查看" in caught.value.message and "登记案件" in caught.value.message
    assert register.count(ctx, register.CaseFilter()) == 0, "nothing was written"


def test_only_an_administrator_changes_settings(ctx: Context) -> None:
    clerk = Context(ctx.db, User("何静", Role.CLERK), today_override=ctx.today_override)
    with pytest.raises(PermissionDeniedError):
        settings.put(clerk, settings.MEDIATION_DAYS, 45)
    settings.put(ctx, settings.MEDIATION_DAYS, 45)
    assert settings.get(ctx, settings.MEDIATION_DAYS) == 45
