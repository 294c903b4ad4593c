"""调解员 and their assignment to cases."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuye_desktop.models.base import VersionedRow
from wuye_desktop.models.enums import AssignmentRole, ChosenBy, MediatorKind
from wuye_desktop.models.types import code_enum

if TYPE_CHECKING:
    from wuye_desktop.models.case import MediationCase
    from wuye_desktop.models.organisation import Building, Estate


class Mediator(VersionedRow):
    __tablename__ = "mediator"

    name: Mapped[str] = mapped_column(String(40), index=True)
    kind: Mapped[MediatorKind] = mapped_column(code_enum(MediatorKind))
    gender: Mapped[str] = mapped_column(String(4), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    specialties: Mapped[str] = mapped_column(String(200), default="")  # e.g. 物业费, 漏水
    title: Mapped[str] = mapped_column(String(60), default="")  # 社区干部, 律师, 退休干部
    # Where the mediator lives: a mediator should not serve in their own building.
    home_estate_id: Mapped[int | None] = mapped_column(ForeignKey("estate.id"))
    home_building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    home_estate: Mapped[Estate | None] = relationship()
    home_building: Mapped[Building | None] = relationship()


class Assignment(VersionedRow):
    """A mediator designated on a case; recusal (回避) ends it and keeps the row."""

    __tablename__ = "assignment"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    mediator_id: Mapped[int] = mapped_column(ForeignKey("mediator.id"), index=True)
    role: Mapped[AssignmentRole] = mapped_column(code_enum(AssignmentRole))
    chosen_by: Mapped[ChosenBy] = mapped_column(code_enum(ChosenBy), default=ChosenBy.COMMITTEE)
    assigned_at: Mapped[datetime] = mapped_column(DateTime)
    recused_at: Mapped[datetime | None] = mapped_column(DateTime)
    recusal_reason: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[MediationCase] = relationship(back_populates="assignments")
    mediator: Mapped[Mediator] = relationship()
