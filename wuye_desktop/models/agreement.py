"""人民调解协议书 (written) and 口头协议 (oral) with their numbered clauses."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from wuye_desktop.models.base import VersionedRow
from wuye_desktop.models.enums import AgreementKind, AgreementStatus, JudicialStatus
from wuye_desktop.models.types import Money, code_enum

if TYPE_CHECKING:
    from wuye_desktop.models.case import MediationCase


class Agreement(VersionedRow):
    """Drafted, then signed; it takes effect when signed and sealed (Art. 29).

    The number is given at signing, so drafts that are thrown away leave no gap.
    """

    __tablename__ = "agreement"
    __table_args__ = (
        UniqueConstraint("committee_id", "number"),
        UniqueConstraint("committee_id", "year", "seq"),
    )

    case_id: Mapped[int] = mapped_column(ForeignKey("mediation_case.id"), index=True)
    committee_id: Mapped[int] = mapped_column(ForeignKey("committee.id"))
    kind: Mapped[AgreementKind] = mapped_column(code_enum(AgreementKind))
    status: Mapped[AgreementStatus] = mapped_column(
        code_enum(AgreementStatus), default=AgreementStatus.DRAFT
    )
    number: Mapped[str | None] = mapped_column(String(60))
    year: Mapped[int | None] = mapped_column(Integer)
    seq: Mapped[int | None] = mapped_column(Integer)
    facts: Mapped[str] = mapped_column(Text, default="")  # 纠纷主要事实、争议事项
    performance: Mapped[str] = mapped_column(Text, default="")  # 履行方式
    performance_deadline: Mapped[date | None] = mapped_column(Date)  # 履行时限
    amount: Mapped[Decimal | None] = mapped_column(Money)  # 协议涉及金额, 元
    copies: Mapped[int] = mapped_column(Integer, default=3)  # 一式N份 = parties + 1
    mediator_names: Mapped[str] = mapped_column(String(100), default="")
    recorder: Mapped[str] = mapped_column(String(40), default="")  # 记录人
    signed_on: Mapped[date | None] = mapped_column(Date)  # 生效日期
    signed_at: Mapped[datetime | None] = mapped_column(DateTime)
    judicial_deadline: Mapped[date | None] = mapped_column(Date)  # signed_on + 30 days
    judicial_status: Mapped[JudicialStatus] = mapped_column(
        code_enum(JudicialStatus), default=JudicialStatus.NOT_APPLIED
    )
    judicial_applied_on: Mapped[date | None] = mapped_column(Date)

    case: Mapped[MediationCase] = relationship(back_populates="agreements")
    clauses: Mapped[list[AgreementClause]] = relationship(
        back_populates="agreement",
        order_by="AgreementClause.position",
        cascade="all, delete-orphan",
    )


class AgreementClause(VersionedRow):
    __tablename__ = "agreement_clause"

    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreement.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)

    agreement: Mapped[Agreement] = relationship(back_populates="clauses")
