"""Replies to the hotline, written from each order's case."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from pathlib import Path

import hotline_samples as samples
import openpyxl
from service_helpers import draft_agreement, last_audit_id
from sqlalchemy import select

from wuye_desktop.models import MediationCase, WorkOrder
from wuye_desktop.services import hotline, statistics
from wuye_desktop.services.cases import workflow
from wuye_desktop.services.casework import agreements
from wuye_desktop.services.context import Context
from wuye_desktop.services.hotline import replies as hotline_replies


def test_replies_say_what_became_of_each_order(ctx: Context, tmp_path: Path) -> None:
    hotline.import_orders(ctx, hotline.read_table(samples.gbk_csv(tmp_path / "工单.csv")))
    with ctx.db.reading() as session:
        case_of = dict(session.execute(select(MediationCase.source_ref, MediationCase.id)).all())
    settled, ended = case_of["CSV0001"], case_of["CSV0002"]
    on = dataclasses.replace(ctx, today_override=date(2026, 10, 28))
    workflow.accept(on, settled, on="2026-10-16")
    agreements.sign(on, draft_agreement(on, settled), signed_on="2026-10-27")
    workflow.accept(on, ended, on="2026-10-17")
    workflow.terminate(on, ended, "双方分歧较大")
    with ctx.db.writing() as session:  # a clerk's own wording on an order wins over the generated one
        order = session.scalars(select(WorkOrder).where(WorkOrder.order_no == "CSV0002")).one()
        order.reply = "已电话告知来电人调解结果。"

    found = {r.order_no: r for r in hotline_replies.replies(ctx, statistics.month(2026, 10))}
    assert found["CSV0001"].result == "调解成功" and found["CSV0001"].finished == date(2026, 10, 27)
    assert found["CSV0001"].reply.startswith("经调解，双方自愿达成协议：1. 被申请人于2026年11月30日前修复卫生间防水层")
    assert (found["CSV0002"].result, found["CSV0002"].reply) == ("调解终止", "已电话告知来电人调解结果。")
    assert found["CSV0002"].finished == date(2026, 10, 28)
    assert hotline_replies.replies(ctx, statistics.month(2026, 12)) == []

    before = last_audit_id(ctx)
    result = hotline_replies.export_replies(ctx, statistics.month(2026, 10), tmp_path / "回复.xlsx")
    assert result.count == 2 and last_audit_id(ctx) == before + 1
    ws = openpyxl.load_workbook(tmp_path / "回复.xlsx").active
    rows = [tuple(c.value for c in row) for row in ws.iter_rows()]
    assert rows[0] == ("工单编号", "办理结果", "回复内容", "办结时间")
    assert rows[1][:2] == ("CSV0001", "调解成功") and rows[1][3] == datetime(2026, 10, 27)
    assert rows[2] == ("CSV0002", "调解终止", "已电话告知来电人调解结果。", datetime(2026, 10, 28))


def test_open_orders_are_reported_as_in_progress(ctx: Context, tmp_path: Path) -> None:
    hotline.import_orders(ctx, hotline.read_table(samples.gbk_csv(tmp_path / "工单.csv")))
    found = hotline_replies.replies(ctx, statistics.month(2026, 10))
    assert [(r.result, r.finished) for r in found] == [("已登记", None), ("已登记", None)]
    assert all(r.case_number.startswith("（2026）") for r in found)
