"""12345 hotline work orders (工单), imported from the platform's spreadsheets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wuye_desktop.models.base import VersionedRow


class WorkOrder(VersionedRow):
    """One work order; importing the same order number again updates it, never duplicates it."""

    __tablename__ = "work_order"

    order_no: Mapped[str] = mapped_column(String(60), unique=True)  # 工单编号
    caller: Mapped[str] = mapped_column(String(60), default="")  # 来电人/诉求人
    phone: Mapped[str] = mapped_column(String(40), default="")
    category: Mapped[str] = mapped_column(String(20), default="")  # 诉求类别: 咨询/求助/建议/投诉/举报
    urgency: Mapped[str] = mapped_column(String(20), default="")  # 紧急程度
    channel: Mapped[str] = mapped_column(String(40), default="")  # 受理渠道
    address: Mapped[str] = mapped_column(String(200), default="")
    content: Mapped[str] = mapped_column(Text, default="")  # 主要内容
    received_at: Mapped[datetime | None] = mapped_column(DateTime)  # 受理时间
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime)  # 派单时间
    due_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)  # 办理时限
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)  # 办结时间
    result: Mapped[str] = mapped_column(String(60), default="")  # 办理结果
    reply: Mapped[str] = mapped_column(Text, default="")  # 回复内容
    satisfaction: Mapped[str] = mapped_column(String(20), default="")  # 满意/基本满意/不满意
    case_id: Mapped[int | None] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    source_file: Mapped[str] = mapped_column(String(255), default="")
    imported_at: Mapped[datetime | None] = mapped_column(DateTime)
