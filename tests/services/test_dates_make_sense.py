"""Dates of registration, acceptance, signing and visits lie from the earliest year (a setting) to tomorrow.

A case registered on 0001-01-01 would be numbered （1）…调字第1号 and counted in no report anyone reads; a
report of year 1 or 9999 has nothing to count. Each is refused with the range that is allowed. The case
reference a clerk types may be a number too big for the register to hold: it is simply not found.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from service_helpers import TODAY, case_in, register_case

from wuye_desktop.errors import NotFoundError, ValidationError
from wuye_desktop.models import CaseStatus, Performance
from wuye_desktop.services import cases, settings, statistics
from wuye_desktop.services.accounts import audit_trail
from wuye_desktop.services.accounts.audit_trail import AuditFilter
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.cases.dto import VisitInput
from wuye_desktop.services.casework import agreements
from wuye_desktop.services.context import Context
from wuye_desktop.services.exchange import export_period
from wuye_desktop.services.statistics import periods

TOMORROW = TODAY + timedelta(days=1)
RANGE = f"应在2000年1月1日至{TOMORROW.year}年{TOMORROW.month}月{TOMORROW.day}日之间"


def refusal(call, field: str) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as caught:
        call()
    assert field in caught.value.errors, caught.value.errors
    return caught.value.errors[field]


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", (TODAY + timedelta(days=2)).isoformat(), "9999-12-31"])
def test_a_registration_date_out_of_range_is_refused_with_the_range(ctx: Context, day: str) -> None:
    message = refusal(lambda: register_case(ctx, registered_on=day), "registered_on")
    assert message.startswith("登记日期") and RANGE in message


@pytest.mark.parametrize("day", ["2000-01-01", TODAY.isoformat(), TOMORROW.isoformat()])
def test_the_ends_of_the_range_are_allowed(ctx: Context, day: str) -> None:
    ref = register_case(ctx, registered_on=day)
    assert ref.number.startswith(f"（{day[:4]}）")


def test_no_case_is_numbered_for_year_one(ctx: Context) -> None:
    with pytest.raises(ValidationError):
        register_case(ctx, registered_on="0001-01-01")
    assert register_case(ctx).number.startswith("（2026）") and register_case(ctx).number.endswith("第2号")


def test_acceptance_signing_and_visits_are_held_to_the_same_range(ctx: Context) -> None:
    ref = register_case(ctx, registered_on="2026-11-01")
    far = (TODAY + timedelta(days=2)).isoformat()
    assert RANGE in refusal(lambda: workflow.accept(ctx, ref.id, on=far), "on")
    assert refusal(lambda: workflow.accept(ctx, ref.id, on=far), "on").startswith("受理日期")
    workflow.accept(ctx, ref.id, on=TOMORROW.isoformat())  # a computer's clock may be a day behind the paper

    agreement = case_in(ctx, CaseStatus.MEDIATING).pending_draft
    assert agreement is not None
    for day in ("0001-01-01", far):
        message = refusal(lambda d=day: agreements.sign(ctx, agreement, signed_on=d), "signed_on")
        assert message.startswith("签署日期") and RANGE in message

    agreed = case_in(ctx, CaseStatus.AGREED)
    visit = VisitInput("0001-01-01", "李四", Performance.PERFORMED)
    message = refusal(lambda: agreements.record_visit(ctx, agreed.case_id, visit), "visited_on")
    assert message.startswith("回访日期") and RANGE in message and "设置" in message


def test_the_earliest_year_is_a_setting_with_a_check_of_its_value(ctx: Context) -> None:
    assert settings.get(ctx, settings.EARLIEST_YEAR) == 2000
    for bad in ("1800", "公元", str(TODAY.year + 5), ""):
        with pytest.raises(ValidationError) as caught:
            settings.put(ctx, settings.EARLIEST_YEAR, bad)
        assert "日期最早可填的年份" in caught.value.message
    settings.put(ctx, settings.EARLIEST_YEAR, "1990")
    assert register_case(ctx, registered_on="1995-06-01").number.startswith("（1995）")
    message = refusal(lambda: register_case(ctx, registered_on="1989-12-31"), "registered_on")
    assert "应在1990年1月1日至" in message


@pytest.mark.parametrize("period", [
    periods.year(1), periods.month(1, 1), periods.year(9999), periods.quarter(9999, 4), periods.month(9999, 12),
    periods.between(periods.month(1, 1).start, periods.month(1, 1).end)])
def test_a_report_of_a_period_with_nothing_to_count_is_refused_with_the_range(ctx: Context, period: object) -> None:
    for call in (lambda: statistics.monthly_report(ctx, period), lambda: statistics.overview(ctx, period)):
        with pytest.raises(ValidationError) as caught:
            call()
        assert f"统计期间应在2000年1月1日至{TODAY.year}年{TODAY.month}月{TODAY.day}日之间" in caught.value.message


def test_an_exchange_period_of_year_zero_or_before_the_register_is_refused(ctx: Context, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for text, said in (("0000", "不存在"), ("1999", "早于"), ("0001-01", "早于"), ("9999", "还没有开始")):
        with pytest.raises(ValidationError, match=said):
            export_period(ctx, text, tmp_path / "x.wyx")


@pytest.mark.parametrize("reference", ["99999999999999999999999", "2147483648", "²"])
def test_a_case_reference_too_big_to_be_one_is_not_found(ctx: Context, reference: str) -> None:
    register_case(ctx)
    with pytest.raises(NotFoundError):
        cases.find(ctx, reference)
    with pytest.raises(ValidationError, match="找不到案件"):
        audit_trail.count(ctx, AuditFilter(case=reference))
