"""待办提醒: overdue and near deadlines, judicial windows, visits due, 12345 work orders due."""

from __future__ import annotations

from datetime import datetime, timedelta

from service_helpers import TODAY, draft_agreement, register_case

from wuye_desktop.models import JudicialStatus, Performance, WorkOrder
from wuye_desktop.services import settings
from wuye_desktop.services.cases import reminders, workflow
from wuye_desktop.services.cases.dto import VisitInput
from wuye_desktop.services.cases.reminders import ReminderKind
from wuye_desktop.services.casework import agreements
from wuye_desktop.services.context import Context


def _work_order(ctx: Context, number: str, due_in_days: int, case_id: int | None = None,
                finished: bool = False) -> None:
    # No service writes work orders yet (the 12345 import is another feature): insert the row as an import would.
    with ctx.db.writing() as session:
        session.add(WorkOrder(order_no=number, caller="张先生", content="楼下烧烤油烟扰民",
                              received_at=datetime(2026, 11, 10, 9), case_id=case_id,
                              due_at=datetime.combine(TODAY + timedelta(days=due_in_days), datetime.min.time()),
                              finished_at=datetime(2026, 11, 19) if finished else None))


def _by_kind(found: reminders.ReminderList, kind: ReminderKind) -> list[reminders.Reminder]:
    return [r for r in found.items if r.kind is kind]


def test_mediation_deadlines_overdue_and_near(ctx: Context) -> None:
    overdue = register_case(ctx, registered_on="2026-10-01").id
    workflow.accept(ctx, overdue, on="2026-10-10")  # deadline 2026-11-09
    near = register_case(ctx, registered_on="2026-10-20").id
    workflow.accept(ctx, near, on="2026-10-22")  # deadline 2026-11-21: tomorrow
    later = register_case(ctx).id
    workflow.accept(ctx, later)  # deadline in 30 days: not yet
    closed = register_case(ctx, registered_on="2026-10-01").id
    workflow.accept(ctx, closed, on="2026-10-02")
    workflow.terminate(ctx, closed, "双方分歧较大")

    found = reminders.due(ctx)
    assert [(r.case_id, r.days_left) for r in _by_kind(found, ReminderKind.OVERDUE)] == [(overdue, -11)]
    assert [(r.case_id, r.days_left) for r in _by_kind(found, ReminderKind.DEADLINE)] == [(near, 1)]
    assert found.items[0].case_id == overdue, "the most urgent first"

    settings.put(ctx, settings.REMIND_DEADLINE_DAYS, 60)
    assert {r.case_id for r in _by_kind(reminders.due(ctx), ReminderKind.DEADLINE)} == {near, later}


def test_agreements_in_their_judicial_window_and_visits_due(ctx: Context) -> None:
    case_id = register_case(ctx, registered_on="2026-10-20").id
    workflow.accept(ctx, case_id, on="2026-10-25")
    agreement = draft_agreement(ctx, case_id)
    number = agreements.sign(ctx, agreement, signed_on="2026-11-01")
    found = reminders.due(ctx)
    [judicial] = _by_kind(found, ReminderKind.JUDICIAL)
    assert judicial.case_id == case_id and judicial.days_left == 11 and number in judicial.subject
    [visit] = _by_kind(found, ReminderKind.VISIT)
    assert visit.due == TODAY - timedelta(days=4)  # signed 11-01 + 15 days

    agreements.record_judicial(ctx, agreement, JudicialStatus.APPLIED)
    agreements.record_visit(ctx, case_id, VisitInput("2026-11-19", "李桂兰", Performance.PERFORMED))
    found = reminders.due(ctx)
    assert _by_kind(found, ReminderKind.JUDICIAL) == [] and _by_kind(found, ReminderKind.VISIT) == []


def test_hotline_work_orders_near_their_due_date(ctx: Context) -> None:
    case_id = register_case(ctx, source_ref="GD20261118001").id
    _work_order(ctx, "GD20261118001", 1, case_id)
    _work_order(ctx, "GD20261118002", -2)
    _work_order(ctx, "GD20261118003", 10)
    _work_order(ctx, "GD20261118004", 0, finished=True)
    found = _by_kind(reminders.due(ctx), ReminderKind.HOTLINE)
    assert [(r.reference, r.case_id, r.days_left) for r in found] == [
        ("GD20261118002", None, -2), ("（2026）某某调字第1号", case_id, 1)]
    assert "张先生" in found[0].subject and "油烟" in found[0].subject


def test_each_kind_is_cut_at_the_limit_with_its_full_count(ctx: Context) -> None:
    for _ in range(4):
        case_id = register_case(ctx, registered_on="2026-10-01").id
        workflow.accept(ctx, case_id, on="2026-10-02")
    found = reminders.due(ctx, limit=3)
    assert len(_by_kind(found, ReminderKind.OVERDUE)) == 3
    assert found.totals[ReminderKind.OVERDUE] == 4 and found.truncated(ReminderKind.OVERDUE)
