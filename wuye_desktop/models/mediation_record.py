"""调查记录 and 调解记录: what was heard and found at an investigation or a mediation session."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuye_desktop.models.base import VersionedRow
from wuye_desktop.models.enums import RecordKind
from wuye_desktop.models.types import code_enum

if TYPE_CHECKING:
    from wuye_desktop.models.case import MediationCase


class MediationRecord(VersionedRow):
    __tablename__ = "mediation_record"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    kind: Mapped[RecordKind] = mapped_column(code_enum(RecordKind))
    held_at: Mapped[datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(100), default="")
    matter: Mapped[str] = mapped_column(String(200), default="")  # 事由
    participants: Mapped[str] = mapped_column(Text, default="")  # 参加人
    parties_present: Mapped[str] = mapped_column(Text, default="")  # 当事人
    rights_told: Mapped[bool] = mapped_column(Boolean, default=True)  # 已告知权利义务
    statements: Mapped[str] = mapped_column(Text, default="")  # 当事人陈述
    findings: Mapped[str] = mapped_column(Text, default="")  # 调查/调解情况
    outcome: Mapped[str] = mapped_column(Text, default="")  # 结果
    recorder: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[MediationCase] = relationship()
