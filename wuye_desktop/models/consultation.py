"""议事协商五步工作法: the step names and the record of each step held."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuye_desktop.models.base import VersionedRow
from wuye_desktop.models.enums import StepForm
from wuye_desktop.models.types import code_enum

if TYPE_CHECKING:
    from wuye_desktop.models.case import MediationCase


class StepTemplate(VersionedRow):
    """A named step of the consultation method; the administrator may rename or add."""

    __tablename__ = "step_template"

    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(40))  # 民事民提, 民事民议, ...
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ConsultationStep(VersionedRow):
    """One step held on a case: a meeting, a home visit, a call, a site visit."""

    __tablename__ = "consultation_step"

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(ForeignKey("step_template.id"))
    step_name: Mapped[str] = mapped_column(String(40))  # copied, so renaming keeps history
    position: Mapped[int] = mapped_column(Integer, default=0)
    held_at: Mapped[datetime] = mapped_column(DateTime)
    form: Mapped[StepForm] = mapped_column(code_enum(StepForm))
    place: Mapped[str] = mapped_column(String(100), default="")
    expected_count: Mapped[int | None] = mapped_column(Integer)  # 应到
    present_count: Mapped[int | None] = mapped_column(Integer)  # 实到
    participants: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")  # 内容/记录
    decision: Mapped[str] = mapped_column(Text, default="")  # 决定
    publicity: Mapped[str] = mapped_column(Text, default="")  # 公开情况
    supervision: Mapped[str] = mapped_column(Text, default="")  # 监督意见
    recorder: Mapped[str] = mapped_column(String(40), default="")

    case: Mapped[MediationCase] = relationship(back_populates="steps")
