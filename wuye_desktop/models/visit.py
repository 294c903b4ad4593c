"""回访记录: following up whether an agreement was performed (Art. 31)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuye_desktop.models.base import VersionedRow
from wuye_desktop.models.enums import Performance, Satisfaction
from wuye_desktop.models.types import code_enum

if TYPE_CHECKING:
    from wuye_desktop.models.case import MediationCase


class ReturnVisit(VersionedRow):
    __tablename__ = "return_visit"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    agreement_id: Mapped[int | None] = mapped_column(ForeignKey("agreement.id"))
    visited_on: Mapped[date] = mapped_column(Date)
    visitor: Mapped[str] = mapped_column(String(40))
    method: Mapped[str] = mapped_column(String(20), default="")  # 电话 / 上门
    visited_parties: Mapped[str] = mapped_column(String(200), default="")
    performance: Mapped[Performance] = mapped_column(code_enum(Performance))
    satisfaction: Mapped[Satisfaction | None] = mapped_column(code_enum(Satisfaction))
    lawsuit: Mapped[bool] = mapped_column(Boolean, default=False)  # 是否起诉
    measures: Mapped[str] = mapped_column(Text, default="")  # 采取的措施
    notes: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[MediationCase] = relationship(back_populates="visits")
